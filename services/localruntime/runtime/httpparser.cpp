#include "runtime/httpparser.h"

namespace Bramble::LocalRuntime {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Visible ASCII and obs-text (bytes >= 0x80); no controls, no spaces.
bool isTargetChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f;
}

bool isValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

// A non-negative decimal of at most 18 digits; -1 otherwise.
qint64 parseDecimal(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 18)
        return -1;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
{
}

void HttpRequestParser::feed(const QByteArray &data)
{
    if (m_state == State::Error)
        return;
    m_buffer.append(data);
}

bool HttpRequestParser::takeContinueRequest()
{
    const bool pending = m_continuePending;
    m_continuePending = false;
    return pending;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_ready);
    m_ready = {};
    return request;
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char *text)
{
    m_state = State::Error;
    m_errorStatus = status;
    m_errorText = text;
    m_buffer.clear();
    m_pos = 0;
    m_continuePending = false;
    return Status::Error;
}

void HttpRequestParser::compact()
{
    if (m_pos > 0 && (m_pos >= m_buffer.size() || m_pos > 65536)) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

// One line without its CR LF (or bare LF). False when no complete line is
// buffered; *tooLong when the line (complete or not) exceeds `limit`.
bool HttpRequestParser::takeLine(QByteArray *line, qint64 limit, bool *tooLong)
{
    *tooLong = false;
    const qsizetype end = m_buffer.indexOf('\n', m_pos);
    if (end < 0) {
        *tooLong = m_buffer.size() - m_pos > limit;
        return false;
    }
    qint64 length = end - m_pos;
    if (length + 1 > limit) {
        *tooLong = true;
        return false;
    }
    *line = m_buffer.mid(m_pos, length);
    if (line->endsWith('\r'))
        line->chop(1);
    m_pos = end + 1;
    return true;
}

HttpRequestParser::Status HttpRequestParser::next()
{
    for (;;) {
        switch (m_state) {
        case State::Error:
            return Status::Error;
        case State::Head: {
            const Status status = parseHead();
            if (status != Status::NeedMore || m_state == State::Head)
                return status;
            break; // the head is complete and a body follows
        }
        case State::Body: {
            const qint64 available = m_buffer.size() - m_pos;
            const qint64 take = qMin(available, m_remaining);
            m_current.body.append(m_buffer.constData() + m_pos, take);
            m_pos += take;
            m_remaining -= take;
            compact();
            if (m_remaining > 0)
                return Status::NeedMore;
            return ready();
        }
        case State::ChunkSize: {
            QByteArray line;
            bool tooLong = false;
            if (!takeLine(&line, 1024, &tooLong))
                return tooLong ? fail(400, "chunk size line too long") : Status::NeedMore;
            const qsizetype semicolon = line.indexOf(';');
            const QByteArray hex = (semicolon >= 0 ? line.left(semicolon) : line).trimmed();
            if (hex.isEmpty() || hex.size() > 15)
                return fail(400, "malformed chunk size");
            qint64 size = 0;
            for (char c : hex) {
                int digit = -1;
                if (c >= '0' && c <= '9')
                    digit = c - '0';
                else if (c >= 'a' && c <= 'f')
                    digit = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F')
                    digit = c - 'A' + 10;
                if (digit < 0)
                    return fail(400, "malformed chunk size");
                size = size * 16 + digit;
            }
            if (m_current.body.size() + size > m_limits.maxBodyBytes)
                return fail(413, "request body too large");
            if (size == 0) {
                m_state = State::Trailers;
            } else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::ChunkData: {
            const qint64 take = qMin<qint64>(m_buffer.size() - m_pos, m_remaining);
            m_current.body.append(m_buffer.constData() + m_pos, take);
            m_pos += take;
            m_remaining -= take;
            compact();
            if (m_remaining > 0)
                return Status::NeedMore;
            m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd: {
            QByteArray line;
            bool tooLong = false;
            if (!takeLine(&line, 2, &tooLong))
                return tooLong ? fail(400, "chunk data longer than its size") : Status::NeedMore;
            if (!line.isEmpty())
                return fail(400, "chunk data longer than its size");
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailers: {
            QByteArray line;
            bool tooLong = false;
            const qint64 room = m_limits.maxHeaderBytes - m_headBytes;
            if (!takeLine(&line, room, &tooLong))
                return tooLong ? fail(431, "request trailers too large") : Status::NeedMore;
            m_headBytes += line.size() + 2;
            if (line.isEmpty())
                return ready();
            // Trailer fields are read and dropped: nothing here needs them.
            if (line.indexOf(':') <= 0)
                return fail(400, "malformed trailer field");
            break;
        }
        }
    }
}

HttpRequestParser::Status HttpRequestParser::ready()
{
    m_ready = std::move(m_current);
    m_current = {};
    m_state = State::Head;
    m_headBytes = 0;
    m_sawRequestLine = false;
    m_continuePending = false;
    compact();
    return Status::Ready;
}

HttpRequestParser::Status HttpRequestParser::parseHead()
{
    for (;;) {
        QByteArray line;
        bool tooLong = false;
        const qint64 room = m_limits.maxHeaderBytes - m_headBytes;
        if (!takeLine(&line, room, &tooLong)) {
            if (tooLong)
                return fail(431, "request header section too large");
            compact();
            return Status::NeedMore;
        }
        m_headBytes += line.size() + 2;
        if (!m_sawRequestLine) {
            if (line.isEmpty())
                continue; // RFC 9112 §2.2: ignore empty lines before the request line
            const Status status = parseRequestLine(line);
            if (status == Status::Error)
                return status;
            m_sawRequestLine = true;
            continue;
        }
        if (line.isEmpty())
            return finishHead();
        const Status status = parseHeaderLine(line);
        if (status == Status::Error)
            return status;
    }
}

HttpRequestParser::Status HttpRequestParser::parseRequestLine(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3)
        return fail(400, "malformed request line");
    if (!isToken(parts.at(0)))
        return fail(400, "malformed method");
    const QByteArray &target = parts.at(1);
    if (target.isEmpty())
        return fail(400, "empty request target");
    for (char c : target) {
        if (!isTargetChar(c))
            return fail(400, "malformed request target");
    }
    const QByteArray &version = parts.at(2);
    if (version.size() != 8 || !version.startsWith("HTTP/") || version.at(6) != '.' || version.at(5) < '0'
        || version.at(5) > '9' || version.at(7) < '0' || version.at(7) > '9')
        return fail(400, "malformed HTTP version");
    if (version.at(5) != '1')
        return fail(505, "HTTP version not supported");
    m_current.method = parts.at(0);
    m_current.target = target;
    m_current.minorVersion = version.at(7) - '0';
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseHeaderLine(const QByteArray &line)
{
    if (line.startsWith(' ') || line.startsWith('\t'))
        return fail(400, "obsolete line folding");
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return fail(400, "malformed header field");
    const QByteArray name = line.left(colon);
    if (!isToken(name))
        return fail(400, "malformed header field name");
    const QByteArray value = line.mid(colon + 1).trimmed();
    for (char c : value) {
        if (!isValueChar(c))
            return fail(400, "control character in a header field");
    }
    if (m_current.headers.size() >= 1000)
        return fail(431, "too many header fields");
    m_current.headers.append({ name.toLower(), value });
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::finishHead()
{
    qint64 contentLength = -1;
    bool chunked = false;
    bool sawTransferEncoding = false;
    for (const auto &[name, value] : std::as_const(m_current.headers)) {
        if (name == "content-length") {
            for (const QByteArray &item : value.split(',')) {
                const qint64 length = parseDecimal(item.trimmed());
                if (length < 0)
                    return fail(400, "malformed Content-Length");
                if (contentLength >= 0 && length != contentLength)
                    return fail(400, "conflicting Content-Length values");
                contentLength = length;
            }
        } else if (name == "transfer-encoding") {
            if (sawTransferEncoding || value.trimmed().toLower() != "chunked")
                return fail(501, "unsupported transfer coding");
            sawTransferEncoding = true;
            chunked = true;
        }
    }
    if (chunked && contentLength >= 0)
        return fail(400, "both Transfer-Encoding and Content-Length");
    if (chunked && m_current.minorVersion == 0)
        return fail(400, "chunked transfer coding in HTTP/1.0");
    if (contentLength > m_limits.maxBodyBytes)
        return fail(413, "request body too large");

    const bool hasBody = chunked || contentLength > 0;
    m_continuePending
        = hasBody && m_current.minorVersion >= 1 && m_current.header("expect").toLower() == "100-continue";
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (contentLength > 0) {
        m_remaining = contentLength;
        m_state = State::Body;
        m_current.body.reserve(qMin<qint64>(contentLength, 1024 * 1024));
    } else {
        return ready();
    }
    compact();
    return Status::NeedMore; // next() goes on with the body
}

} // namespace Bramble::LocalRuntime
