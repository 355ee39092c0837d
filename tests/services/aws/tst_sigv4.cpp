// SigV4 against botocore's own signer, plus AWS's published test-suite vectors.
//
// Every row of corpus() is signed by SigV4 and, once per run, by botocore
// (tests/services/aws/sigv4_oracle.py: AWSRequest + SigV4Auth, the clock
// frozen); canonical request, string to sign, Authorization and the headers
// added must be identical bytes. botocore gets the same wire bytes: the URL
// is scheme://host + target, header names and values and the target decoded
// as UTF-8 (botocore only takes str).
//
// What botocore cannot be given, and so is not in the corpus (the
// canonicalParts() rows pin our behaviour instead):
// - bytes that are not UTF-8 in the target or in a header: botocore's URL and
//   headers are str. We percent-encode such path bytes and fold only ASCII
//   whitespace in such header values.
// - TAB, CR and LF in the target: urlsplit() deletes them before botocore
//   sees the path; they cannot be sent in a request line anyway.
// - a host with a port that is not the scheme's default (http on 443): our
//   request has no scheme, so both 80 and 443 are dropped from the host.

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "support/testpaths.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <QTimeZone>

using namespace Bramble::Aws;

namespace {

struct Case {
    QByteArray name;
    SigningRequest request;
    AwsCredentials credentials;
    QString region = QStringLiteral("us-east-1");
    QString service = QStringLiteral("states");
    QDateTime when = QDateTime(QDate(2024, 2, 29), QTime(23, 59, 58), Qt::UTC);
};

AwsCredentials longTermKeys()
{
    AwsCredentials c;
    c.accessKeyId = QStringLiteral("AKIAIOSFODNN7EXAMPLE");
    c.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    c.source = QStringLiteral("test");
    return c;
}

AwsCredentials sessionKeys()
{
    AwsCredentials c;
    c.accessKeyId = QStringLiteral("ASIAQEXAMPLE7TOKENID");
    c.secretAccessKey = QStringLiteral("je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY");
    c.sessionToken = QStringLiteral("IQoJb3JpZ2luX2VjEPr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token==");
    c.expiration = QDateTime(QDate(2024, 3, 1), QTime(0, 59, 58), Qt::UTC);
    c.source = QStringLiteral("assume role");
    return c;
}

Case request(const char *name, const QByteArray &method, const QByteArray &host, const QByteArray &target,
    const HttpHeaders &headers = {}, const QByteArray &body = {})
{
    Case c;
    c.name = name;
    c.request = SigningRequest { method, host, target, headers, body };
    c.credentials = longTermKeys();
    return c;
}

Case in(Case c, const char *service, const char *region)
{
    c.service = QString::fromLatin1(service);
    c.region = QString::fromLatin1(region);
    return c;
}

Case withSession(Case c)
{
    c.credentials = sessionKeys();
    return c;
}

const QByteArray StatesHost = "states.eu-west-1.amazonaws.com";
const QByteArray LogsHost = "logs.us-east-2.amazonaws.com";

HttpHeaders json10(const QByteArray &target)
{
    return { { "Content-Type", "application/x-amz-json-1.0" }, { "X-Amz-Target", target } };
}

HttpHeaders json11(const QByteArray &target)
{
    return { { "Content-Type", "application/x-amz-json-1.1" }, { "X-Amz-Target", target } };
}

QByteArray everyByte()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

QList<Case> corpus()
{
    QList<Case> rows;
    const QByteArray get = "GET";
    const QByteArray post = "POST";

    // Real calls of the services Bramble talks to.
    rows << in(request("states StartExecution", post, StatesHost, "/", json10("AWSStepFunctions.StartExecution"),
                   "{\"stateMachineArn\":\"arn:aws:states:eu-west-1:123456789012:stateMachine:order\","
                   "\"input\":\"{\\\"id\\\": 42}\"}"),
        "states", "eu-west-1");
    rows << in(withSession(request("states GetExecutionHistory, session token", post, StatesHost, "/",
                   json10("AWSStepFunctions.GetExecutionHistory"),
                   "{\"executionArn\":\"arn:aws:states:eu-west-1:1:execution:m:e\","
                   "\"maxResults\":1000,\"nextToken\":\"a+b/c==\"}")),
        "states", "eu-west-1");
    rows << in(
        request("logs FilterLogEvents, unicode JSON", post, LogsHost, "/", json11("Logs_20140328.FilterLogEvents"),
            "{\"logGroupName\":\"/aws/lambda/größe\",\"filterPattern\":\"\\\"ERROR\\\" 日本\"}"),
        "logs", "us-east-2");
    rows << in(
        request("dynamodb Query", post, "dynamodb.ap-southeast-2.amazonaws.com", "/", json10("DynamoDB_20120810.Query"),
            "{\"TableName\":\"sagas\",\"KeyConditionExpression\":\"pk = :pk\","
            "\"ExpressionAttributeValues\":{\":pk\":{\"S\":\"order#1\"}}}"),
        "dynamodb", "ap-southeast-2");
    rows << in(request("sts GetCallerIdentity as form POST", post, "sts.amazonaws.com", "/",
                   { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" } },
                   "Action=GetCallerIdentity&Version=2011-06-15"),
        "sts", "us-east-1");
    rows << in(request("sts AssumeRole as query GET", get, "sts.eu-north-1.amazonaws.com",
                   "/?Version=2011-06-15&Action=AssumeRole&RoleSessionName=bramble"
                   "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops"),
        "sts", "eu-north-1");
    rows << in(withSession(request("secretsmanager GetSecretValue, session token", post,
                   "secretsmanager.eu-central-1.amazonaws.com", "/", json11("secretsmanager.GetSecretValue"),
                   "{\"SecretId\":\"prod/db\"}")),
        "secretsmanager", "eu-central-1");
    rows << in(request("states in cn-north-1", post, "states.cn-north-1.amazonaws.com.cn", "/",
                   json10("AWSStepFunctions.ListStateMachines"), "{}"),
        "states", "cn-north-1");
    rows << in(request("logs in us-gov-west-1, empty POST body", post, "logs.us-gov-west-1.amazonaws.com", "/",
                   json11("Logs_20140328.DescribeLogGroups")),
        "logs", "us-gov-west-1");

    // Paths: botocore removes dot and empty segments, then quotes again
    // (safe '/~'), so '%' itself becomes %25 for every non-S3 service.
    rows << request("path with raw spaces", get, StatesHost, "/a b/c  d");
    rows << request("path with encoded %20", get, StatesHost, "/a%20b/c");
    rows << request("path with encoded %2F", get, StatesHost, "/key%2Fwith%2Fslashes/x");
    rows << request("path with lower-case escapes", get, StatesHost, "/a%2fb%c3%a9");
    rows << request("path with raw UTF-8", get, StatesHost, "/données/ключ/日本語");
    rows << request("path with encoded UTF-8", get, StatesHost, "/donn%C3%A9es");
    rows << request("path with dot segments", get, StatesHost, "/a/./b/../c/./d/..");
    rows << request("path climbing above the root", get, StatesHost, "/../../x/..");
    rows << request("path with double slashes", get, StatesHost, "//a///b//c");
    rows << request("path with trailing slash", get, StatesHost, "/a/b/");
    rows << request("path of only slashes and dots", get, StatesHost, "//./../");
    rows << request("empty path", get, StatesHost, "");
    rows << request("empty path with a query", get, StatesHost, "?a=1");
    rows << request("path with reserved characters", get, StatesHost, "/a:b@c!$&'()*+,;=d~e_f-g.h/%7E");
    rows << request("path with encoded dots", get, StatesHost, "/a/%2E%2E/b/%2e");
    rows << request("path with a fragment", get, StatesHost, "/a/b#frag?x=1");

    // Query strings: split on '&', partitioned at the first '=', sorted as
    // (key, value) pairs, not re-encoded.
    rows << request("query with repeated keys", get, StatesHost, "/?b=2&a=3&a=1&a=2");
    rows << request("query with empty values", get, StatesHost, "/?a=&b=&c=x");
    rows << request("query keys without =", get, StatesHost, "/?flag&other&x=1");
    rows << request("query with empty pairs", get, StatesHost, "/?&a=1&&b=2&");
    rows << request("query only ?", get, StatesHost, "/path?");
    rows << request("query with encoded reserved characters", get, StatesHost, "/?q=%26%3D%2B%2F%3F&r=%25&s=%20");
    rows << request("query with raw reserved characters", get, StatesHost, "/?path=/a/b&colon=a:b&at=@&q=a?b");
    rows << request("query with raw UTF-8", get, StatesHost, "/?名前=値&k=é");
    rows << request("query with encoded UTF-8", get, StatesHost, "/?%E5%90%8D=%E5%80%A4&k=%C3%A9");
    rows << request("query with + signs", get, StatesHost, "/?a=b+c&d=%2B&e+f=1&g=+");
    rows << request("query sorted by key before value", get, StatesHost, "/?a-=1&a=2&a.b=3&A=4&_=5&~=6&a=");
    rows << request("query with = in values", get, StatesHost, "/?a=b=c&d==&==");

    // Headers.
    rows << request("header with runs of spaces", get, StatesHost, "/",
        { { "X-Amz-Meta-Note", "a    b     c" }, { "My-Header", "\"a   b   c\"" } });
    rows << request("header with leading and trailing spaces", get, StatesHost, "/",
        { { "X-Padded", "   padded value   " }, { "X-Only-Spaces", "     " } });
    rows << request("header with tabs, CR and LF", get, StatesHost, "/",
        { { "X-Tabs", "\ta\t\tb \t c\t" }, { "X-Folded", "one\r\n two\nthree" } });
    rows << request("header with VT, FF and ASCII separators", get, StatesHost, "/",
        { { "X-Odd-Space",
            "a\x0b"
            "b\x0c"
            "c\x1c"
            "d\x1f"
            "e" } });
    rows << request("header with Unicode spaces", get, StatesHost, "/",
        { { "X-Unicode-Space",
            "a\xc2\xa0"
            "b\xe3\x80\x80"
            "c\xc2\x85"
            "d\xe2\x80\x89"
            "e" } });
    rows << request("header with UTF-8 text", get, StatesHost, "/", { { "X-Amz-Meta-Name", "Grüße  über  日本" } });
    rows << request("header names in mixed case", post, StatesHost, "/",
        { { "X-AMZ-TARGET", "AWSStepFunctions.ListExecutions" }, { "CoNtEnT-TyPe", "application/x-amz-json-1.0" } },
        "{}");
    rows << request("repeated header names joined with commas", get, StatesHost, "/",
        { { "X-Multi", "one" }, { "X-Other", "z" }, { "x-multi", "  two   words " }, { "X-MULTI", "three" } });
    rows << request("header with an empty value", get, StatesHost, "/", { { "X-Empty", "" } });
    rows << request("headers botocore never signs", post, StatesHost, "/",
        { { "User-Agent", "bramble/1.0 Qt/6.4" }, { "Expect", "100-continue" }, { "Connection", "keep-alive" },
            { "Keep-Alive", "timeout=5" }, { "Transfer-Encoding", "chunked" }, { "TE", "trailers" },
            { "Trailer", "X-Checksum" }, { "Upgrade", "h2c" }, { "Proxy-Authorization", "Basic Zm9vOmJhcg==" },
            { "Proxy-Authenticate", "Basic" }, { "X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793" },
            { "Content-Length", "2" }, { "Accept-Encoding", "identity" } },
        "{}");
    rows << request(
        "explicit Host header wins", get, StatesHost, "/", { { "Host", "  States.EU-West-1.amazonaws.com:443  " } });
    rows << request("stale Authorization, X-Amz-Date and token replaced", post, StatesHost, "/",
        { { "Authorization", "AWS4-HMAC-SHA256 Credential=old" }, { "X-Amz-Date", "19990101T000000Z" },
            { "x-amz-security-token", "stale-token" }, { "X-Amz-Date", "20000101T000000Z" } },
        "{}")
         << withSession(request("stale token replaced by the session token", get, StatesHost, "/",
                { { "X-Amz-Security-Token", "stale-token" } }));
    rows << request("token header kept without a session token", get, StatesHost, "/",
        { { "X-Amz-Security-Token", "  caller token  " } });
    rows << request("Date header instead of X-Amz-Date", get, StatesHost, "/",
        { { "Date", "Mon, 01 Jan 2001 00:00:00 GMT" }, { "X-Amz-Date", "19990101T000000Z" } });
    rows << request("X-Amz-Content-SHA256 header used as payload hash", post, StatesHost, "/",
        { { "X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD" } }, "{\"ignored\":true}");

    // Hosts: lower-cased, :80 and :443 dropped, other ports kept.
    rows << request(
        "moto on 127.0.0.1:5000", post, "127.0.0.1:5000", "/", json10("AWSStepFunctions.ListStateMachines"), "{}");
    rows << request("host in upper case with :443", get, "Logs.US-East-1.AmazonAWS.com:443", "/");
    rows << request("localhost:80", get, "localhost:80", "/");
    rows << request("IPv6 literal with a port", get, "[::1]:4566", "/");
    rows << request("IPv6 literal in upper case without a port", get, "[FE80::ABCD]", "/");

    // Bodies and methods.
    rows << request(
        "binary body", post, StatesHost, "/", { { "Content-Type", "application/octet-stream" } }, everyByte());
    rows << request("JSON body with newlines", post, StatesHost, "/", json10("AWSStepFunctions.CreateStateMachine"),
        "{\n  \"name\": \"saga\",\n  \"definition\": \"{\\\"StartAt\\\": \\\"A\\\"}\"\n}\n");
    rows << request("empty POST", post, StatesHost, "/", {}, {});
    rows << request("lower-case method", "get", StatesHost, "/?x=1");
    rows << request(
        "DELETE with query and body", "DELETE", StatesHost, "/tags/arn%3Aaws?tagKeys=a&tagKeys=b", {}, "body");

    // Times: converted to UTC, the scope date is the UTC date.
    Case offset = request("time with an offset crossing midnight", get, StatesHost, "/");
    offset.when = QDateTime(QDate(2024, 3, 1), QTime(1, 30, 0, 999), QTimeZone(2 * 3600));
    rows << offset;
    Case newYear = withSession(request("new year's eve, session token", get, StatesHost, "/"));
    newYear.when = QDateTime(QDate(1999, 12, 31), QTime(23, 59, 59), Qt::UTC);
    rows << newYear;
    return rows;
}

QByteArray amzDateOf(const QDateTime &when)
{
    return when.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QByteArray unb64(const QJsonValue &value)
{
    return QByteArray::fromBase64(value.toString().toLatin1());
}

QJsonArray headersJson(const HttpHeaders &headers)
{
    QJsonArray array;
    for (const HttpHeader &h : headers)
        array.append(QJsonArray { b64(h.first), b64(h.second) });
    return array;
}

HttpHeaders headersFromJson(const QJsonValue &value)
{
    HttpHeaders headers;
    for (const QJsonValue &pair : value.toArray())
        headers.append({ unb64(pair.toArray().at(0)), unb64(pair.toArray().at(1)) });
    return headers;
}

QByteArray oracleInput(const QList<Case> &rows)
{
    QJsonArray specs;
    for (const Case &c : rows) {
        specs.append(QJsonObject {
            { QStringLiteral("name"), QString::fromUtf8(c.name) },
            { QStringLiteral("method"), QString::fromLatin1(c.request.method) },
            { QStringLiteral("host_b64"), b64(c.request.host) },
            { QStringLiteral("target_b64"), b64(c.request.target) },
            { QStringLiteral("headers"), headersJson(c.request.headers) },
            { QStringLiteral("body_b64"), b64(c.request.body) },
            { QStringLiteral("access_key"), c.credentials.accessKeyId },
            { QStringLiteral("secret_key"), c.credentials.secretAccessKey },
            { QStringLiteral("token"), c.credentials.sessionToken },
            { QStringLiteral("region"), c.region },
            { QStringLiteral("service"), c.service },
            { QStringLiteral("timestamp"), QString::fromLatin1(amzDateOf(c.when)) },
        });
    }
    return QJsonDocument(specs).toJson(QJsonDocument::Compact);
}

// Shows bytes so that a difference of one space or one CR is visible.
QString visible(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes) {
        const uchar u = uchar(c);
        if (u == '\n')
            out += QStringLiteral("\\n\n    ");
        else if (u < 0x20 || u >= 0x7f || u == '\\')
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(char(u));
    }
    return out;
}

QString differs(const char *what, const QByteArray &ours, const QByteArray &expected)
{
    return QStringLiteral("%1 differs\n  ours:\n    %2\n  expected:\n    %3")
        .arg(QLatin1String(what), visible(ours), visible(expected));
}

QString showHeaders(const HttpHeaders &headers)
{
    QStringList lines;
    for (const HttpHeader &h : headers)
        lines.append(visible(h.first) + QStringLiteral(": ") + visible(h.second));
    return lines.join(QStringLiteral("\n    "));
}

QByteArray lineOf(const QByteArray &canonical, int line)
{
    return canonical.split('\n').value(line);
}

} // namespace

class SigV4Test : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesBotocore_data();
    void matchesBotocore();
    void awsTestSuite_data();
    void awsTestSuite();
    void awsTestSuiteGetVanillaIntermediates();
    void canonicalParts_data();
    void canonicalParts();
    void describeShowsNoSecret();

private:
    QList<Case> m_corpus = corpus();
    QHash<QByteArray, QJsonObject> m_botocore;
    QString m_oracleError;
};

// Runs the oracle once for the whole corpus; a failure is reported by every
// matchesBotocore row (not here, so the python-free tests still run).
void SigV4Test::initTestCase()
{
    QSet<QByteArray> names;
    for (const Case &c : std::as_const(m_corpus)) {
        QVERIFY2(!names.contains(c.name), qPrintable(QStringLiteral("duplicate row: ") + QString::fromUtf8(c.name)));
        names.insert(c.name);
    }
    QVERIFY2(m_corpus.size() >= 25, "the corpus shrank");

    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty()) {
        m_oracleError = QStringLiteral("python3 is not in PATH: install python3 and python3-botocore");
        return;
    }
    const QString script = Bramble::Test::sourceDir() + QStringLiteral("/tests/services/aws/sigv4_oracle.py");
    QProcess oracle;
    oracle.start(python, { script });
    if (!oracle.waitForStarted(10000)) {
        m_oracleError = QStringLiteral("cannot start %1: %2").arg(python, oracle.errorString());
        return;
    }
    oracle.write(oracleInput(m_corpus));
    oracle.closeWriteChannel();
    if (!oracle.waitForFinished(60000)) {
        oracle.kill();
        oracle.waitForFinished();
        m_oracleError = QStringLiteral("%1 did not finish within 60 s").arg(script);
        return;
    }
    const QString stderrText = QString::fromUtf8(oracle.readAllStandardError()).trimmed();
    if (oracle.exitStatus() != QProcess::NormalExit || oracle.exitCode() != 0) {
        m_oracleError = oracle.exitCode() == 3
            ? QStringLiteral("botocore is missing, the signer this test compares against: install python3-botocore "
                             "(apt-get install python3-botocore, or pip install botocore for %1)\n%2")
                  .arg(python, stderrText)
            : QStringLiteral("%1 failed (exit %2):\n%3").arg(script).arg(oracle.exitCode()).arg(stderrText);
        return;
    }
    qInfo().noquote() << stderrText;
    QJsonParseError parseError;
    const QJsonDocument results = QJsonDocument::fromJson(oracle.readAllStandardOutput(), &parseError);
    if (!results.isArray()) {
        m_oracleError = QStringLiteral("the oracle's output is not a JSON list: ") + parseError.errorString();
        return;
    }
    for (const QJsonValue &result : results.array()) {
        const QJsonObject object = result.toObject();
        m_botocore.insert(object.value(QStringLiteral("name")).toString().toUtf8(), object);
    }
}

void SigV4Test::matchesBotocore_data()
{
    QTest::addColumn<int>("row");
    for (int i = 0; i < m_corpus.size(); ++i)
        QTest::newRow(m_corpus.at(i).name.constData()) << i;
}

void SigV4Test::matchesBotocore()
{
    QFETCH(int, row);
    QVERIFY2(m_oracleError.isEmpty(), qPrintable(m_oracleError));
    const Case &c = m_corpus.at(row);
    QVERIFY2(m_botocore.contains(c.name), "the oracle returned no result for this row");
    const QJsonObject expected = m_botocore.value(c.name);
    QVERIFY2(!expected.contains(QStringLiteral("error")),
        qPrintable(QStringLiteral("botocore failed: ") + expected.value(QStringLiteral("error")).toString()));

    const QByteArray amzDate = amzDateOf(c.when);
    const QByteArray canonical = SigV4::canonicalRequest(c.request, amzDate, c.credentials.sessionToken.toUtf8());
    const QByteArray expectedCanonical = unb64(expected.value(QStringLiteral("canonical_request_b64")));
    QVERIFY2(canonical == expectedCanonical, qPrintable(differs("canonical request", canonical, expectedCanonical)));

    const QByteArray toSign = SigV4::stringToSign(canonical, amzDate, c.region, c.service);
    const QByteArray expectedToSign = unb64(expected.value(QStringLiteral("string_to_sign_b64")));
    QVERIFY2(toSign == expectedToSign, qPrintable(differs("string to sign", toSign, expectedToSign)));

    const HttpHeaders added = SigV4::sign(c.request, c.credentials, c.region, c.service, c.when);
    const QByteArray expectedAuthorization = unb64(expected.value(QStringLiteral("authorization_b64")));
    const QByteArray authorization = added.isEmpty() ? QByteArray() : added.constLast().second;
    QVERIFY2(authorization == expectedAuthorization,
        qPrintable(differs("Authorization", authorization, expectedAuthorization)));

    const HttpHeaders expectedAdded = headersFromJson(expected.value(QStringLiteral("added_headers")));
    QVERIFY2(added == expectedAdded,
        qPrintable(QStringLiteral("added headers differ\n  ours:\n    %1\n  botocore:\n    %2")
                       .arg(showHeaders(added), showHeaders(expectedAdded))));
}

// From AWS's SigV4 test suite (aws-sig-v4-test-suite): AKIDEXAMPLE, us-east-1,
// service "service", 20150830T123600Z, Host example.amazonaws.com. Fixed
// expectations, no python involved.
void SigV4Test::awsTestSuite_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("signedHeaders");
    QTest::addColumn<QByteArray>("signature");

    QTest::newRow("get-vanilla") << QByteArray("GET") << QByteArray("/") << HttpHeaders {} << QByteArray()
                                 << QByteArray("host;x-amz-date")
                                 << QByteArray("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    QTest::newRow("get-vanilla-query-order-key-case")
        << QByteArray("GET") << QByteArray("/?Param2=value2&Param1=value1") << HttpHeaders {} << QByteArray()
        << QByteArray("host;x-amz-date")
        << QByteArray("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    QTest::newRow("get-vanilla-utf8-query")
        << QByteArray("GET") << QByteArray("/?%E1%88%B4=bar") << HttpHeaders {} << QByteArray()
        << QByteArray("host;x-amz-date")
        << QByteArray("2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
    QTest::newRow("get-utf8") << QByteArray("GET") << QByteArray("/\xe1\x88\xb4") << HttpHeaders {} << QByteArray()
                              << QByteArray("host;x-amz-date")
                              << QByteArray("8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    QTest::newRow("get-space") << QByteArray("GET") << QByteArray("/example space/") << HttpHeaders {} << QByteArray()
                               << QByteArray("host;x-amz-date")
                               << QByteArray("652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
    QTest::newRow("get-header-value-trim")
        << QByteArray("GET") << QByteArray("/")
        << HttpHeaders { { "My-Header1", " value1" }, { "My-Header2", " \"a   b   c\"" } } << QByteArray()
        << QByteArray("host;my-header1;my-header2;x-amz-date")
        << QByteArray("acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    QTest::newRow("post-vanilla") << QByteArray("POST") << QByteArray("/") << HttpHeaders {} << QByteArray()
                                  << QByteArray("host;x-amz-date")
                                  << QByteArray("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    QTest::newRow("post-x-www-form-urlencoded")
        << QByteArray("POST") << QByteArray("/")
        << HttpHeaders { { "Content-Type", "application/x-www-form-urlencoded" } } << QByteArray("Param1=value1")
        << QByteArray("content-type;host;x-amz-date")
        << QByteArray("ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

void SigV4Test::awsTestSuite()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(HttpHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, signedHeaders);
    QFETCH(QByteArray, signature);

    AwsCredentials keys;
    keys.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    keys.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    const SigningRequest request { method, "example.amazonaws.com", target, headers, body };
    const QDateTime when(QDate(2015, 8, 30), QTime(12, 36, 0), Qt::UTC);

    const HttpHeaders added = SigV4::sign(request, keys, QStringLiteral("us-east-1"), QStringLiteral("service"), when);
    const HttpHeaders expected {
        { "X-Amz-Date", "20150830T123600Z" },
        { "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders="
                + signedHeaders + ", Signature=" + signature },
    };
    QCOMPARE(added, expected);
}

void SigV4Test::awsTestSuiteGetVanillaIntermediates()
{
    const SigningRequest request { "GET", "example.amazonaws.com", "/", {}, {} };
    const QByteArray canonical = SigV4::canonicalRequest(request, "20150830T123600Z", {});
    QCOMPARE(canonical,
        QByteArray("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                   "host;x-amz-date\n"
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(SigV4::stringToSign(canonical, "20150830T123600Z", QStringLiteral("us-east-1"), QStringLiteral("service")),
        QByteArray("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                   "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"));
}

// Canonical URI (line 1) and query (line 2) without python, including input
// botocore cannot take (bytes that are not UTF-8).
void SigV4Test::canonicalParts_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("uri");
    QTest::addColumn<QByteArray>("query");

    QTest::newRow("empty") << QByteArray() << QByteArray("/") << QByteArray();
    QTest::newRow("encoded space is encoded again") << QByteArray("/a%20b") << QByteArray("/a%2520b") << QByteArray();
    QTest::newRow("dot segments and double slashes")
        << QByteArray("/a/./b/../c//d/") << QByteArray("/a/c/d/") << QByteArray();
    QTest::newRow("all segments removed") << QByteArray("/a/../") << QByteArray("/") << QByteArray();
    QTest::newRow("bytes that are not UTF-8")
        << QByteArray("/\xff\xfe ok") << QByteArray("/%FF%FE%20ok") << QByteArray();
    QTest::newRow("query sorted as pairs")
        << QByteArray("/?b=2&a&a-=0&a=1") << QByteArray("/") << QByteArray("a=&a=1&a-=0&b=2");
    QTest::newRow("query not re-encoded") << QByteArray("/?x=a+b%2f") << QByteArray("/") << QByteArray("x=a+b%2f");
}

void SigV4Test::canonicalParts()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, uri);
    QFETCH(QByteArray, query);
    const SigningRequest request { "GET", "example.com", target, {}, {} };
    const QByteArray canonical = SigV4::canonicalRequest(request, "20240229T235958Z", {});
    QCOMPARE(lineOf(canonical, 1), uri);
    QCOMPARE(lineOf(canonical, 2), query);
}

void SigV4Test::describeShowsNoSecret()
{
    const AwsCredentials keys = sessionKeys();
    const QString text = keys.describe();
    QCOMPARE(text, QStringLiteral("ASIA\u2026ENID (temporary) from assume role, expires 2024-03-01T00:59:58Z"));
    QVERIFY(!text.contains(keys.secretAccessKey.left(8)));
    QVERIFY(!text.contains(keys.sessionToken.left(8)));
    QCOMPARE(longTermKeys().describe(), QStringLiteral("AKIA\u2026MPLE from test"));
    QCOMPARE(AwsCredentials().describe(), QStringLiteral("no access key"));
}

QTEST_GUILESS_MAIN(SigV4Test)
#include "tst_sigv4.moc"
