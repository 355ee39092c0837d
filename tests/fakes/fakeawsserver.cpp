#include "fakes/fakeawsserver.h"

#include "fakes/aslsimulator.h"
#include "fakes/httpmessages.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <optional>

namespace Bramble::Test {

namespace {

using Json = QJsonObject;

QString s(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

double epochSeconds(qint64 ms)
{
    return double(ms) / 1000.0;
}

QDateTime fromMs(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

bool isTerminalEvent(const QString &type)
{
    return type == u"ExecutionSucceeded" || type == u"ExecutionFailed" || type == u"ExecutionAborted"
        || type == u"ExecutionTimedOut";
}

} // namespace

struct FakeAwsServer::StateMachine {
    QString arn;
    QString name;
    QString region;
    QByteArray definition;
    QJsonObject parsed;
    QString roleArn;
    qint64 createdMs = 0;
};

struct FakeAwsServer::Run {
    QString arn;
    QString machineArn;
    QString name;
    QString region;
    QString input;
    QString status = s("RUNNING");
    qint64 startMs = 0;
    qint64 stopMs = 0;
    qint64 redriveMs = 0;
    QString output;
    QString error;
    QString cause;
    int redriveCount = 0;
    QJsonArray events;
    QList<SimEvent> pending;
    int tickMs = 0;
    bool virtualClock = false;
    qint64 segmentMs = 0; // the simulated clock's zero for the pending events
    qint64 lastTsMs = 0;
    QTimer *timer = nullptr;
    QJsonObject definition; // empty for ready-made histories (not redrivable)
    QString transactionId;
    QString resumeState;
    QJsonValue resumeInput;
};

struct FakeAwsServer::Table {
    QString name;
    QString region;
    QJsonArray keySchema;
    QJsonArray attributeDefinitions;
    QStringList keys; // hash key, then range key
    qint64 createdMs = 0;
    QMap<QString, QJsonObject> items;

    QString keyOf(const QJsonObject &item, bool exact, QString *error) const
    {
        if (exact && item.size() != keys.size()) {
            *error = s("The provided key element does not match the schema");
            return {};
        }
        QString k;
        for (const QString &name : keys) {
            if (!item.contains(name) || !item.value(name).isObject()) {
                *error = exact
                    ? s("The provided key element does not match the schema")
                    : QStringLiteral("One or more parameter values were invalid: Missing the key %1 in the item")
                          .arg(name);
                return {};
            }
            k += jsonText(item.value(name)) + u'\x1f';
        }
        return k;
    }

    QJsonObject description() const
    {
        return Json { { s("TableName"), name }, { s("TableStatus"), s("ACTIVE") }, { s("KeySchema"), keySchema },
            { s("AttributeDefinitions"), attributeDefinitions }, { s("CreationDateTime"), epochSeconds(createdMs) },
            { s("ItemCount"), double(items.size()) }, { s("TableSizeBytes"), 0 },
            { s("TableArn"), QStringLiteral("arn:aws:dynamodb:%1:%2:table/%3").arg(region, s(Account), name) },
            { s("TableId"), QUuid::createUuid().toString(QUuid::WithoutBraces) },
            { s("BillingModeSummary"), Json { { s("BillingMode"), s("PAY_PER_REQUEST") } } } };
    }
};

struct FakeAwsServer::Response {
    int status = 200;
    QByteArray body;

    static Response ok(const QJsonObject &json) { return { 200, QJsonDocument(json).toJson(QJsonDocument::Compact) }; }
    static Response error(const QString &type, const QString &message, int status = 400)
    {
        return { status,
            QJsonDocument(Json { { s("__type"), type }, { s("message"), message } }).toJson(QJsonDocument::Compact) };
    }
};

FakeAwsServer::FakeAwsServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeAwsServer::onConnection);
}

FakeAwsServer::~FakeAwsServer() = default;

bool FakeAwsServer::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

QString FakeAwsServer::errorString() const
{
    return m_server->errorString();
}

quint16 FakeAwsServer::port() const
{
    return m_server->serverPort();
}

QUrl FakeAwsServer::endpoint() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QString FakeAwsServer::addStateMachine(const QString &name, const QByteArray &definitionJson, const QString &region)
{
    auto m = std::make_shared<StateMachine>();
    m->name = name;
    m->region = region;
    m->arn = QStringLiteral("arn:aws:states:%1:%2:stateMachine:%3").arg(region, s(Account), name);
    m->definition = definitionJson;
    m->parsed = QJsonDocument::fromJson(definitionJson).object();
    m->roleArn = QStringLiteral("arn:aws:iam::%1:role/%2-role").arg(s(Account), name);
    m->createdMs = nowMs();
    m_machines.insert(m->arn, m);
    if (!table(region, s(SagaTable)))
        createTable(s(SagaTable), s("TransactionId"), region);
    return m->arn;
}

QString FakeAwsServer::addExecution(
    const QString &stateMachineArn, const QString &name, const QJsonArray &events, const QString &status)
{
    const auto machine = m_machines.value(stateMachineArn);
    if (!machine)
        return {};
    const QString arn
        = QStringLiteral("arn:aws:states:%1:%2:execution:%3:%4").arg(machine->region, s(Account), machine->name, name);
    if (m_runByArn.contains(arn))
        return {};
    auto r = std::make_shared<Run>();
    r->arn = arn;
    r->machineArn = stateMachineArn;
    r->name = name;
    r->region = machine->region;
    r->events = events;
    const auto tsMs = [](const QJsonValue &e) { return qint64(std::llround(e[u"timestamp"].toDouble() * 1000)); };
    if (!events.isEmpty()) {
        r->startMs = tsMs(events.first());
        r->lastTsMs = tsMs(events.last());
        r->input = events.first()[u"executionStartedEventDetails"][u"input"].toString();
        const QJsonObject last = events.last().toObject();
        const QString type = last.value(u"type").toString();
        const QJsonObject details = last.value(eventDetailsKey(type)).toObject();
        if (isTerminalEvent(type)) {
            r->stopMs = r->lastTsMs;
            r->status = type == u"ExecutionSucceeded" ? s("SUCCEEDED")
                : type == u"ExecutionFailed"          ? s("FAILED")
                : type == u"ExecutionAborted"         ? s("ABORTED")
                                                      : s("TIMED_OUT");
            r->output = details.value(u"output").toString();
            r->error = details.value(u"error").toString();
            r->cause = details.value(u"cause").toString();
        }
        for (const QJsonValue &e : events)
            if (e[u"type"].toString() == u"ExecutionRedriven")
                ++r->redriveCount;
    } else {
        r->startMs = r->lastTsMs = nowMs();
    }
    if (!status.isEmpty())
        r->status = status;
    m_runByArn.insert(arn, r.get());
    m_runs.append(r);
    return arn;
}

QString FakeAwsServer::startExecution(const QString &stateMachineArn, const QString &name, const QString &input,
    const StartOptions &options, QString *error)
{
    const auto machine = m_machines.value(stateMachineArn);
    QString type, message;
    QString arn;
    if (!machine) {
        type = s("StateMachineDoesNotExist");
        message = QStringLiteral("State Machine Does Not Exist: '%1'").arg(stateMachineArn);
    } else {
        arn = startRun(machine.get(), name, input, options, &type, &message);
    }
    if (arn.isEmpty() && error)
        *error = type + u": " + message;
    return arn;
}

QString FakeAwsServer::startRun(StateMachine *machine, const QString &requestedName, const QString &inputText,
    const StartOptions &options, QString *errorType, QString *message)
{
    const QString name = requestedName.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : requestedName;
    static const QRegularExpression badName(QStringLiteral(R"([\s<>{}\[\]?*"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f])"));
    if (name.size() > 80 || badName.match(name).hasMatch()) {
        *errorType = s("InvalidName");
        *message = QStringLiteral("Invalid Name: '%1'").arg(name);
        return {};
    }
    const QString input = inputText.isEmpty() ? s("{}") : inputText;
    QString parseError;
    const std::optional<QJsonValue> parsed = parseJson(input, &parseError);
    if (!parsed) {
        *errorType = s("InvalidExecutionInput");
        *message = QStringLiteral("Invalid State Machine Execution Input: '%1'").arg(parseError);
        return {};
    }
    const QString arn
        = QStringLiteral("arn:aws:states:%1:%2:execution:%3:%4").arg(machine->region, s(Account), machine->name, name);
    if (Run *existing = run(arn)) {
        if (existing->status == u"RUNNING" && existing->input == input)
            return arn; // StartExecution is idempotent for a running STANDARD execution
        *errorType = s("ExecutionAlreadyExists");
        *message = QStringLiteral("Execution Already Exists: '%1'").arg(arn);
        return {};
    }

    auto r = std::make_shared<Run>();
    r->arn = arn;
    r->machineArn = machine->arn;
    r->name = name;
    r->region = machine->region;
    r->input = input;
    r->definition = machine->parsed;
    r->tickMs = options.tickMs == -2 ? m_tickMs : options.tickMs;
    r->virtualClock = options.startDate.isValid();
    r->startMs = r->virtualClock ? options.startDate.toMSecsSinceEpoch() : nowMs();
    r->segmentMs = r->startMs;

    Faults faults;
    const QJsonValue td = parsed->toObject().value(u"Payload").toObject().value(u"TransactionDetails");
    faults.simulateFail = td[u"simulateFail"].toBool();
    if (td[u"failAt"].isString())
        faults.failAt = td[u"failAt"].toString();
    faults.failRollback = td[u"failRollback"].toString();
    faults.retries = td[u"retries"].toInt();
    const QJsonValue id = td[u"TransactionId"];
    r->transactionId = id.isString() ? id.toString() : id.isDouble() ? jsonText(id) : QString();

    r->pending
        = simulateExecution(machine->parsed, input, machine->roleArn, r->region, faults, !r->transactionId.isEmpty());
    if (!r->pending.isEmpty()) {
        r->resumeState = r->pending.first().resumeState;
        r->resumeInput = r->pending.first().resumeInput;
    }

    m_runByArn.insert(arn, r.get());
    m_runs.append(r);
    release(r.get(), r->tickMs == 0 ? INT_MAX : (r->tickMs > 0 ? 1 : 0));
    schedule(r.get());
    return arn;
}

void FakeAwsServer::schedule(Run *r)
{
    if (r->tickMs <= 0 || r->pending.isEmpty()) {
        if (r->timer)
            r->timer->stop();
        return;
    }
    if (!r->timer) {
        r->timer = new QTimer(this);
        const QString arn = r->arn;
        connect(r->timer, &QTimer::timeout, this, [this, arn] {
            Run *x = run(arn);
            if (!x)
                return;
            release(x, 1);
            if (x->pending.isEmpty())
                x->timer->stop();
        });
    }
    r->timer->start(r->tickMs);
}

int FakeAwsServer::releaseEvents(const QString &executionArn, int count)
{
    Run *r = run(executionArn);
    if (!r)
        return 0;
    const qsizetype before = r->pending.size();
    release(r, count);
    if (r->pending.isEmpty() && r->timer)
        r->timer->stop();
    return int(before - r->pending.size());
}

void FakeAwsServer::release(Run *r, int count)
{
    int released = 0;
    while (released < count && !r->pending.isEmpty()) {
        SimEvent ev = r->pending.takeFirst();
        qint64 ts = r->virtualClock ? r->segmentMs + ev.offsetMs : nowMs();
        ts = qMax(ts, r->lastTsMs);
        r->lastTsMs = ts;
        ev.event.insert(s("timestamp"), epochSeconds(ts));
        const QString type = ev.event.value(u"type").toString();
        r->events.append(ev.event);
        ++released;
        if (!ev.effect.isEmpty())
            applyEffect(r, ev.effect);
        if (isTerminalEvent(type)) {
            const QJsonObject d = ev.event.value(eventDetailsKey(type)).toObject();
            r->status = type == u"ExecutionSucceeded" ? s("SUCCEEDED")
                : type == u"ExecutionFailed"          ? s("FAILED")
                : type == u"ExecutionAborted"         ? s("ABORTED")
                                                      : s("TIMED_OUT");
            r->stopMs = ts;
            r->output = d.value(u"output").toString();
            r->error = d.value(u"error").toString();
            r->cause = d.value(u"cause").toString();
        } else {
            r->resumeState = ev.resumeState;
            r->resumeInput = ev.resumeInput;
        }
    }
    if (released)
        Q_EMIT executionChanged(r->arn);
}

void FakeAwsServer::applyEffect(Run *r, const QJsonObject &effect)
{
    Table *t = table(r->region, s(SagaTable));
    if (!t) {
        createTable(s(SagaTable), s("TransactionId"), r->region);
        t = table(r->region, s(SagaTable));
    }
    const QJsonObject key { { s("TransactionId"), Json { { s("S"), r->transactionId } } } };
    QString error;
    const QString k = t->keyOf(key, false, &error);
    if (k.isEmpty())
        return; // the table's key is not TransactionId
    const QString attribute = effect.value(u"attribute").toString();
    if (effect.value(u"op").toString() == u"put") {
        QJsonObject item = t->items.value(k, key);
        item.insert(attribute, Json { { s("S"), QString(attribute + u" sample data") } });
        t->items.insert(k, item);
    } else if (t->items.contains(k)) {
        QJsonObject item = t->items.value(k);
        item.remove(attribute);
        if (item.size() <= t->keys.size())
            t->items.remove(k);
        else
            t->items.insert(k, item);
    }
}

bool FakeAwsServer::stopExecution(const QString &executionArn, const QString &error, const QString &cause, QString *why)
{
    Run *r = run(executionArn);
    if (!r) {
        if (why)
            *why = QStringLiteral("ExecutionDoesNotExist: Execution Does Not Exist: '%1'").arg(executionArn);
        return false;
    }
    if (r->status != u"RUNNING") {
        if (why)
            *why = QStringLiteral("ValidationException: Execution '%1' is not running (%2)")
                       .arg(executionArn, r->status);
        return false;
    }
    r->pending.clear();
    if (r->timer)
        r->timer->stop();
    const qint64 last = r->events.isEmpty() ? 0 : qint64(r->events.last().toObject().value(u"id").toDouble());
    QJsonObject details;
    if (!error.isEmpty())
        details.insert(s("error"), error);
    if (!cause.isEmpty())
        details.insert(s("cause"), cause);
    SimEvent ev;
    ev.event = Json { { s("id"), double(last + 1) }, { s("previousEventId"), double(last) },
        { s("type"), s("ExecutionAborted") } };
    ev.event.insert(s("executionAbortedEventDetails"), details);
    // On a simulated clock the stop comes a moment after the last event.
    r->segmentMs = r->lastTsMs;
    ev.offsetMs = 1500;
    r->pending.append(ev);
    release(r, 1);
    return true;
}

bool FakeAwsServer::redriveExecution(const QString &executionArn, QString *why)
{
    Run *r = run(executionArn);
    if (!r) {
        if (why)
            *why = QStringLiteral("ExecutionDoesNotExist: Execution Does Not Exist: '%1'").arg(executionArn);
        return false;
    }
    if (r->status != u"FAILED" && r->status != u"TIMED_OUT" && r->status != u"ABORTED") {
        if (why)
            *why = QStringLiteral("ExecutionNotRedrivable: Execution '%1' cannot be redriven: its status is %2")
                       .arg(executionArn, r->status);
        return false;
    }
    if (r->events.size() >= 24999) {
        if (why)
            *why = QStringLiteral("ExecutionNotRedrivable: Execution '%1' has 24999 or more history events")
                       .arg(executionArn);
        return false;
    }
    if (r->definition.isEmpty() || r->resumeState.isEmpty()) {
        if (why)
            *why = QStringLiteral("ExecutionNotRedrivable: Execution '%1' has no state to redrive from")
                       .arg(executionArn);
        return false;
    }
    ++r->redriveCount;
    r->redriveMs = r->virtualClock ? r->lastTsMs + 60000 : nowMs();
    r->segmentMs = r->redriveMs;
    r->status = s("RUNNING");
    r->stopMs = 0;
    r->error.clear();
    r->cause.clear();
    r->output.clear();
    const qint64 last = qint64(r->events.last().toObject().value(u"id").toDouble());
    r->pending = simulateRedrive(
        r->definition, r->redriveCount, last, r->resumeState, r->resumeInput, r->region, !r->transactionId.isEmpty());
    release(r, r->tickMs == 0 ? INT_MAX : (r->tickMs > 0 ? 1 : 0));
    schedule(r);
    return true;
}

FakeAwsServer::Run *FakeAwsServer::run(const QString &arn) const
{
    return m_runByArn.value(arn, nullptr);
}

FakeAwsServer::Execution FakeAwsServer::snapshot(const Run &r) const
{
    Execution e;
    e.arn = r.arn;
    e.stateMachineArn = r.machineArn;
    e.name = r.name;
    e.region = r.region;
    e.status = r.status;
    e.startDate = fromMs(r.startMs);
    e.stopDate = fromMs(r.stopMs);
    e.redriveDate = fromMs(r.redriveMs);
    e.input = r.input;
    e.output = r.output;
    e.error = r.error;
    e.cause = r.cause;
    e.redriveCount = r.redriveCount;
    e.events = r.events;
    e.pendingEvents = int(r.pending.size());
    return e;
}

QList<FakeAwsServer::Execution> FakeAwsServer::executions() const
{
    QList<Execution> out;
    for (const auto &r : m_runs)
        out << snapshot(*r);
    return out;
}

FakeAwsServer::Execution FakeAwsServer::execution(const QString &executionArn) const
{
    const Run *r = run(executionArn);
    return r ? snapshot(*r) : Execution();
}

FakeAwsServer::Table *FakeAwsServer::table(const QString &region, const QString &name) const
{
    return m_tables.value(region + u'/' + name).get();
}

void FakeAwsServer::createTable(const QString &name, const QString &hashKey, const QString &region)
{
    auto t = std::make_shared<Table>();
    t->name = name;
    t->region = region;
    t->keys = QStringList { hashKey };
    t->keySchema = QJsonArray { Json { { s("AttributeName"), hashKey }, { s("KeyType"), s("HASH") } } };
    t->attributeDefinitions = QJsonArray { Json { { s("AttributeName"), hashKey }, { s("AttributeType"), s("S") } } };
    t->createdMs = nowMs();
    m_tables.insert(region + u'/' + name, t);
}

void FakeAwsServer::putItem(const QString &tableName, const QJsonObject &item, const QString &region)
{
    if (item.isEmpty())
        return;
    if (!table(region, tableName))
        createTable(tableName, item.begin().key(), region);
    Table *t = table(region, tableName);
    QString error;
    const QString k = t->keyOf(item, false, &error);
    if (!k.isEmpty())
        t->items.insert(k, item);
}

QJsonObject FakeAwsServer::item(const QString &tableName, const QJsonObject &key, const QString &region) const
{
    const Table *t = table(region, tableName);
    if (!t)
        return {};
    QString error;
    const QString k = t->keyOf(key, true, &error);
    return k.isEmpty() ? QJsonObject() : t->items.value(k);
}

int FakeAwsServer::requestCount(const QString &operation) const
{
    if (!operation.isEmpty())
        return m_requests.value(operation);
    int total = 0;
    for (const int n : m_requests)
        total += n;
    return total;
}

QByteArray FakeAwsServer::loopDefinition()
{
    return QByteArrayLiteral(
        R"({"Comment":"A loop that makes long histories","StartAt":"Tick","States":{)"
        R"("Tick":{"Type":"Pass","Next":"More"},)"
        R"("More":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Done"}],"Default":"Tick"},)"
        R"("Done":{"Type":"Succeed"}}})");
}

QJsonArray FakeAwsServer::loopHistory(int minEvents, const QDateTime &start)
{
    const int loops = qMax(1, (minEvents - 4 + 3) / 4);
    QJsonArray events;
    qint64 ts = start.toMSecsSinceEpoch();
    qint64 id = 0;
    const auto add = [&](const QString &type, const QString &key, const QJsonObject &details) {
        ++id;
        ts += 10;
        QJsonObject e { { s("id"), double(id) }, { s("previousEventId"), double(id - 1) },
            { s("timestamp"), epochSeconds(ts) }, { s("type"), type } };
        if (!key.isEmpty())
            e.insert(key, details);
        events.append(e);
    };
    const auto state = [](const QString &name, const QString &field, const QString &data) {
        return Json { { s("name"), name }, { field, data },
            { QString(field + u"Details"), Json { { s("truncated"), false } } } };
    };
    add(s("ExecutionStarted"), s("executionStartedEventDetails"),
        Json { { s("input"), s("{}") }, { s("inputDetails"), Json { { s("truncated"), false } } },
            { s("roleArn"), QStringLiteral("arn:aws:iam::%1:role/history-loop-role").arg(s(Account)) } });
    for (int i = 0; i < loops; ++i) {
        const QString in = QStringLiteral("{\"i\":%1}").arg(i);
        const QString out = i + 1 == loops ? s("{\"done\":true}") : QStringLiteral("{\"i\":%1}").arg(i + 1);
        add(s("PassStateEntered"), s("stateEnteredEventDetails"), state(s("Tick"), s("input"), in));
        add(s("PassStateExited"), s("stateExitedEventDetails"), state(s("Tick"), s("output"), out));
        add(s("ChoiceStateEntered"), s("stateEnteredEventDetails"), state(s("More"), s("input"), out));
        add(s("ChoiceStateExited"), s("stateExitedEventDetails"), state(s("More"), s("output"), out));
    }
    add(s("SucceedStateEntered"), s("stateEnteredEventDetails"), state(s("Done"), s("input"), s("{\"done\":true}")));
    add(s("SucceedStateExited"), s("stateExitedEventDetails"), state(s("Done"), s("output"), s("{\"done\":true}")));
    add(s("ExecutionSucceeded"), s("executionSucceededEventDetails"),
        Json { { s("output"), s("{\"done\":true}") }, { s("outputDetails"), Json { { s("truncated"), false } } } });
    return events;
}

// --- HTTP ---

namespace {

QString regionOf(const QByteArray &authorization)
{
    // AWS4-HMAC-SHA256 Credential=AKID/20251123/us-east-1/states/aws4_request, SignedHeaders=..., Signature=...
    const qsizetype c = authorization.indexOf("Credential=");
    if (c < 0)
        return {};
    const QByteArray credential = authorization.mid(c + 11).split(',').value(0).trimmed();
    return QString::fromLatin1(credential.split('/').value(2));
}

// Opaque page tokens: base64url of {"op", "at"}.
QString makeToken(const QString &op, qint64 at)
{
    return QString::fromLatin1(QJsonDocument(Json { { s("op"), op }, { s("at"), double(at) } })
                                   .toJson(QJsonDocument::Compact)
                                   .toBase64(QByteArray::Base64UrlEncoding));
}

std::optional<qint64> readToken(const QJsonObject &in, const QString &op)
{
    const QString token = in.value(u"nextToken").toString();
    if (token.isEmpty())
        return qint64(-1);
    const QJsonObject o
        = QJsonDocument::fromJson(QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding)).object();
    if (o.value(u"op").toString() != op || !o.value(u"at").isDouble())
        return std::nullopt;
    return qint64(o.value(u"at").toDouble());
}

} // namespace

void FakeAwsServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void FakeAwsServer::onReadable(QTcpSocket *socket)
{
    takeHttpRequests(socket, [this, socket](const HttpRequest &request) {
        QString operation;
        Response answer;
        if (request.method != "POST")
            answer = Response::error(s("UnknownOperationException"), s("Only POST / is served"), 404);
        else
            answer = handle(request.header("x-amz-target"), request.header("authorization"), request.body, &operation);
        m_requests[operation.isEmpty() ? s("(none)") : operation] += 1;

        const bool close = request.wantsClose();
        QList<QPair<QByteArray, QByteArray>> headers = { { "Content-Type", "application/x-amz-json-1.0" },
            { "x-amzn-RequestId", QUuid::createUuid().toByteArray(QUuid::WithoutBraces) } };
        if (close)
            headers.emplaceBack("Connection", "close");
        socket->write(httpResponse(answer.status, headers, answer.body));
        Q_EMIT requestHandled(operation, answer.status);
        if (close) {
            socket->disconnectFromHost();
            return false;
        }
        return true;
    });
}

FakeAwsServer::Response FakeAwsServer::handle(
    const QByteArray &target, const QByteArray &authorization, const QByteArray &body, QString *operation)
{
    const qsizetype dot = target.indexOf('.');
    const QByteArray service = target.left(dot);
    *operation = QString::fromLatin1(target.mid(dot + 1));
    if (!authorization.startsWith("AWS4-HMAC-SHA256 "))
        return Response::error(s("MissingAuthenticationToken"), s("Missing Authentication Token"));
    QString region = regionOf(authorization);
    if (region.isEmpty())
        return Response::error(
            s("IncompleteSignatureException"), s("Authorization header requires 'Credential' parameter."));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body.isEmpty() ? QByteArray("{}") : body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Response::error(s("SerializationException"), s("Start of structure or map found where not expected."));
    if (dot < 0 || (service != "AWSStepFunctions" && service != "DynamoDB_20120810"))
        return Response::error(s("UnknownOperationException"), QString());
    if (service == "AWSStepFunctions")
        return stepFunctions(*operation, region, doc.object());
    return dynamoDb(*operation, region, doc.object());
}

FakeAwsServer::Response FakeAwsServer::stepFunctions(const QString &op, const QString &region, const QJsonObject &in)
{
    const auto maxResults = [&in](int *value) {
        const int n = in.value(u"maxResults").toInt();
        if (n < 0 || n > 1000)
            return false;
        *value = n == 0 ? 100 : n;
        return true;
    };
    const auto validation = [](const QString &field, const QJsonValue &value, const char *constraint) {
        return Response::error(s("ValidationException"),
            QStringLiteral("1 validation error detected: Value '%1' at '%2' failed to satisfy constraint: %3")
                .arg(jsonText(value), field, s(constraint)));
    };
    const auto noMachine = [](const QString &arn) {
        return arn.startsWith(u"arn:aws:states:")
            ? Response::error(
                s("StateMachineDoesNotExist"), QStringLiteral("State Machine Does Not Exist: '%1'").arg(arn))
            : Response::error(
                s("InvalidArn"), QStringLiteral("Invalid Arn: 'Resource type not valid in this context: %1'").arg(arn));
    };
    const auto noExecution = [](const QString &arn) {
        return arn.startsWith(u"arn:aws:states:")
            ? Response::error(s("ExecutionDoesNotExist"), QStringLiteral("Execution Does Not Exist: '%1'").arg(arn))
            : Response::error(
                s("InvalidArn"), QStringLiteral("Invalid Arn: 'Resource type not valid in this context: %1'").arg(arn));
    };
    const auto splitError = [](const QString &why) {
        const qsizetype colon = why.indexOf(u": ");
        return Response::error(why.left(colon), why.mid(colon + 2));
    };
    const auto describeMachine = [](const StateMachine &m) {
        return Json { { s("stateMachineArn"), m.arn }, { s("name"), m.name }, { s("status"), s("ACTIVE") },
            { s("definition"), QString::fromUtf8(m.definition) }, { s("roleArn"), m.roleArn },
            { s("type"), s("STANDARD") }, { s("creationDate"), epochSeconds(m.createdMs) },
            { s("loggingConfiguration"), Json { { s("level"), s("OFF") }, { s("includeExecutionData"), false } } },
            { s("tracingConfiguration"), Json { { s("enabled"), false } } } };
    };

    if (op == u"CreateStateMachine") {
        const QString name = in.value(u"name").toString();
        const QByteArray definition = in.value(u"definition").toString().toUtf8();
        QJsonParseError pe;
        QJsonDocument::fromJson(definition, &pe);
        if (name.isEmpty() || pe.error != QJsonParseError::NoError)
            return Response::error(
                s("InvalidDefinition"), QStringLiteral("Invalid State Machine Definition: '%1'").arg(pe.errorString()));
        const QString arn = QStringLiteral("arn:aws:states:%1:%2:stateMachine:%3").arg(region, s(Account), name);
        if (m_machines.contains(arn))
            return Response::error(
                s("StateMachineAlreadyExists"), QStringLiteral("State Machine Already Exists: '%1'").arg(arn));
        addStateMachine(name, definition, region);
        if (in.contains(u"roleArn"))
            m_machines.value(arn)->roleArn = in.value(u"roleArn").toString();
        return Response::ok({ { s("stateMachineArn"), arn }, { s("creationDate"), epochSeconds(nowMs()) } });
    }
    if (op == u"ListStateMachines") {
        int max = 0;
        if (!maxResults(&max))
            return validation(
                s("maxResults"), in.value(u"maxResults"), "Member must have value less than or equal to 1000");
        const std::optional<qint64> at = readToken(in, op);
        if (!at)
            return Response::error(s("InvalidToken"), s("Invalid Token: 'Invalid token'"));
        QList<const StateMachine *> list;
        for (const auto &m : m_machines)
            if (m->region == region)
                list << m.get();
        std::sort(list.begin(), list.end(), [](auto *a, auto *b) { return a->name < b->name; });
        const qint64 from = qMax<qint64>(0, *at);
        QJsonArray items;
        for (qint64 i = from; i < list.size() && i < from + max; ++i)
            items.append(Json { { s("stateMachineArn"), list.at(i)->arn }, { s("name"), list.at(i)->name },
                { s("type"), s("STANDARD") }, { s("creationDate"), epochSeconds(list.at(i)->createdMs) } });
        QJsonObject out { { s("stateMachines"), items } };
        if (from + max < list.size())
            out.insert(s("nextToken"), makeToken(op, from + max));
        return Response::ok(out);
    }
    if (op == u"DescribeStateMachine") {
        const QString arn = in.value(u"stateMachineArn").toString();
        const auto m = m_machines.value(arn);
        return m ? Response::ok(describeMachine(*m)) : noMachine(arn);
    }
    if (op == u"DescribeStateMachineForExecution") {
        const QString arn = in.value(u"executionArn").toString();
        const Run *r = run(arn);
        if (!r)
            return noExecution(arn);
        const auto m = m_machines.value(r->machineArn);
        QJsonObject out = describeMachine(*m);
        out.remove(s("status"));
        out.remove(s("type"));
        out.remove(s("creationDate"));
        out.insert(s("updateDate"), epochSeconds(m->createdMs));
        if (!r->definition.isEmpty()) // the version the run used, as AWS keeps it
            out.insert(s("definition"), QString::fromUtf8(QJsonDocument(r->definition).toJson(QJsonDocument::Compact)));
        return Response::ok(out);
    }
    if (op == u"ListExecutions") {
        const QString arn = in.value(u"stateMachineArn").toString();
        if (!m_machines.contains(arn))
            return noMachine(arn);
        int max = 0;
        if (!maxResults(&max))
            return validation(
                s("maxResults"), in.value(u"maxResults"), "Member must have value less than or equal to 1000");
        const QString filter = in.value(u"statusFilter").toString();
        const QString redrive = in.value(u"redriveFilter").toString();
        const std::optional<qint64> at = readToken(in, op);
        if (!at)
            return Response::error(s("InvalidToken"), s("Invalid Token: 'Invalid token'"));
        QList<const Run *> list;
        for (const auto &r : m_runs)
            if (r->machineArn == arn && (filter.isEmpty() || r->status == filter)
                && (redrive.isEmpty() || (redrive == u"REDRIVEN") == (r->redriveCount > 0)))
                list << r.get();
        std::stable_sort(list.begin(), list.end(), [](auto *a, auto *b) { return a->startMs > b->startMs; });
        const qint64 from = qMax<qint64>(0, *at);
        QJsonArray items;
        for (qint64 i = from; i < list.size() && i < from + max; ++i) {
            const Run *r = list.at(i);
            QJsonObject item { { s("executionArn"), r->arn }, { s("stateMachineArn"), r->machineArn },
                { s("name"), r->name }, { s("status"), r->status }, { s("startDate"), epochSeconds(r->startMs) },
                { s("redriveCount"), r->redriveCount } };
            if (r->stopMs)
                item.insert(s("stopDate"), epochSeconds(r->stopMs));
            if (r->redriveMs)
                item.insert(s("redriveDate"), epochSeconds(r->redriveMs));
            items.append(item);
        }
        QJsonObject out { { s("executions"), items } };
        if (from + max < list.size())
            out.insert(s("nextToken"), makeToken(op, from + max));
        return Response::ok(out);
    }
    if (op == u"DescribeExecution") {
        const QString arn = in.value(u"executionArn").toString();
        const Run *r = run(arn);
        if (!r)
            return noExecution(arn);
        const bool data = in.value(u"includedData").toString() != u"METADATA_ONLY";
        QJsonObject out { { s("executionArn"), r->arn }, { s("stateMachineArn"), r->machineArn },
            { s("name"), r->name }, { s("status"), r->status }, { s("startDate"), epochSeconds(r->startMs) },
            { s("redriveCount"), r->redriveCount } };
        if (data) {
            out.insert(s("input"), r->input);
            out.insert(s("inputDetails"), Json { { s("included"), true } });
        }
        if (r->stopMs)
            out.insert(s("stopDate"), epochSeconds(r->stopMs));
        if (r->status == u"SUCCEEDED" && data) {
            out.insert(s("output"), r->output);
            out.insert(s("outputDetails"), Json { { s("included"), true } });
        }
        if (r->status == u"FAILED" || r->status == u"ABORTED" || r->status == u"TIMED_OUT") {
            if (!r->error.isEmpty())
                out.insert(s("error"), r->error);
            if (!r->cause.isEmpty())
                out.insert(s("cause"), r->cause);
        }
        if (r->redriveMs)
            out.insert(s("redriveDate"), epochSeconds(r->redriveMs));
        if (r->status == u"RUNNING" || r->status == u"SUCCEEDED") {
            out.insert(s("redriveStatus"), s("NOT_REDRIVABLE"));
            out.insert(s("redriveStatusReason"),
                r->status == u"RUNNING" ? s("Execution is RUNNING and cannot be redriven")
                                        : s("Execution is SUCCEEDED and cannot be redriven"));
        } else {
            out.insert(s("redriveStatus"), r->definition.isEmpty() ? s("NOT_REDRIVABLE") : s("REDRIVABLE"));
        }
        return Response::ok(out);
    }
    if (op == u"GetExecutionHistory") {
        const QString arn = in.value(u"executionArn").toString();
        const Run *r = run(arn);
        if (!r)
            return noExecution(arn);
        int max = 0;
        if (!maxResults(&max))
            return validation(
                s("maxResults"), in.value(u"maxResults"), "Member must have value less than or equal to 1000");
        const bool reverse = in.value(u"reverseOrder").toBool();
        const bool data = in.value(u"includeExecutionData").toBool(true);
        const QString tokenOp = reverse ? QString(op + u"-") : QString(op + u"+");
        const std::optional<qint64> at = readToken(in, tokenOp);
        if (!at)
            return Response::error(s("InvalidToken"), s("Invalid Token: 'Invalid token'"));
        // Ids are dense from 1, so an id is an index plus one.
        const qint64 count = r->events.size();
        qint64 id = *at >= 0 ? *at : (reverse ? count : 1);
        QJsonArray page;
        while (page.size() < max && id >= 1 && id <= count) {
            QJsonObject e = r->events.at(id - 1).toObject();
            if (!data) {
                for (auto it = e.begin(); it != e.end(); ++it) {
                    if (!it.value().isObject())
                        continue;
                    QJsonObject d = it.value().toObject();
                    for (const char *field : { "input", "inputDetails", "output", "outputDetails", "parameters" })
                        d.remove(s(field));
                    it.value() = d;
                }
            }
            page.append(e);
            id += reverse ? -1 : 1;
        }
        QJsonObject out { { s("events"), page } };
        if (id >= 1 && id <= count)
            out.insert(s("nextToken"), makeToken(tokenOp, id));
        return Response::ok(out);
    }
    if (op == u"StartExecution") {
        const QString arn = in.value(u"stateMachineArn").toString();
        const auto m = m_machines.value(arn);
        if (!m)
            return noMachine(arn);
        QString type, message;
        StartOptions options;
        const QString executionArn = startRun(m.get(), in.value(u"name").toString(),
            in.contains(u"input") ? in.value(u"input").toString() : s("{}"), options, &type, &message);
        if (executionArn.isEmpty())
            return Response::error(type, message);
        return Response::ok(
            { { s("executionArn"), executionArn }, { s("startDate"), epochSeconds(run(executionArn)->startMs) } });
    }
    if (op == u"StopExecution") {
        const QString arn = in.value(u"executionArn").toString();
        if (!run(arn))
            return noExecution(arn);
        QString why;
        if (!stopExecution(arn, in.value(u"error").toString(), in.value(u"cause").toString(), &why))
            return splitError(why);
        return Response::ok({ { s("stopDate"), epochSeconds(run(arn)->stopMs) } });
    }
    if (op == u"RedriveExecution") {
        const QString arn = in.value(u"executionArn").toString();
        if (!run(arn))
            return noExecution(arn);
        QString why;
        if (!redriveExecution(arn, &why))
            return splitError(why);
        return Response::ok({ { s("redriveDate"), epochSeconds(run(arn)->redriveMs) } });
    }
    return Response::error(s("UnknownOperationException"), QStringLiteral("Unknown operation %1").arg(op));
}

FakeAwsServer::Response FakeAwsServer::dynamoDb(const QString &op, const QString &region, const QJsonObject &in)
{
    const auto error = [](const char *type, const QString &message) {
        return Response::error(u"com.amazonaws.dynamodb.v20120810#" + s(type), message);
    };
    const QString name = in.value(u"TableName").toString();
    if (op == u"ListTables") {
        QStringList names;
        for (const auto &t : m_tables)
            if (t->region == region)
                names << t->name;
        names.sort();
        return Response::ok({ { s("TableNames"), QJsonArray::fromStringList(names) } });
    }
    if (op == u"CreateTable") {
        if (table(region, name))
            return error("ResourceInUseException", QStringLiteral("Table already exists: %1").arg(name));
        const QJsonArray schema = in.value(u"KeySchema").toArray();
        if (name.isEmpty() || schema.isEmpty())
            return error("ValidationException",
                s("One or more parameter values were invalid: KeySchema and TableName are required"));
        auto t = std::make_shared<Table>();
        t->name = name;
        t->region = region;
        t->keySchema = schema;
        t->attributeDefinitions = in.value(u"AttributeDefinitions").toArray();
        for (const QString &kind : { s("HASH"), s("RANGE") })
            for (const QJsonValue &k : schema)
                if (k[u"KeyType"].toString() == kind)
                    t->keys << k[u"AttributeName"].toString();
        t->createdMs = nowMs();
        m_tables.insert(region + u'/' + name, t);
        QJsonObject d = t->description();
        d.insert(s("TableStatus"), s("ACTIVE"));
        return Response::ok({ { s("TableDescription"), d } });
    }
    Table *t = table(region, name);
    if (!t)
        return error("ResourceNotFoundException",
            op == u"DescribeTable" ? QStringLiteral("Requested resource not found: Table: %1 not found").arg(name)
                                   : s("Requested resource not found"));
    if (op == u"DescribeTable")
        return Response::ok({ { s("Table"), t->description() } });
    QString why;
    if (op == u"GetItem") {
        const QString k = t->keyOf(in.value(u"Key").toObject(), true, &why);
        if (k.isEmpty())
            return error("ValidationException", why);
        if (!t->items.contains(k))
            return Response::ok({});
        return Response::ok({ { s("Item"), t->items.value(k) } });
    }
    if (op == u"PutItem") {
        const QJsonObject item = in.value(u"Item").toObject();
        const QString k = t->keyOf(item, false, &why);
        if (k.isEmpty())
            return error("ValidationException", why);
        const QJsonObject old = t->items.value(k);
        t->items.insert(k, item);
        if (in.value(u"ReturnValues").toString() == u"ALL_OLD" && !old.isEmpty())
            return Response::ok({ { s("Attributes"), old } });
        return Response::ok({});
    }
    if (op == u"DeleteItem") {
        const QString k = t->keyOf(in.value(u"Key").toObject(), true, &why);
        if (k.isEmpty())
            return error("ValidationException", why);
        const QJsonObject old = t->items.take(k);
        if (in.value(u"ReturnValues").toString() == u"ALL_OLD" && !old.isEmpty())
            return Response::ok({ { s("Attributes"), old } });
        return Response::ok({});
    }
    return error("UnknownOperationException", QStringLiteral("Unknown operation %1").arg(op));
}

} // namespace Bramble::Test
