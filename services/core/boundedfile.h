#pragma once

#include "core/job.h"

#include <QByteArray>
#include <QString>

namespace Bramble::Core {

// The most we read of each kind of file we are given. A reader that takes a
// whole file into memory goes through readBoundedFile() with one of these.
namespace FileLimit {
constexpr qint64 Kubeconfig = 64ll << 20; // 64 MiB
constexpr qint64 AwsConfig = 64ll << 20; // ~/.aws/config, credentials, SSO caches
constexpr qint64 Definition = 64ll << 20; // ASL definitions, MetalLB YAML, functions files
constexpr qint64 History = 256ll << 20; // execution histories (25,000 events with payloads)
constexpr qint64 Small = 1ll << 20; // tokens, certificates, keys, one-value files
} // namespace FileLimit

// The whole of a regular file, or an error that names it in one line:
// missing, unreadable, a directory, a device, a FIFO or a socket (their
// "content" never ends), or larger than `limit` bytes. `what` names the
// kind of file for the message ("kubeconfig", "history"). The file is read
// in one pass, and never more than limit + 1 bytes, so a file that grows
// while being read is caught too. Any thread.
Result<QByteArray> readBoundedFile(const QString &path, qint64 limit, const QString &what = {});

// "64 MiB", "1.5 GiB": for limits in messages.
QString byteCount(qint64 bytes);

} // namespace Bramble::Core
