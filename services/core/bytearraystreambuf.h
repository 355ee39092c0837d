#pragma once

#include <QByteArray>

#include <streambuf>

namespace Bramble::Core {

// A read-only std::streambuf over a QByteArray's bytes, so a parser that takes
// a std::istream (yaml-cpp) reads the file in place: a std::string and a
// std::stringstream would copy it twice. The bytes must outlive the buffer.
class ByteArrayStreamBuf : public std::streambuf {
public:
    explicit ByteArrayStreamBuf(const QByteArray &bytes)
    {
        char *begin = const_cast<char *>(bytes.constData()); // read-only: the get area is never written
        setg(begin, begin, begin + bytes.size());
    }
};

} // namespace Bramble::Core
