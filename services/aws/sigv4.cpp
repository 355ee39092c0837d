#include "aws/sigv4.h"

#include <QByteArrayView>
#include <QCryptographicHash>
#include <QHash>
#include <QMessageAuthenticationCode>
#include <QStringList>

#include <algorithm>
#include <array>
#include <utility>

namespace Bramble::Aws {

namespace {

constexpr QByteArrayView Algorithm = "AWS4-HMAC-SHA256";

// botocore.auth.SIGNED_HEADERS_BLACKLIST (hop-by-hop headers and the ones
// proxies or the HTTP stack rewrite).
constexpr std::array<QByteArrayView, 11> UnsignedHeaders = {
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
};

bool isUnsignedHeader(const QByteArray &lowerName)
{
    return std::find(UnsignedHeaders.begin(), UnsignedHeaders.end(), QByteArrayView(lowerName))
        != UnsignedHeaders.end();
}

bool sameName(const QByteArray &a, QByteArrayView b)
{
    return QByteArrayView(a).compare(b, Qt::CaseInsensitive) == 0;
}

void removeAll(HttpHeaders &headers, QByteArrayView name)
{
    headers.removeIf([name](const HttpHeader &h) { return sameName(h.first, name); });
}

bool contains(const HttpHeaders &headers, QByteArrayView name)
{
    return std::any_of(headers.begin(), headers.end(), [name](const HttpHeader &h) { return sameName(h.first, name); });
}

// Python's str.isspace(), which str.split() splits on.
bool isPythonSpace(char32_t c)
{
    switch (c) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x1f:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200a;
    }
}

// botocore's _header_value: ' '.join(value.split()).
QByteArray trimAll(const QByteArray &value)
{
    const bool ascii = std::all_of(value.begin(), value.end(), [](char c) { return uchar(c) < 0x80; });
    if (!ascii && QByteArrayView(value).isValidUtf8()) {
        // Python sees text: NBSP and the Unicode spaces separate words too.
        const QString text = QString::fromUtf8(value);
        QStringList words;
        QString word;
        for (const QChar c : text) {
            if (isPythonSpace(c.unicode())) {
                if (!word.isEmpty())
                    words.append(std::exchange(word, QString()));
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty())
            words.append(word);
        return words.join(u' ').toUtf8();
    }
    // ASCII, or bytes botocore could not take at all (it wants str): fold
    // only the ASCII whitespace.
    QByteArray out;
    out.reserve(value.size());
    bool pendingSpace = false;
    for (const char c : value) {
        if (isPythonSpace(uchar(c)) && uchar(c) < 0x80) {
            pendingSpace = !out.isEmpty();
        } else {
            if (pendingSpace)
                out.append(' ');
            pendingSpace = false;
            out.append(c);
        }
    }
    return out;
}

// botocore.utils.remove_dot_segments (after normalize_url_path's "" -> "/").
QByteArray removeDotSegments(const QByteArray &path)
{
    if (path.isEmpty())
        return QByteArrayLiteral("/");
    QList<QByteArray> kept;
    for (const QByteArray &segment : path.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!kept.isEmpty())
                kept.removeLast();
        } else {
            kept.append(segment);
        }
    }
    QByteArray out = path.startsWith('/') ? QByteArrayLiteral("/") : QByteArray();
    out += kept.join('/');
    if (path.endsWith('/') && !kept.isEmpty())
        out += '/';
    return out;
}

// quote(normalize_url_path(path), safe='/~'): unreserved and '/' stay, every
// other byte (including '%') becomes %XX.
QByteArray canonicalUri(const QByteArray &path)
{
    return removeDotSegments(path).toPercentEncoding(QByteArrayLiteral("/"));
}

// SigV4Auth._canonical_query_string_url: split, partition at '=', sort the
// (key, value) pairs, no re-encoding.
QByteArray canonicalQuery(const QByteArray &query)
{
    if (query.isEmpty())
        return {};
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (const QByteArray &piece : query.split('&')) {
        const qsizetype eq = piece.indexOf('=');
        if (eq < 0)
            pairs.append({ piece, QByteArray() });
        else
            pairs.append({ piece.left(eq), piece.mid(eq + 1) });
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[key, value] : pairs) {
        if (!out.isEmpty())
            out += '&';
        out += key + '=' + value;
    }
    return out;
}

// botocore.auth._host_from_url: lower-cased host name, IPv6 literals in
// brackets, the port only when it is not the scheme's default (we have no
// scheme, so neither 80 nor 443 is kept) and without leading zeros.
QByteArray canonicalHost(const QByteArray &hostField)
{
    const QByteArray host = hostField.mid(hostField.lastIndexOf('@') + 1);
    QByteArray name;
    QByteArray port;
    if (host.startsWith('[') && host.contains(']')) {
        const qsizetype close = host.indexOf(']');
        name = host.left(close + 1).toLower();
        const QByteArray rest = host.mid(close + 1);
        if (rest.startsWith(':'))
            port = rest.mid(1);
    } else {
        const qsizetype colon = host.indexOf(':');
        name = host.left(colon < 0 ? host.size() : colon).toLower();
        if (colon >= 0)
            port = host.mid(colon + 1);
    }
    if (port.isEmpty())
        return name;
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (ok && (number == 80 || number == 443))
        return name;
    return name + ':' + (ok ? QByteArray::number(number) : port);
}

QByteArray twoDigits(int n)
{
    return QByteArray::number(n).rightJustified(2, '0');
}

// SIGV4_TIMESTAMP, '%Y%m%dT%H%M%SZ'. Built from numbers so that no locale or
// calendar setting can touch it.
QByteArray amzDateOf(const QDateTime &utc)
{
    const QDate d = utc.date();
    const QTime t = utc.time();
    return QByteArray::number(d.year()).rightJustified(4, '0') + twoDigits(d.month()) + twoDigits(d.day()) + 'T'
        + twoDigits(t.hour()) + twoDigits(t.minute()) + twoDigits(t.second()) + 'Z';
}

// email.utils.formatdate(t) for the instant amzDate names:
// "Sun, 30 Aug 2015 12:36:00 -0000". Date and time are parsed apart so that
// no local time zone (and its DST gaps) is involved.
QByteArray httpDate(const QByteArray &amzDate)
{
    static constexpr std::array<const char *, 7> Days = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static constexpr std::array<const char *, 12> Months
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    const QDate d = QDate::fromString(QString::fromLatin1(amzDate.left(8)), u"yyyyMMdd");
    const QTime t = QTime::fromString(QString::fromLatin1(amzDate.mid(9, 6)), u"HHmmss");
    if (!d.isValid() || !t.isValid())
        return {};
    return QByteArray(Days[d.dayOfWeek() - 1]) + ", " + twoDigits(d.day()) + ' ' + Months[d.month() - 1] + ' '
        + QByteArray::number(d.year()).rightJustified(4, '0') + ' ' + twoDigits(t.hour()) + ':' + twoDigits(t.minute())
        + ':' + twoDigits(t.second()) + " -0000";
}

struct Canonical {
    QByteArray request;
    QByteArray signedHeaders;
    bool datedWithDateHeader = false;
};

Canonical buildCanonical(const SigningRequest &request, const QByteArray &amzDate, const QByteArray &securityToken)
{
    // SigV4Auth._modify_request_before_signing.
    HttpHeaders headers = request.headers;
    removeAll(headers, "authorization");
    Canonical result;
    if (contains(headers, "date")) {
        result.datedWithDateHeader = true;
        removeAll(headers, "date");
        headers.append({ QByteArrayLiteral("Date"), httpDate(amzDate) });
        removeAll(headers, "x-amz-date");
    } else {
        removeAll(headers, "x-amz-date");
        headers.append({ QByteArrayLiteral("X-Amz-Date"), amzDate });
    }
    if (!securityToken.isEmpty()) {
        removeAll(headers, "x-amz-security-token");
        headers.append({ QByteArrayLiteral("X-Amz-Security-Token"), securityToken });
    }

    // headers_to_sign, canonical_headers, signed_headers.
    QList<QByteArray> names;
    QHash<QByteArray, QByteArrayList> values;
    for (const HttpHeader &h : std::as_const(headers)) {
        const QByteArray name = h.first.toLower();
        if (isUnsignedHeader(name))
            continue;
        if (!values.contains(name))
            names.append(name);
        values[name].append(trimAll(h.second));
    }
    if (!values.contains("host")) {
        names.append(QByteArrayLiteral("host"));
        values[QByteArrayLiteral("host")].append(canonicalHost(request.host));
    }
    std::sort(names.begin(), names.end());
    QByteArray canonicalHeaders;
    QByteArrayList signedNames;
    for (const QByteArray &name : std::as_const(names)) {
        canonicalHeaders += name + ':' + values.value(name).join(',') + '\n';
        signedNames.append(name.trimmed());
    }
    std::sort(signedNames.begin(), signedNames.end());
    result.signedHeaders = signedNames.join(';');

    // The target as urlsplit() sees it: a fragment goes, the query follows '?'.
    QByteArray target = request.target;
    if (const qsizetype hash = target.indexOf('#'); hash >= 0)
        target.truncate(hash);
    const qsizetype question = target.indexOf('?');
    const QByteArray path = question < 0 ? target : target.left(question);
    const QByteArray query = question < 0 ? QByteArray() : target.mid(question + 1);

    QByteArray payloadHash;
    const auto given = std::find_if(headers.cbegin(), headers.cend(),
        [](const HttpHeader &h) { return sameName(h.first, "x-amz-content-sha256"); });
    if (given != headers.cend())
        payloadHash = given->second;
    else
        payloadHash = QCryptographicHash::hash(request.body, QCryptographicHash::Sha256).toHex();

    result.request = request.method.toUpper() + '\n' + canonicalUri(path) + '\n' + canonicalQuery(query) + '\n'
        + canonicalHeaders + '\n' + result.signedHeaders + '\n' + payloadHash;
    return result;
}

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

QByteArray credentialScope(const QByteArray &amzDate, const QString &region, const QString &service)
{
    return amzDate.left(8) + '/' + region.toUtf8() + '/' + service.toUtf8() + "/aws4_request";
}

} // namespace

QByteArray SigV4::canonicalRequest(
    const SigningRequest &request, const QByteArray &amzDate, const QByteArray &securityToken)
{
    return buildCanonical(request, amzDate, securityToken).request;
}

QByteArray SigV4::stringToSign(
    const QByteArray &canonicalRequest, const QByteArray &amzDate, const QString &region, const QString &service)
{
    return Algorithm.toByteArray() + '\n' + amzDate + '\n' + credentialScope(amzDate, region, service) + '\n'
        + QCryptographicHash::hash(canonicalRequest, QCryptographicHash::Sha256).toHex();
}

HttpHeaders SigV4::sign(const SigningRequest &request, const AwsCredentials &credentials, const QString &region,
    const QString &service, const QDateTime &when)
{
    const QDateTime utc = (when.isValid() ? when : QDateTime::currentDateTimeUtc()).toUTC();
    const QByteArray amzDate = amzDateOf(utc);
    const QByteArray token = credentials.sessionToken.toUtf8();

    const Canonical canonical = buildCanonical(request, amzDate, token);
    const QByteArray toSign = stringToSign(canonical.request, amzDate, region, service);

    const QByteArray dateKey = hmac("AWS4" + credentials.secretAccessKey.toUtf8(), amzDate.left(8));
    const QByteArray regionKey = hmac(dateKey, region.toUtf8());
    const QByteArray serviceKey = hmac(regionKey, service.toUtf8());
    const QByteArray signingKey = hmac(serviceKey, QByteArrayLiteral("aws4_request"));
    const QByteArray signature = hmac(signingKey, toSign).toHex();

    HttpHeaders added;
    if (canonical.datedWithDateHeader)
        added.append({ QByteArrayLiteral("Date"), httpDate(amzDate) });
    else
        added.append({ QByteArrayLiteral("X-Amz-Date"), amzDate });
    if (!token.isEmpty())
        added.append({ QByteArrayLiteral("X-Amz-Security-Token"), token });
    added.append({ QByteArrayLiteral("Authorization"),
        Algorithm.toByteArray() + " Credential=" + credentials.accessKeyId.toUtf8() + '/'
            + credentialScope(amzDate, region, service) + ", SignedHeaders=" + canonical.signedHeaders
            + ", Signature=" + signature });
    return added;
}

} // namespace Bramble::Aws
