// MockConfig (localtaskrunner.h): Step Functions Local's MockConfigFile,
// checked as LocalStack's mock_config.py checks it, but all at once when the
// file is read instead of when a test case is first used.
#include "functions/localtaskrunner.h"

#include "core/boundedfile.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace Bramble::LocalRuntime {

namespace {

using Core::Error;

struct Range {
    int start = 0;
    int end = 0;
};

// JSON pointer escaping (RFC 6901).
QString pointer(const QStringList &parts)
{
    QString out;
    for (QString part : parts)
        out += u'/' + part.replace(u'~', QStringLiteral("~0")).replace(u'/', QStringLiteral("~1"));
    return out;
}

std::optional<Range> parseRange(const QString &text, QString *why)
{
    const QStringList parts = text.trimmed().split(u'-');
    bool ok1 = false;
    bool ok2 = false;
    Range r;
    if (parts.size() == 1) {
        r.start = r.end = parts.at(0).toInt(&ok1);
        ok2 = ok1;
    } else if (parts.size() == 2) {
        r.start = parts.at(0).toInt(&ok1);
        r.end = parts.at(1).toInt(&ok2);
    } else {
        *why = QStringLiteral("\"%1\" is neither an invocation number (\"0\") nor a range (\"1-2\")").arg(text);
        return std::nullopt;
    }
    if (!ok1 || !ok2 || r.start < 0 || r.end < 0) {
        *why = QStringLiteral("\"%1\" is not a non-negative invocation number or range of them").arg(text);
        return std::nullopt;
    }
    if (r.end < r.start) {
        *why = QStringLiteral("the range \"%1\" ends before it starts").arg(text);
        return std::nullopt;
    }
    return r;
}

// Checks one mocked response: its entries' keys, and exactly one of
// Return (an object) and Throw ({Error, Cause}, strings); the invocation
// numbers must start at 0 and leave no gap.
QString checkResponse(const QString &name, const QJsonValue &value, QString *where)
{
    const QStringList base { QStringLiteral("MockedResponses"), name };
    *where = pointer(base);
    if (!value.isObject() || value.toObject().isEmpty())
        return QStringLiteral("mocked response %1 must be an object of numbered entries (\"0\", \"1-2\")").arg(name);
    QList<Range> ranges;
    const QJsonObject entries = value.toObject();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        *where = pointer(base + QStringList { it.key() });
        QString why;
        const std::optional<Range> range = parseRange(it.key(), &why);
        if (!range)
            return QStringLiteral("mocked response %1: %2").arg(name, why);
        ranges << *range;
        const QJsonObject entry = it.value().toObject();
        if (!it.value().isObject())
            return QStringLiteral("mocked response %1 entry %2 must be an object").arg(name, it.key());
        const bool hasReturn = entry.contains(u"Return");
        const bool hasThrow = entry.contains(u"Throw");
        if (hasReturn == hasThrow)
            return QStringLiteral("mocked response %1 entry %2 must have exactly one of Return and Throw")
                .arg(name, it.key());
        for (auto k = entry.begin(); k != entry.end(); ++k) {
            if (k.key() != u"Return" && k.key() != u"Throw")
                return QStringLiteral("mocked response %1 entry %2 has an unknown field %3 (expected Return or Throw)")
                    .arg(name, it.key(), k.key());
        }
        if (hasReturn && !entry.value(u"Return").isObject()) {
            *where = pointer(base + QStringList { it.key(), QStringLiteral("Return") });
            return QStringLiteral("mocked response %1 entry %2: Return must be an object").arg(name, it.key());
        }
        if (hasThrow) {
            *where = pointer(base + QStringList { it.key(), QStringLiteral("Throw") });
            const QJsonObject t = entry.value(u"Throw").toObject();
            if (!entry.value(u"Throw").isObject() || !t.value(u"Error").isString() || !t.value(u"Cause").isString())
                return QStringLiteral(
                    "mocked response %1 entry %2: Throw must be {\"Error\": string, \"Cause\": string}")
                    .arg(name, it.key());
        }
    }
    std::sort(ranges.begin(), ranges.end(), [](const Range &a, const Range &b) { return a.start < b.start; });
    int lastEnd = -1;
    for (const Range &r : std::as_const(ranges)) {
        if (r.start != lastEnd + 1) {
            *where = pointer(base);
            return QStringLiteral("mocked response %1 must be consecutively numbered from 0: after invocation %2 "
                                  "comes %3, expected %4")
                .arg(name)
                .arg(lastEnd)
                .arg(r.start)
                .arg(lastEnd + 1);
        }
        lastEnd = r.end;
    }
    return {};
}

// The line of a byte offset, 1-based.
int lineOf(const QByteArray &text, int offset)
{
    return int(text.left(offset).count('\n')) + 1;
}

} // namespace

Core::Result<MockConfig> MockConfig::load(const QString &path)
{
    Core::Result<QByteArray> bytes
        = Core::readBoundedFile(path, Core::FileLimit::Definition, QStringLiteral("mock config"));
    if (!bytes.ok())
        return bytes.error();
    return parse(bytes.value(), path);
}

Core::Result<MockConfig> MockConfig::parse(const QByteArray &json, const QString &file)
{
    const auto error = [&](const QString &message, const QString &where) {
        return Error(Error::Kind::Input, message, Core::SourceLocation { file, 0, 0, where });
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error(Error::Kind::Input, QStringLiteral("invalid JSON: ") + parseError.errorString(),
            Core::SourceLocation { file, lineOf(json, parseError.offset), 0, {} });
    if (!doc.isObject())
        return error(QStringLiteral("a mock config is an object with StateMachines and MockedResponses"), {});
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() != u"StateMachines" && it.key() != u"MockedResponses")
            return error(QStringLiteral("unknown field %1 (expected StateMachines and MockedResponses)").arg(it.key()),
                pointer({ it.key() }));
    }
    if (!root.value(u"StateMachines").isObject())
        return error(QStringLiteral("StateMachines must be an object keyed by state machine name"),
            pointer({ QStringLiteral("StateMachines") }));
    if (!root.value(u"MockedResponses").isObject())
        return error(QStringLiteral("MockedResponses must be an object keyed by mocked response name"),
            pointer({ QStringLiteral("MockedResponses") }));

    MockConfig config;
    config.m_machines = root.value(u"StateMachines").toObject();
    config.m_responses = root.value(u"MockedResponses").toObject();
    for (auto r = config.m_responses.begin(); r != config.m_responses.end(); ++r) {
        QString where;
        const QString problem = checkResponse(r.key(), r.value(), &where);
        if (!problem.isEmpty())
            return error(problem, where);
    }
    for (auto m = config.m_machines.begin(); m != config.m_machines.end(); ++m) {
        const QStringList at { QStringLiteral("StateMachines"), m.key() };
        const QJsonObject machine = m.value().toObject();
        if (!m.value().isObject() || !machine.value(u"TestCases").isObject() || machine.size() != 1)
            return error(QStringLiteral("state machine %1 must be {\"TestCases\": {...}}").arg(m.key()), pointer(at));
        const QJsonObject cases = machine.value(u"TestCases").toObject();
        for (auto c = cases.begin(); c != cases.end(); ++c) {
            const QStringList caseAt = at + QStringList { QStringLiteral("TestCases"), c.key() };
            if (!c.value().isObject())
                return error(
                    QStringLiteral("test case %1 must map Task state names to mocked response names").arg(c.key()),
                    pointer(caseAt));
            const QJsonObject states = c.value().toObject();
            for (auto st = states.begin(); st != states.end(); ++st) {
                const QString stateAt = pointer(caseAt + QStringList { st.key() });
                if (!st.value().isString())
                    return error(QStringLiteral("state %1 must name a mocked response").arg(st.key()), stateAt);
                if (!config.m_responses.contains(st.value().toString()))
                    return error(QStringLiteral("no definitions for mocked response %1 (state %2 of test case %3)")
                                     .arg(st.value().toString(), st.key(), c.key()),
                        stateAt);
            }
        }
    }
    return config;
}

bool MockConfig::hasTestCase(const QString &stateMachineName, const QString &testCase) const
{
    return m_machines.value(stateMachineName).toObject().value(u"TestCases").toObject().contains(testCase);
}

std::optional<TaskOutcome> MockConfig::outcome(
    const QString &stateMachineName, const QString &testCase, const QString &state, int invocation) const
{
    const QJsonObject cases = m_machines.value(stateMachineName).toObject().value(u"TestCases").toObject();
    const QJsonValue responseName = cases.value(testCase).toObject().value(state);
    if (!responseName.isString())
        return std::nullopt;
    const QJsonObject entries = m_responses.value(responseName.toString()).toObject();
    int last = -1;
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        QString why;
        const std::optional<Range> range = parseRange(it.key(), &why);
        if (!range)
            continue; // parse() refused such a file
        last = qMax(last, range->end);
        if (invocation < range->start || invocation > range->end)
            continue;
        const QJsonObject entry = it.value().toObject();
        if (entry.contains(u"Return"))
            return TaskOutcome::success(entry.value(u"Return"));
        const QJsonObject t = entry.value(u"Throw").toObject();
        return TaskOutcome::failure(t.value(u"Error").toString(), t.value(u"Cause").toString());
    }
    return TaskOutcome::failure(QStringLiteral("States.Runtime"),
        QStringLiteral("State %1 was invoked %2 times in test case %3 of state machine %4, but its mocked response %5 "
                       "covers only invocations 0 to %6")
            .arg(state)
            .arg(invocation + 1)
            .arg(testCase, stateMachineName, responseName.toString())
            .arg(last));
}

} // namespace Bramble::LocalRuntime
