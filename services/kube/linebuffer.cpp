#include "kube/linebuffer.h"

namespace Bramble::Kube {

namespace {

QByteArray withoutCr(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line.toByteArray();
}

} // namespace

QList<QByteArray> LineBuffer::append(QByteArrayView chunk)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    qsizetype nl = chunk.indexOf('\n');
    if (nl < 0) {
        m_buffer += chunk;
        return lines;
    }
    // The first line completes what the earlier chunks left.
    if (m_buffer.isEmpty()) {
        lines.append(withoutCr(chunk.first(nl)));
    } else {
        m_buffer += chunk.first(nl);
        lines.append(withoutCr(m_buffer));
        m_buffer.clear();
    }
    start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
        lines.append(withoutCr(chunk.sliced(start, nl - start)));
        start = nl + 1;
    }
    m_buffer = chunk.sliced(start).toByteArray();
    return lines;
}

QByteArray LineBuffer::finish()
{
    return withoutCr(std::exchange(m_buffer, {}));
}

} // namespace Bramble::Kube
