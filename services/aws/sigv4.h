#pragma once

#include "aws/credentials.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace Bramble::Aws {

using HttpHeader = QPair<QByteArray, QByteArray>;
using HttpHeaders = QList<HttpHeader>;

// A request as it will go on the wire, before signing. `target` is the
// request target exactly as sent: the path, already percent-encoded where the
// caller encoded it, then "?" and the query string if any ("/a%20b/c?x=1&y").
// The query is signed byte for byte as given (botocore does not re-encode it),
// so encode it the way AWS expects: RFC 3986 unreserved characters as they
// are, everything else %XX with upper-case hex, spaces as %20, never "+".
// Header names and values are bytes; values are expected in UTF-8.
struct SigningRequest {
    QByteArray method; // "POST"
    QByteArray host; // "states.eu-west-1.amazonaws.com" or "127.0.0.1:5000"
    QByteArray target; // "/" or "/path?query"
    HttpHeaders headers; // the headers that will be sent (Host is added from `host` if absent)
    QByteArray body;
};

// AWS Signature Version 4 (header form), byte for byte as botocore 1.43's
// SigV4Auth computes it for non-S3 services:
// - canonical URI: the path (target up to "?" or "#"; empty means "/") with
//   dot segments and empty segments removed, a trailing "/" kept, then
//   percent-encoded again with only RFC 3986 unreserved characters and "/"
//   left alone: "%" becomes "%25", so an encoded "/a%20b" is signed as
//   "/a%2520b" (the double encoding AWS wants for every service but S3);
// - canonical query: the query split on "&", each piece split at its first
//   "=" ("k" and "k=" both become "k="), sorted by key then value as bytes,
//   otherwise unchanged;
// - canonical headers: names lower-cased, values of one name joined with ","
//   in request order, each value trimmed and its runs of whitespace folded to
//   one space (Python's str.split(): tab, CR, LF, VT, FF, 0x1C-0x1F, and in
//   UTF-8 values also U+0085, U+00A0 and the Unicode space separators);
// - signed headers: every header given except connection, expect,
//   keep-alive, proxy-authenticate, proxy-authorization, te, trailer,
//   transfer-encoding, upgrade, user-agent and x-amzn-trace-id, plus host
//   (from `host`, lower-cased, without :80 or :443, unless a Host header is
//   given) and x-amz-date (and x-amz-security-token with a session token);
// - payload hash: hex SHA-256 of the body, or the value of an
//   X-Amz-Content-SHA256 header when the request carries one.
// An Authorization header in the request is ignored, X-Amz-Date and (with a
// session token) X-Amz-Security-Token are replaced. Like botocore, a request
// that carries a Date header is dated with Date ("Sun, 30 Aug 2015 12:36:00
// -0000") instead of X-Amz-Date. `host` has no scheme, so both :80 and :443
// count as default ports. Pure functions, any thread.
class SigV4 {
public:
    // The headers to set on the request, replacing any of the same name:
    // X-Amz-Date (Date instead when the request has a Date header),
    // X-Amz-Security-Token when the credentials have a session token, and
    // Authorization, in that order. X-Amz-Content-SHA256 is NOT added
    // (botocore adds it for S3 only). `when` is converted to UTC and truncated
    // to the second; an invalid `when` means now.
    static HttpHeaders sign(const SigningRequest &request, const AwsCredentials &credentials, const QString &region,
        const QString &service, const QDateTime &when);

    // The intermediate strings, for tests and --verbose debugging. amzDate is
    // "YYYYMMDDTHHMMSSZ"; securityToken is empty for long-term credentials.
    // The canonical request holds the session token: do not log it.
    static QByteArray canonicalRequest(
        const SigningRequest &request, const QByteArray &amzDate, const QByteArray &securityToken);
    static QByteArray stringToSign(
        const QByteArray &canonicalRequest, const QByteArray &amzDate, const QString &region, const QString &service);
};

} // namespace Bramble::Aws
