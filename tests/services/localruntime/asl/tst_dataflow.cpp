// The JSONPath data flow (AWS's documented examples), intrinsic functions
// (AWS's documented examples), Choice operators, the context object and
// workflow variables.

#include "asltest.h"

#include "asl/choice.h"
#include "asl/intrinsics.h"
#include "asl/statesfault.h"

#include <QRegularExpression>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Test::Asl;
using Bramble::LocalRuntime::Asl::evalChoiceRule;
using Bramble::LocalRuntime::Asl::parseTimestamp;
using Bramble::LocalRuntime::Asl::PathEnv;
using Bramble::LocalRuntime::Asl::stringMatches;

namespace {

// One Pass state whose Parameters evaluate `expression` against `input`.
QJsonValue intrinsic(const QString &expression, const QJsonValue &input)
{
    const QJsonObject def { { QStringLiteral("StartAt"), QStringLiteral("P") },
        { QStringLiteral("States"),
            QJsonObject { { QStringLiteral("P"),
                QJsonObject { { QStringLiteral("Type"), QStringLiteral("Pass") }, { QStringLiteral("End"), true },
                    { QStringLiteral("Parameters"), QJsonObject { { QStringLiteral("r.$"), expression } } } } } } } };
    const Run run = runDefinition(def, input);
    if (run.end->status != u"SUCCEEDED")
        return QJsonObject { { QStringLiteral("error"), run.end->error }, { QStringLiteral("cause"), run.end->cause } };
    return run.end->output.toObject().value(u"r");
}

} // namespace

class TestDataFlow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void inputResultOutputPaths()
    {
        // AWS "Example: Manipulating state data with InputPath, ResultPath and OutputPath".
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &r) -> std::optional<TaskOutcome> {
            return TaskOutcome::success(
                QStringLiteral("Hello, %1!").arg(r.parameters.toObject().value(u"who").toString()));
        };
        const Run run = runDefinition(object(R"({"StartAt":"Lambda","States":{"Lambda":{"Type":"Task",
            "Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
            "InputPath":"$.lambda","ResultPath":"$.data.lambdaresult","OutputPath":"$.data","End":true}}})"),
            value(R"({"comment":"An input comment.","data":{"val1":23,"val2":17},"extra":"foo",
                      "lambda":{"who":"AWS Step Functions"}})"),
            &runner);
        QCOMPARE(run.end->output, value(R"({"val1":23,"val2":17,"lambdaresult":"Hello, AWS Step Functions!"})"));
    }

    void resultSelector()
    {
        // AWS "ResultSelector" example (an EMR createCluster result).
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) -> std::optional<TaskOutcome> {
            return TaskOutcome::success(value(R"({"resourceType":"elasticmapreduce","resource":"createCluster.sync",
                "output":{"SdkHttpMetadata":{"HttpHeaders":{"Content-Length":"1112"},"HttpStatusCode":200},
                          "SdkResponseMetadata":{"RequestId":"1234"},"ClusterId":"AKIAIOSFODNN7EXAMPLE"}})"));
        };
        const Run run = runDefinition(object(R"({"StartAt":"T","States":{"T":{"Type":"Task",
            "Resource":"arn:aws:states:::elasticmapreduce:createCluster.sync",
            "ResultSelector":{"ClusterId.$":"$.output.ClusterId","ResourceType.$":"$.resourceType"},
            "ResultPath":"$.EMROutput","End":true}}})"),
            value(R"({"cluster":"c"})"), &runner);
        QCOMPARE(run.end->output,
            value(
                R"({"cluster":"c","EMROutput":{"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"}})"));
        QCOMPARE(detailsValue(run.events.at(2), "resource").toString(), QStringLiteral("createCluster.sync"));
        QCOMPARE(detailsValue(run.events.at(2), "resourceType").toString(), QStringLiteral("elasticmapreduce"));
    }

    void parametersAndContext()
    {
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Pass",
            "Parameters":{"comment":"Selecting what I care about.","MyDetails":{"size.$":"$.product.details.size",
                "exists.$":"$.product.availability","StaticValue":"foo"},
                "execId.$":"$$.Execution.Id","sm.$":"$$.StateMachine.Name","input.$":"$$.Execution.Input.product.sku",
                "role.$":"$$.Execution.RoleArn","state.$":"$$.State.Name","list":[{"x.$":"$.product.sku"}]},"End":true}}})"),
            value(R"({"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small",
                "material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}})"));
        QCOMPARE(run.end->output,
            value(R"({"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock",
                "StaticValue":"foo"},"execId":"arn:aws:states:eu-west-1:123456789012:execution:Machine:run-1",
                "sm":"Machine","input":"2317","role":"arn:aws:iam::123456789012:role/Machine","state":"P",
                "list":[{"x":"2317"}]})"));
    }

    void contextTimesAndRedriveCount()
    {
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true,
            "Parameters":{"start.$":"$$.Execution.StartTime","entered.$":"$$.State.EnteredTime",
                          "redrives.$":"$$.Execution.RedriveCount","id.$":"$$.StateMachine.Id"}}}})"),
            QJsonObject());
        const QJsonObject out = run.end->output.toObject();
        const QDateTime start = parseTimestamp(out.value(u"start").toString());
        const QDateTime entered = parseTimestamp(out.value(u"entered").toString());
        QVERIFY2(start.isValid(), qPrintable(out.value(u"start").toString()));
        QVERIFY2(entered.isValid(), qPrintable(out.value(u"entered").toString()));
        QVERIFY(out.value(u"start").toString().endsWith(u'Z'));
        QVERIFY(start <= entered);
        QVERIFY(entered <= QDateTime::currentDateTimeUtc());
        QCOMPARE(out.value(u"redrives").toInt(-1), 0);
        QCOMPARE(out.value(u"id").toString(), specFor({}).stateMachineArn);
    }

    void resultPathVariants_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("output");
        const auto row = [](const char *name, const char *state, const char *out) {
            QTest::newRow(name) << QString::fromUtf8(state) << QString::fromUtf8(out);
        };
        row("result replaces", R"({"Type":"Pass","Result":"r"})", R"("r")");
        row("into a new member", R"({"Type":"Pass","Result":"r","ResultPath":"$.a.b"})",
            R"({"master":{"detail":[1,2,3]},"a":{"b":"r"}})");
        row("over an existing member", R"({"Type":"Pass","Result":"r","ResultPath":"$.master.detail"})",
            R"({"master":{"detail":"r"}})");
        row("into an array element", R"({"Type":"Pass","Result":"r","ResultPath":"$.master.detail[1]"})",
            R"({"master":{"detail":[1,"r",3]}})");
        row("discarded", R"({"Type":"Pass","Result":"r","ResultPath":null})", R"({"master":{"detail":[1,2,3]}})");
        row("OutputPath null", R"({"Type":"Pass","OutputPath":null})", R"({})");
        row("InputPath picks", R"({"Type":"Pass","InputPath":"$.master.detail[2]"})", "3");
    }
    void resultPathVariants()
    {
        QFETCH(QString, state);
        QFETCH(QString, output);
        QJsonObject s = QJsonDocument::fromJson(state.toUtf8()).object();
        s.insert(QStringLiteral("End"), true);
        const Run run = runDefinition(QJsonObject { { QStringLiteral("StartAt"), QStringLiteral("P") },
                                          { QStringLiteral("States"), QJsonObject { { QStringLiteral("P"), s } } } },
            value(R"({"master":{"detail":[1,2,3]}})"));
        QCOMPARE(run.end->output, value(output.toUtf8().constData()));
    }

    void queryPaths_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *path, const char *expected) {
            QTest::newRow(path) << QString::fromUtf8(path) << QString::fromUtf8(expected);
        };
        row("$.items[*].id", R"(["a","b","c"])");
        row("$.items[?(@.price < 10)].id", R"(["a","c"])");
        row("$.items[?(@.price >= 10)]", R"([{"id":"b","price":12}])");
        row("$.items[?(@.id == 'b')].price", "[12]");
        row("$.items[?(@.note)].id", R"(["c"])");
        row("$..id", R"(["a","b","c"])");
        row("$.items[0:2].id", R"(["a","b"])");
        row("$.items[::2].id", R"(["a","c"])");
        row("$.items[0,2].id", R"(["a","c"])");
        row("$.items[-1].id", R"(["c"])");
        row("$.meta.*", R"([1,"x"])");
        row("$['meta']['count']", "1");
    }
    void queryPaths()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const QJsonObject def { { QStringLiteral("StartAt"), QStringLiteral("P") },
            { QStringLiteral("States"),
                QJsonObject { { QStringLiteral("P"),
                    QJsonObject { { QStringLiteral("Type"), QStringLiteral("Pass") }, { QStringLiteral("End"), true },
                        { QStringLiteral("Parameters"), QJsonObject { { QStringLiteral("r.$"), path } } } } } } } };
        const Run run = runDefinition(
            def, value(R"({"items":[{"id":"a","price":5},{"id":"b","price":12},{"id":"c","price":7,"note":"n"}],
                      "meta":{"count":1,"name":"x"}})"));
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output.toObject().value(u"r"), value(expected.toUtf8().constData()));
    }

    void mapOverAQueryPath()
    {
        const Run run = runDefinition(object(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemsPath":"$.orders[?(@.open == true)].id",
            "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})"),
            value(R"({"orders":[{"id":1,"open":true},{"id":2,"open":false},{"id":3,"open":true}]})"));
        QCOMPARE(run.end->output, value("[1,3]"));
        const Run bad = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.a[?(x)]",
            "End":true}}})"),
            QJsonObject());
        QCOMPARE(bad.end->error, QStringLiteral("States.Runtime"));
    }

    void resultPathMatchFailure()
    {
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,
            "ResultPath":"$.a.b","End":true}}})"),
            value(R"({"a":"text"})"));
        QCOMPARE(run.end->error, QStringLiteral("States.ResultPathMatchFailure"));
    }

    void intrinsics_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *name, const char *expr, const char *input, const char *expected) {
            QTest::newRow(name) << QString::fromUtf8(expr) << QString::fromUtf8(input) << QString::fromUtf8(expected);
        };
        // AWS's documented examples first.
        row("Format", "States.Format('Hello, my name is {}.', $.name)", R"({"name":"Arnav"})",
            R"("Hello, my name is Arnav.")");
        row("Format escapes", R"(States.Format('It\'s \{literal\} {} and {}', $.n, null))", R"({"n":3})",
            R"("It\u0027s {literal} 3 and null")");
        row("StringToJson", "States.StringToJson($.someString)", R"({"someString":"{\u0022number\u0022: 20}"})",
            R"({"number":20})");
        row("JsonToString", "States.JsonToString($.someJson)", R"({"someJson":{"name":"Foo","year":2020}})",
            R"("{\u0022name\u0022:\u0022Foo\u0022,\u0022year\u0022:2020}")");
        row("Array", "States.Array('Foo', 2020, $.someJson, null)", R"({"someJson":{"random":"abc"}})",
            R"(["Foo",2020,{"random":"abc"},null])");
        row("ArrayPartition", "States.ArrayPartition($.inputArray,4)", R"({"inputArray":[1,2,3,4,5,6,7,8,9]})",
            "[[1,2,3,4],[5,6,7,8],[9]]");
        row("ArrayContains", "States.ArrayContains($.inputArray, $.lookingFor)",
            R"({"inputArray":[1,2,3,4,5,6,7,8,9],"lookingFor":5})", "true");
        row("ArrayContains absent", "States.ArrayContains($.a, 'x')", R"({"a":["y"]})", "false");
        row("ArrayRange", "States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]");
        row("ArrayRange down", "States.ArrayRange(5, 1, -2)", "{}", "[5,3,1]");
        row("ArrayGetItem", "States.ArrayGetItem($.inputArray, $.index)",
            R"({"inputArray":[1,2,3,4,5,6,7,8,9],"index":5})", "6");
        row("ArrayLength", "States.ArrayLength($.inputArray)", R"({"inputArray":[1,2,3,4,5,6,7,8,9]})", "9");
        row("ArrayUnique", "States.ArrayUnique($.inputArray)", R"({"inputArray":[1,2,3,3,3,3,3,3,4]})", "[1,2,3,4]");
        row("Base64Encode", "States.Base64Encode($.input)", R"({"input":"Data to encode"})",
            R"("RGF0YSB0byBlbmNvZGU=")");
        row("Base64Decode", "States.Base64Decode($.base64)", R"({"base64":"RGF0YSB0byBlbmNvZGU="})",
            R"("Data to encode")");
        row("Hash SHA-1", "States.Hash($.Data, $.Algorithm)", R"({"Data":"input data","Algorithm":"SHA-1"})",
            R"("aaff4a450a104cd177d28d18d74485e8cae074b7")");
        row("Hash MD5", "States.Hash('input data', 'MD5')", "{}", R"("812f45842bc6d66ee14572ce20db8e86")");
        row("Hash SHA-256", "States.Hash('input data', 'SHA-256')", "{}",
            R"("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")");
        row("Hash SHA-384", "States.Hash('input data', 'SHA-384')", "{}",
            R"("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562")");
        row("Hash SHA-512", "States.Hash('input data', 'SHA-512')", "{}",
            R"("6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4")");
        row("JsonMerge", "States.JsonMerge($.json1, $.json2, false)",
            R"({"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}})",
            R"({"a":{"a3":1,"a4":2},"b":2,"c":3})");
        row("MathAdd", "States.MathAdd($.value1, $.step)", R"({"value1":111,"step":-1})", "110");
        row("StringSplit", "States.StringSplit($.inputString, $.splitter)",
            R"({"inputString":"1,2,3,4,5","splitter":","})", R"(["1","2","3","4","5"])");
        row("StringSplit many delimiters", "States.StringSplit($.inputString, $.splitter)",
            R"({"inputString":"This.is+a,test=string","splitter":".+,="})", R"(["This","is","a","test","string"])");
        row("nested", "States.Format('{} items, first {}', States.ArrayLength($.l), States.ArrayGetItem($.l, 0))",
            R"({"l":["x","y"]})", R"("2 items, first x")");
        row("context path", "States.Format('{}/{}', $$.StateMachine.Name, $$.Execution.Name)", "{}",
            R"("Machine/run-1")");
        row("path with quoted member", "States.ArrayLength($['a b'])", R"({"a b":[1,2]})", "2");
        row("decimal and exponent", "States.Array(1.5, -2e2)", "{}", "[1.5,-200]");
        row("true false", "States.Array(true, false)", "{}", "[true,false]");
    }
    void intrinsics()
    {
        QFETCH(QString, expression);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(intrinsic(expression, value(input.toUtf8().constData())), value(expected.toUtf8().constData()));
    }

    void intrinsicFailures_data()
    {
        QTest::addColumn<QString>("expression");
        const auto row = [](const char *expr) { QTest::newRow(expr) << QString::fromUtf8(expr); };
        row("States.Format('{} and {}', 1)");
        row("States.Format('x', 1)");
        row("States.Nope(1)");
        row("States.ArrayGetItem(States.Array(1), 3)");
        row("States.Hash('x', 'SHA-3')");
        row("States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), true)");
        row("States.StringToJson('not json')");
        row("States.Base64Decode('***')");
        row("States.Format('unterminated)");
        row("States.ArrayLength($.missing)");
        row("States.MathAdd(1.5, 1)");
        row("States.Array(1) trailing");
    }
    void intrinsicFailures()
    {
        QFETCH(QString, expression);
        const QJsonValue r = intrinsic(expression, QJsonObject());
        QCOMPARE(r.toObject().value(u"error").toString(), QStringLiteral("States.IntrinsicFailure"));
    }

    void uuidAndRandom()
    {
        const QString uuid = intrinsic(QStringLiteral("States.UUID()"), QJsonObject()).toString();
        QVERIFY2(
            QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                .match(uuid)
                .hasMatch(),
            qPrintable(uuid));
        QVERIFY(uuid != intrinsic(QStringLiteral("States.UUID()"), QJsonObject()).toString());
        for (int i = 0; i < 20; ++i) {
            const int r
                = intrinsic(QStringLiteral("States.MathRandom($.start, $.end)"), value(R"({"start":1,"end":999})"))
                      .toInt();
            QVERIFY(r >= 1 && r <= 999);
        }
        QCOMPARE(intrinsic(QStringLiteral("States.MathRandom(1, 1000, 7)"), QJsonObject()),
            intrinsic(QStringLiteral("States.MathRandom(1, 1000, 7)"), QJsonObject()));
    }

    void choiceOperators_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<bool>("matches");
        const auto row = [](const char *rule, bool m) { QTest::newRow(rule) << QString::fromUtf8(rule) << m; };
        row(R"({"Variable":"$.s","StringEquals":"abc"})", true);
        row(R"({"Variable":"$.s","StringEquals":"abd"})", false);
        row(R"({"Variable":"$.s","StringLessThan":"abd"})", true);
        row(R"({"Variable":"$.s","StringGreaterThan":"abd"})", false);
        row(R"({"Variable":"$.s","StringLessThanEquals":"abc"})", true);
        row(R"({"Variable":"$.s","StringGreaterThanEquals":"abc"})", true);
        row(R"({"Variable":"$.s","StringEqualsPath":"$.s2"})", true);
        row(R"({"Variable":"$.n","StringEquals":"5"})", false);
        row(R"({"Variable":"$.n","NumericEquals":5})", true);
        row(R"({"Variable":"$.n","NumericLessThan":5})", false);
        row(R"({"Variable":"$.n","NumericGreaterThan":4.5})", true);
        row(R"({"Variable":"$.n","NumericLessThanEquals":5})", true);
        row(R"({"Variable":"$.n","NumericGreaterThanEquals":6})", false);
        row(R"({"Variable":"$.n","NumericLessThanPath":"$.big"})", true);
        row(R"({"Variable":"$.s","NumericEquals":5})", false);
        row(R"({"Variable":"$.b","BooleanEquals":true})", true);
        row(R"({"Variable":"$.b","BooleanEqualsPath":"$.f"})", false);
        row(R"({"Variable":"$.t","TimestampEquals":"2024-01-01T00:00:00Z"})", true);
        row(R"({"Variable":"$.t","TimestampEquals":"2024-01-01T01:00:00+01:00"})", true);
        row(R"({"Variable":"$.t","TimestampLessThan":"2024-01-01T00:00:00.001Z"})", true);
        row(R"({"Variable":"$.t","TimestampGreaterThan":"2023-12-31T23:59:59Z"})", true);
        row(R"({"Variable":"$.t","TimestampLessThanEquals":"2023-12-31T23:59:59Z"})", false);
        row(R"({"Variable":"$.t","TimestampGreaterThanEqualsPath":"$.t"})", true);
        row(R"({"Variable":"$.s","TimestampEquals":"2024-01-01T00:00:00Z"})", false);
        row(R"({"Variable":"$.file","StringMatches":"log-*.txt"})", true);
        row(R"({"Variable":"$.file","StringMatches":"log-*.csv"})", false);
        row(R"({"Variable":"$.star","StringMatches":"a\\*b"})", true);
        row(R"({"Variable":"$.file","StringMatches":"log-2024\\*.txt"})", false);
        row(R"({"Variable":"$.back","StringMatches":"c\\\\d"})", true);
        row(R"({"Variable":"$.file","StringMatches":"*"})", true);
        row(R"({"Variable":"$.nothing","IsNull":true})", true);
        row(R"({"Variable":"$.s","IsNull":true})", false);
        row(R"({"Variable":"$.missing","IsPresent":false})", true);
        row(R"({"Variable":"$.s","IsPresent":true})", true);
        row(R"({"Variable":"$.n","IsNumeric":true})", true);
        row(R"({"Variable":"$.s","IsString":true})", true);
        row(R"({"Variable":"$.b","IsBoolean":true})", true);
        row(R"({"Variable":"$.t","IsTimestamp":true})", true);
        row(R"({"Variable":"$.s","IsTimestamp":true})", false);
        row(R"({"And":[{"Variable":"$.n","NumericEquals":5},{"Variable":"$.s","StringEquals":"abc"}]})", true);
        row(R"({"And":[{"Variable":"$.n","NumericEquals":5},{"Variable":"$.s","StringEquals":"x"}]})", false);
        row(R"({"Or":[{"Variable":"$.n","NumericEquals":1},{"Variable":"$.s","StringEquals":"abc"}]})", true);
        row(R"({"Not":{"Variable":"$.n","NumericEquals":5}})", false);
        row(R"({"Not":{"Or":[{"Variable":"$.missing","IsPresent":true},{"Variable":"$.b","BooleanEquals":false}]}})",
            true);
    }
    void choiceOperators()
    {
        QFETCH(QString, rule);
        QFETCH(bool, matches);
        const QJsonObject input = object(R"({"s":"abc","s2":"abc","n":5,"big":10,"b":true,"f":false,
            "t":"2024-01-01T00:00:00Z","file":"log-2024.txt","star":"a*b","back":"c\\d","nothing":null})");
        const QJsonObject vars;
        const PathEnv env { input, &vars, {} };
        QCOMPARE(evalChoiceRule(QJsonDocument::fromJson(rule.toUtf8()).object(), env), matches);
    }

    void choiceStateRoutes()
    {
        const QJsonObject def = object(R"({"StartAt":"C","States":{"C":{"Type":"Choice","InputPath":"$.in",
            "OutputPath":"$.v","Choices":[{"Variable":"$.v","NumericGreaterThan":10,"Next":"Big"}],"Default":"Small"},
            "Big":{"Type":"Pass","Result":"big","End":true},"Small":{"Type":"Pass","Result":"small","End":true}}})");
        QCOMPARE(runDefinition(def, value(R"({"in":{"v":11}})")).end->output, QJsonValue(QStringLiteral("big")));
        QCOMPARE(runDefinition(def, value(R"({"in":{"v":1}})")).end->output, QJsonValue(QStringLiteral("small")));
        const Run exited = runDefinition(def, value(R"({"in":{"v":1}})"));
        QCOMPARE(parsed(detailsValue(exited.events.at(2), "output")), QJsonValue(1));

        const Run none = runDefinition(object(R"({"StartAt":"C","States":{"C":{"Type":"Choice",
            "Choices":[{"Variable":"$.v","IsPresent":true,"Next":"E"}]},"E":{"Type":"Succeed"}}})"),
            QJsonObject());
        QCOMPARE(none.end->error, QStringLiteral("States.NoChoiceMatched"));
        QCOMPARE(none.types(), list({ "ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed" }));

        const Run missing = runDefinition(object(R"({"StartAt":"C","States":{"C":{"Type":"Choice",
            "Choices":[{"Variable":"$.v","NumericEquals":1,"Next":"E"}],"Default":"E"},"E":{"Type":"Succeed"}}})"),
            QJsonObject());
        QCOMPARE(missing.end->error, QStringLiteral("States.Runtime"));
    }

    void variablesTakeEffectWhenTheStateFinishes()
    {
        const Run run = runDefinition(object(R"j({"StartAt":"A","States":{
            "A":{"Type":"Pass","Assign":{"a":1,"from.$":"$.x"},"Next":"B"},
            "B":{"Type":"Pass","Assign":{"a":2,"old.$":"$a","sum.$":"States.MathAdd($a, 10)"},"Next":"C"},
            "C":{"Type":"Choice","Choices":[{"Variable":"$a","NumericEquals":2,"Next":"D",
                 "Assign":{"picked":"two"}}],"Default":"F"},
            "D":{"Type":"Pass","Parameters":{"a.$":"$a","old.$":"$old","sum.$":"$sum","from.$":"$from","picked.$":"$picked"},"End":true},
            "F":{"Type":"Fail","Error":"WrongBranch"}}})j"),
            value(R"({"x":"input"})"));
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"a":2,"old":1,"sum":11,"from":"input","picked":"two"})"));
        const QJsonObject exitedA = run.events.at(2).value(u"stateExitedEventDetails").toObject();
        QCOMPARE(exitedA.value(u"assignedVariables").toObject(), object(R"({"a":"1","from":"\u0022input\u0022"})"));
    }

    void taskAssignSeesTheResult()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) -> std::optional<TaskOutcome> {
            return TaskOutcome::success(value(R"({"id":42})"));
        };
        const Run run = runDefinition(object(R"({"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":null,
                 "Assign":{"id.$":"$.id"},"Next":"P"},
            "P":{"Type":"Pass","Parameters":{"id.$":"$id","in.$":"$.in"},"End":true}}})"),
            value(R"({"in":1})"), &runner);
        QCOMPARE(run.end->output, value(R"({"id":42,"in":1})"));
    }

    void branchVariablesStayInside()
    {
        const Run run = runDefinition(object(R"({"StartAt":"A","States":{
            "A":{"Type":"Pass","Assign":{"v":"outer"},"Next":"P"},
            "P":{"Type":"Parallel","Next":"Q","Branches":[{"StartAt":"B","States":{
                "B":{"Type":"Pass","Assign":{"v":"inner"},"Next":"B2"},
                "B2":{"Type":"Pass","Parameters":{"seen.$":"$v"},"End":true}}}]},
            "Q":{"Type":"Pass","Parameters":{"branch.$":"$[0].seen","after.$":"$v"},"End":true}}})"),
            QJsonObject());
        QCOMPARE(run.end->output, value(R"({"branch":"inner","after":"outer"})"));
        const Run undefinedVariable = runDefinition(object(R"({"StartAt":"A","States":{
            "A":{"Type":"Pass","Parameters":{"x.$":"$nope"},"End":true}}})"),
            QJsonObject());
        QCOMPARE(undefinedVariable.end->error, QStringLiteral("States.Runtime"));
    }

    void timestampParsing()
    {
        QCOMPARE(parseTimestamp(QStringLiteral("2024-02-29T12:00:00.5Z")),
            QDateTime(QDate(2024, 2, 29), QTime(12, 0, 0, 500), Qt::UTC));
        QVERIFY(!parseTimestamp(QStringLiteral("2023-02-29T12:00:00Z")).isValid());
        QVERIFY(stringMatches(QStringLiteral("a.b"), QStringLiteral("a.b")));
        QVERIFY(!stringMatches(QStringLiteral("axb"), QStringLiteral("a.b")));
    }
};

QTEST_GUILESS_MAIN(TestDataFlow)
#include "tst_dataflow.moc"
