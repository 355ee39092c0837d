// ExecutionFollower against a scripted Step Functions endpoint: only new
// events are fetched (reverseOrder pages, no page past the newest known id),
// a service that ignores reverseOrder (moto) still gives no duplicates and no
// gaps, throttling backs the interval off and a good answer brings it back,
// a terminal event or a non-retryable error ends the following, stop() cancels.
#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/stepfunctionsclient.h"
#include "fakes/scriptedhttpserver.h"
#include "saga/executionfollower.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Bramble::Aws;
using Bramble::Saga::ExecutionFollower;
using Bramble::Test::ScriptedHttpServer;
using Answer = ScriptedHttpServer::Answer;

namespace {

const QString ExecutionArn = QStringLiteral("arn:aws:states:eu-west-1:123456789012:execution:Trip:run-1");

// One history event; `details` goes under "<lowerCamel type>EventDetails".
QJsonObject historyEvent(
    qint64 id, const QString &type = QStringLiteral("PassStateEntered"), const QJsonObject &details = {})
{
    QJsonObject e { { QStringLiteral("id"), double(id) }, { QStringLiteral("previousEventId"), double(id - 1) },
        { QStringLiteral("timestamp"), 1700000000.0 + double(id) }, { QStringLiteral("type"), type } };
    if (!details.isEmpty())
        e.insert(QString(type.left(1).toLower() + type.mid(1) + QStringLiteral("EventDetails")), details);
    return e;
}

QList<QJsonObject> events(const QList<qint64> &ids)
{
    QList<QJsonObject> out;
    for (const qint64 id : ids)
        out << historyEvent(id);
    return out;
}

// A GetExecutionHistory answer: the events as given, and a token when not empty.
Answer page(const QList<QJsonObject> &events, const QByteArray &token = {})
{
    QJsonArray array;
    for (const QJsonObject &e : events)
        array.append(e);
    QJsonObject body { { QStringLiteral("events"), array } };
    if (!token.isEmpty())
        body.insert(QStringLiteral("nextToken"), QString::fromLatin1(token));
    return Answer::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Answer page(const QList<qint64> &ids, const QByteArray &token = {})
{
    return page(events(ids), token);
}

QJsonObject bodyOf(const ScriptedHttpServer::Request &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

QList<qint64> idsOf(const QList<QJsonObject> &events)
{
    QList<qint64> out;
    for (const QJsonObject &e : events)
        out << qint64(e.value(QStringLiteral("id")).toDouble());
    return out;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> out;
    for (qint64 id = first; id <= last; ++id)
        out << id;
    return out;
}

// Everything the follower said, in order.
struct Recorder {
    QList<QList<qint64>> appended;
    QList<int> polled;
    QList<Bramble::Core::Error> errors;
    QList<Bramble::Core::Error> finished;

    explicit Recorder(ExecutionFollower *f)
    {
        QObject::connect(f, &ExecutionFollower::eventsAppended, f,
            [this](const QList<QJsonObject> &newEvents) { appended << idsOf(newEvents); });
        QObject::connect(f, &ExecutionFollower::polled, f, [this](int ms) { polled << ms; });
        QObject::connect(f, &ExecutionFollower::error, f, [this](const Bramble::Core::Error &e) { errors << e; });
        QObject::connect(f, &ExecutionFollower::finished, f, [this](const Bramble::Core::Error &e) { finished << e; });
    }
    int signalCount() const { return int(appended.size() + polled.size() + errors.size() + finished.size()); }
};

} // namespace

class tst_ExecutionFollower : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void reverseOrderFetchesOnlyNewEvents();
    void ignoredReverseOrderHasNoDuplicatesOrGaps_data();
    void ignoredReverseOrderHasNoDuplicatesOrGaps();
    void throttlingBacksOffAndRecovers();
    void terminalEventFinishesAndStopsPolling();
    void nonRetryableErrorFinishes();
    void stopCancelsThePollInFlight();
    void stopBetweenPollsAndResume();

private:
    ExecutionFollower *makeFollower();
    void expectNoMoreRequests(qsizetype count, int waitMs = 150);

    ScriptedHttpServer *m_server = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    StaticCredentialsProvider *m_credentials = nullptr;
    AwsTransport *m_transport = nullptr;
    StepFunctionsClient *m_client = nullptr;
    ExecutionFollower *m_follower = nullptr;
};

void tst_ExecutionFollower::init()
{
    m_server = new ScriptedHttpServer;
    QVERIFY(m_server->listen());
    // Beyond the script: an empty history page (nothing new).
    m_server->setFallback(page(QList<qint64> {}));
    m_network = new QNetworkAccessManager;
    AwsCredentials c;
    c.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    c.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    c.source = QStringLiteral("test");
    m_credentials = new StaticCredentialsProvider(c);
    m_transport = new AwsTransport(m_network, m_credentials, QStringLiteral("eu-west-1"));
    m_transport->setEndpoint(ServiceInfo::stepFunctions(), QUrl(QString::fromLatin1(m_server->url())));
    m_transport->retryPolicy().setMaxAttempts(1); // errors reach the follower as they come
    m_client = new StepFunctionsClient(m_transport);
}

void tst_ExecutionFollower::cleanup()
{
    delete m_follower;
    m_follower = nullptr;
    delete m_client;
    delete m_transport;
    delete m_credentials;
    delete m_network;
    delete m_server;
}

ExecutionFollower *tst_ExecutionFollower::makeFollower()
{
    m_follower = new ExecutionFollower(m_client, ExecutionArn);
    m_follower->setActiveIntervalMs(10);
    m_follower->setIdleIntervalMs(30);
    m_follower->setThrottledIntervalMs(40, 120);
    return m_follower;
}

void tst_ExecutionFollower::expectNoMoreRequests(qsizetype count, int waitMs)
{
    QTest::qWait(waitMs);
    QCOMPARE(m_server->requests().size(), count);
}

void tst_ExecutionFollower::reverseOrderFetchesOnlyNewEvents()
{
    const QString input(300, u'i');
    const QString output(1000, u'o');
    QList<QJsonObject> history { historyEvent(
                                     1, QStringLiteral("ExecutionStarted"), { { QStringLiteral("input"), input } }),
        historyEvent(2), historyEvent(3), historyEvent(4), historyEvent(5), historyEvent(6),
        historyEvent(7, QStringLiteral("PassStateExited"), { { QStringLiteral("output"), output } }), historyEvent(8) };
    const auto newestFirst = [&](qint64 from, qint64 to) {
        QList<QJsonObject> out;
        for (qint64 id = from; id >= to; --id)
            out << history.at(id - 1);
        return out;
    };
    // What the service answers, newest first in pages of two; the follower
    // must not ask for the page after the one holding a known id.
    m_server->enqueue(page(newestFirst(5, 4), "poll1-page2"));
    m_server->enqueue(page(newestFirst(3, 2), "poll1-page3"));
    m_server->enqueue(page(newestFirst(1, 1)));
    m_server->enqueue(page(newestFirst(8, 7), "poll2-page2"));
    m_server->enqueue(page(newestFirst(6, 5), "poll2-page3"));
    m_server->enqueue(page(newestFirst(8, 7), "poll3-page2"));

    ExecutionFollower *f = makeFollower();
    f->setPageSize(2);
    Recorder r(f);
    f->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->requests().size() >= 7, 10000);
    f->stop();

    const QList<ScriptedHttpServer::Request> requests = m_server->requests();
    const QList<QString> tokens { {}, QStringLiteral("poll1-page2"), QStringLiteral("poll1-page3"), {},
        QStringLiteral("poll2-page2"), {}, {} };
    for (int i = 0; i < tokens.size(); ++i) {
        const QJsonObject body = bodyOf(requests.at(i));
        QCOMPARE(requests.at(i).header("X-Amz-Target"), QByteArray("AWSStepFunctions.GetExecutionHistory"));
        QCOMPARE(body.value(QStringLiteral("executionArn")).toString(), ExecutionArn);
        QCOMPARE(body.value(QStringLiteral("reverseOrder")), QJsonValue(true));
        QCOMPARE(body.value(QStringLiteral("maxResults")).toInt(), 2);
        QCOMPARE(body.value(QStringLiteral("nextToken")).toString(), tokens.at(i));
    }
    QCOMPARE(r.appended, (QList<QList<qint64>> { range(1, 5), range(6, 8) }));
    QCOMPARE(idsOf(f->events()), range(1, 8));
    QVERIFY(f->reverseOrderHonoured());
    QCOMPARE(f->lastEventId(), qint64(8));
    QCOMPARE(f->eventCount(), 8);
    QCOMPARE(f->eventFraction(), 8.0 / ExecutionFollower::MaxHistoryEvents);
    QCOMPARE(f->largestPayloadBytes(), qsizetype(1000));
    QCOMPARE(f->payloadFraction(), 1000.0 / (256 * 1024));
    QVERIFY(r.errors.isEmpty());
    QVERIFY(r.finished.isEmpty());
}

void tst_ExecutionFollower::ignoredReverseOrderHasNoDuplicatesOrGaps_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("pages") << QStringLiteral("pages");
    QTest::newRow("one page") << QStringLiteral("one page");
    QTest::newRow("one event first") << QStringLiteral("one event first");
}

// moto: oldest first whatever reverseOrder says. The history grows 3 -> 6 ->
// 7 (ExecutionSucceeded); each poll's answer is scripted as such a service
// gives it, in pages of two or all at once.
void tst_ExecutionFollower::ignoredReverseOrderHasNoDuplicatesOrGaps()
{
    QFETCH(QString, scenario);
    const bool paged = scenario == u"pages";
    const QList<qint64> sizes = scenario == u"one event first" ? QList<qint64> { 1, 6, 7 } : QList<qint64> { 3, 6, 7 };
    for (const qint64 size : sizes) {
        QList<QJsonObject> history = events(range(1, size));
        if (size == 7)
            history.last() = historyEvent(
                7, QStringLiteral("ExecutionSucceeded"), { { QStringLiteral("output"), QStringLiteral("{}") } });
        if (!paged) {
            m_server->enqueue(page(history));
            continue;
        }
        for (qsizetype at = 0; at < history.size(); at += 2) {
            const bool last = at + 2 >= history.size();
            m_server->enqueue(
                page(history.mid(at, 2), last ? QByteArray() : QByteArray("page-" + QByteArray::number(at + 2))));
        }
    }

    ExecutionFollower *f = makeFollower();
    f->setPageSize(paged ? 2 : 0);
    Recorder r(f);
    f->start();
    QTRY_COMPARE_WITH_TIMEOUT(r.finished.size(), 1, 10000);
    QVERIFY(r.finished.first().isNull());
    QCOMPARE(f->terminalEventType(), QStringLiteral("ExecutionSucceeded"));
    QCOMPARE(r.appended.first(), range(1, sizes.first()));
    QCOMPARE(r.appended.at(1), range(sizes.first() + 1, 6));
    QCOMPARE(r.appended.at(2), QList<qint64> { 7 });
    QCOMPARE(r.appended.size(), 3);
    QCOMPARE(idsOf(f->events()), range(1, 7));
    QVERIFY(!f->reverseOrderHonoured());
    QVERIFY(!f->isRunning());
    QVERIFY(f->isFinished());

    // Every page was read once detected: the script ran out exactly.
    const qsizetype sent = m_server->requests().size();
    const qsizetype expected = paged ? 2 + 3 + 4 : 3;
    QCOMPARE(sent, expected);
    // Forward order is asked for once the service was seen ignoring reverseOrder.
    QCOMPARE(bodyOf(m_server->requests().first()).value(QStringLiteral("reverseOrder")), QJsonValue(true));
    QCOMPARE(bodyOf(m_server->requests().last()).value(QStringLiteral("reverseOrder")), QJsonValue(false));
    expectNoMoreRequests(sent);
}

void tst_ExecutionFollower::throttlingBacksOffAndRecovers()
{
    m_server->enqueue(page(QList<qint64> { 1 }));
    for (int i = 0; i < 4; ++i)
        m_server->enqueue(Answer::awsError(400, "ThrottlingException", "Rate exceeded"));
    m_server->enqueue(page(QList<qint64> { 2, 1 }));
    m_server->enqueue(page(QList<qint64> { 2, 1 }));
    m_server->enqueue(page({ historyEvent(3, QStringLiteral("ExecutionSucceeded")), historyEvent(2) }));

    ExecutionFollower *f = makeFollower();
    Recorder r(f);
    QElapsedTimer clock;
    clock.start();
    f->start();
    QTRY_COMPARE_WITH_TIMEOUT(r.finished.size(), 1, 10000);
    // active 10 ms; throttled 40, 80, 120, 120 (the cap); events again: 10;
    // idle: x1.5; then the terminal event.
    QCOMPARE(r.polled, (QList<int> { 10, 40, 80, 120, 120, 10, 15 }));
    QVERIFY2(clock.elapsed() >= 10 + 40 + 80 + 120 + 120 + 10 + 15, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(r.errors.size(), 4);
    for (const Bramble::Core::Error &e : std::as_const(r.errors))
        QCOMPARE(e.reason, QStringLiteral("ThrottlingException"));
    QVERIFY(r.finished.first().isNull());
    QCOMPARE(r.appended, (QList<QList<qint64>> { { 1 }, { 2 }, { 3 } }));
    QCOMPARE(m_server->requests().size(), 8);
}

void tst_ExecutionFollower::terminalEventFinishesAndStopsPolling()
{
    m_server->enqueue(page(
        { historyEvent(3, QStringLiteral("ExecutionFailed"), { { QStringLiteral("error"), QStringLiteral("Boom") } }),
            historyEvent(2), historyEvent(1) }));
    ExecutionFollower *f = makeFollower();
    Recorder r(f);
    f->start();
    QTRY_COMPARE_WITH_TIMEOUT(r.finished.size(), 1, 10000);
    QVERIFY(r.finished.first().isNull());
    QCOMPARE(r.appended, (QList<QList<qint64>> { range(1, 3) }));
    QCOMPARE(f->terminalEventType(), QStringLiteral("ExecutionFailed"));
    QVERIFY(f->isFinished());
    QVERIFY(!f->isRunning());
    expectNoMoreRequests(1);
    f->start(); // finished for good
    expectNoMoreRequests(1);
    QCOMPARE(r.finished.size(), 1);
}

void tst_ExecutionFollower::nonRetryableErrorFinishes()
{
    m_server->enqueue(page(QList<qint64> { 1 }));
    m_server->enqueue(Answer::awsError(400, "ExecutionDoesNotExist", "Execution does not exist"));
    ExecutionFollower *f = makeFollower();
    Recorder r(f);
    f->start();
    QTRY_COMPARE_WITH_TIMEOUT(r.finished.size(), 1, 10000);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.finished.first().reason, QStringLiteral("ExecutionDoesNotExist"));
    QCOMPARE(f->lastError().reason, QStringLiteral("ExecutionDoesNotExist"));
    QVERIFY(f->terminalEventType().isEmpty());
    QVERIFY(f->isFinished());
    expectNoMoreRequests(2);
}

void tst_ExecutionFollower::stopCancelsThePollInFlight()
{
    m_server->enqueue(Answer::stall());
    ExecutionFollower *f = makeFollower();
    Recorder r(f);
    f->start();
    QVERIFY(f->isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requests().size(), 1, 10000);
    f->stop();
    QVERIFY(!f->isRunning());
    expectNoMoreRequests(1, 200);
    QCOMPARE(r.signalCount(), 0);
    QVERIFY(!f->isFinished());
}

void tst_ExecutionFollower::stopBetweenPollsAndResume()
{
    m_server->enqueue(page(QList<qint64> { 1 }));
    m_server->enqueue(page(QList<qint64> { 2, 1 }));
    ExecutionFollower *f = makeFollower();
    Recorder r(f);
    // Stopped right after the first poll, before its 10 ms wait is over.
    const QMetaObject::Connection once = connect(f, &ExecutionFollower::polled, f, [f] { f->stop(); });
    f->start();
    QTRY_COMPARE_WITH_TIMEOUT(r.polled.size(), 1, 10000);
    disconnect(once);
    QVERIFY(!f->isRunning());
    expectNoMoreRequests(1, 100); // ten active intervals
    QCOMPARE(r.appended, (QList<QList<qint64>> { { 1 } }));

    f->start(); // resumes from the known events
    QTRY_COMPARE_WITH_TIMEOUT(r.appended.size(), 2, 10000);
    QCOMPARE(r.appended.last(), QList<qint64> { 2 });
    QCOMPARE(idsOf(f->events()), range(1, 2));
}

QTEST_GUILESS_MAIN(tst_ExecutionFollower)
#include "tst_executionfollower.moc"
