#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Bramble::Kube {

// Newline framing for a byte stream that arrives in chunks cut anywhere:
// append() keeps what follows the last '\n' for the next chunk and returns
// the complete lines (without '\n'; a '\r' before it is dropped too), so a
// line cut across chunks comes out whole. finish() hands over a last line
// that had no newline. A line longer than the limit is an overflow: the
// caller decides (a watch fails; a log would cut it). Not thread-safe.
class LineBuffer {
public:
    explicit LineBuffer(qsizetype maxLineBytes = 64 * 1024 * 1024)
        : m_max(maxLineBytes)
    {
    }

    QList<QByteArray> append(QByteArrayView chunk);
    // The rest after the last newline (empty when none), and the buffer emptied.
    QByteArray finish();
    // Bytes of a line still waiting for its newline.
    qsizetype pending() const { return m_buffer.size(); }
    // The pending line is longer than the limit.
    bool overflowed() const { return m_buffer.size() > m_max; }

private:
    QByteArray m_buffer;
    qsizetype m_max;
};

} // namespace Bramble::Kube
