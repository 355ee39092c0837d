// Query and Scan: key conditions to SQL ranges over the indexed key columns,
// then FilterExpression, ProjectionExpression, Limit and paging.
#include "dynamodb/evaluator.h"
#include "dynamodb/requestexpressions.h"
#include "dynamodb/tablestore_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Bramble::LocalRuntime {

using namespace Dynamo;

namespace {

// DynamoDB stops a page after 1 MB of items read.
constexpr qint64 kPageBytes = 1024 * 1024;

struct KeyCondition {
    QString attribute;
    QString op; // "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"
    QList<AttributeValue> values;
};

QString mirrored(const QString &op)
{
    if (op == QLatin1String("<"))
        return QStringLiteral(">");
    if (op == QLatin1String("<="))
        return QStringLiteral(">=");
    if (op == QLatin1String(">"))
        return QStringLiteral("<");
    if (op == QLatin1String(">="))
        return QStringLiteral("<=");
    return op;
}

bool isAttribute(const Operand &o)
{
    return o.kind == Operand::Kind::Path && o.path.size() == 1 && o.path.at(0).index < 0;
}

// The conjuncts of a KeyConditionExpression, or the error message.
QString keyConditions(const Condition &c, QList<KeyCondition> &out)
{
    switch (c.kind) {
    case Condition::Kind::And: {
        const QString left = keyConditions(c.children.at(0), out);
        return left.isEmpty() ? keyConditions(c.children.at(1), out) : left;
    }
    case Condition::Kind::Or:
        return QStringLiteral("Invalid operator used in KeyConditionExpression: OR");
    case Condition::Kind::Not:
        return QStringLiteral("Invalid operator used in KeyConditionExpression: NOT");
    case Condition::Kind::In:
        return QStringLiteral("Invalid operator used in KeyConditionExpression: IN");
    case Condition::Kind::Compare: {
        if (c.op == QLatin1String("<>"))
            return QStringLiteral("Invalid operator used in KeyConditionExpression: <>");
        const Operand &a = c.operands.at(0);
        const Operand &b = c.operands.at(1);
        if (isAttribute(a) && b.kind == Operand::Kind::Value)
            out.append({ a.path.at(0).name, c.op, { b.value } });
        else if (isAttribute(b) && a.kind == Operand::Kind::Value)
            out.append({ b.path.at(0).name, mirrored(c.op), { a.value } });
        else
            return QStringLiteral("Invalid KeyConditionExpression: Each key condition compares a key attribute with "
                                  "an expression attribute value");
        return {};
    }
    case Condition::Kind::Between: {
        const Operand &a = c.operands.at(0);
        if (!isAttribute(a) || c.operands.at(1).kind != Operand::Kind::Value
            || c.operands.at(2).kind != Operand::Kind::Value)
            return QStringLiteral("Invalid KeyConditionExpression: BETWEEN compares a key attribute with two "
                                  "expression attribute values");
        out.append({ a.path.at(0).name, c.op, { c.operands.at(1).value, c.operands.at(2).value } });
        return {};
    }
    case Condition::Kind::Function:
        if (c.op != QLatin1String("begins_with"))
            return QStringLiteral("Invalid operator used in KeyConditionExpression: %1").arg(c.op);
        if (!isAttribute(c.operands.at(0)) || c.operands.at(1).kind != Operand::Kind::Value)
            return QStringLiteral("Invalid KeyConditionExpression: begins_with compares a key attribute with an "
                                  "expression attribute value");
        out.append({ c.operands.at(0).path.at(0).name, c.op, { c.operands.at(1).value } });
        return {};
    }
    return {};
}

void attributesOf(const Condition &c, QStringList &out)
{
    for (const Condition &child : c.children)
        attributesOf(child, out);
    std::function<void(const Operand &)> visit = [&](const Operand &o) {
        if (o.kind == Operand::Kind::Path && !o.path.isEmpty())
            out.append(o.path.at(0).name);
        for (const Operand &arg : o.args)
            visit(arg);
    };
    for (const Operand &o : c.operands)
        visit(o);
}

quint32 fnv1a(const QByteArray &bytes)
{
    quint32 h = 2166136261u;
    for (char c : bytes) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

// What Query and Scan share: reading rows in key order into one page.
struct Page {
    QJsonArray items;
    int count = 0;
    int scanned = 0;
    std::optional<Item> lastEvaluatedKey;
};

struct PageRequest {
    std::optional<int> limit;
    bool countOnly = false;
    std::optional<Condition> filter;
    QList<Path> projection;
    int segment = 0;
    int totalSegments = 1;
};

std::optional<DynamoAnswer> readCommon(const QJsonObject &request, RequestExpressions &expressions, PageRequest &page)
{
    if (request.contains(QStringLiteral("IndexName")))
        return validationError(QStringLiteral("The table does not have the specified index: %1")
                                   .arg(Core::oneLine(request.value(QStringLiteral("IndexName")).toString())));
    if (request.contains(QStringLiteral("Limit"))) {
        const int limit = request.value(QStringLiteral("Limit")).toInt();
        if (limit < 1)
            return validationError(QStringLiteral("1 validation error detected: Value '%1' at 'limit' failed to "
                                                  "satisfy constraint: Member must have value greater than or equal "
                                                  "to 1")
                                       .arg(limit));
        page.limit = limit;
    }
    const QString select = request.value(QStringLiteral("Select")).toString(QStringLiteral("ALL_ATTRIBUTES"));
    if (select == QLatin1String("COUNT")) {
        page.countOnly = true;
        if (!expressions.projection.isEmpty())
            return validationError(QStringLiteral("Cannot specify the AttributesToGet when choosing to get only the "
                                                  "Count"));
    } else if (select == QLatin1String("SPECIFIC_ATTRIBUTES")) {
        if (expressions.projection.isEmpty())
            return validationError(QStringLiteral("Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression "
                                                  "or AttributesToGet"));
    } else if (select == QLatin1String("ALL_ATTRIBUTES")) {
        if (request.contains(QStringLiteral("Select")) && !expressions.projection.isEmpty())
            return validationError(QStringLiteral("Cannot specify the AttributesToGet when choosing to get "
                                                  "ALL_ATTRIBUTES"));
    } else if (select == QLatin1String("ALL_PROJECTED_ATTRIBUTES")) {
        return validationError(QStringLiteral("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an "
                                              "IndexName"));
    } else {
        return validationError(QStringLiteral("1 validation error detected: Value '%1' at 'select' failed to satisfy "
                                              "constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, "
                                              "COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
                                   .arg(Core::oneLine(select)));
    }
    page.filter = expressions.condition;
    page.projection = expressions.projection;
    return std::nullopt;
}

// Reads `q`'s rows (columns: item) into the page until the limit or 1 MB.
bool fill(QSqlQuery &q, const PageRequest &request, const TableInfo &t, Page &page, QString &error,
    const std::function<bool(const QByteArray &hash)> &inSegment = {})
{
    if (!q.exec()) {
        error = q.lastError().text();
        return false;
    }
    qint64 bytes = 0;
    Item last;
    bool stopped = false;
    while (q.next()) {
        if (inSegment && !inSegment(q.value(1).toByteArray()))
            continue;
        if (stopped) {
            page.lastEvaluatedKey = last;
            break;
        }
        const QByteArray json = q.value(0).toByteArray();
        const Item item = QJsonDocument::fromJson(json).object();
        ++page.scanned;
        bytes += json.size();
        last = Item();
        last.insert(t.hashKey, item.value(t.hashKey));
        if (t.hasRange())
            last.insert(t.rangeKey, item.value(t.rangeKey));
        if (!request.filter || evaluate(*request.filter, item)) {
            ++page.count;
            if (!request.countOnly)
                page.items.append(project(item, request.projection));
        }
        if ((request.limit && page.scanned >= *request.limit) || bytes >= kPageBytes)
            stopped = true;
    }
    return true;
}

DynamoAnswer answerOf(const Page &page, bool countOnly)
{
    DynamoAnswer answer;
    if (!countOnly)
        answer.body.insert(QStringLiteral("Items"), page.items);
    answer.body.insert(QStringLiteral("Count"), page.count);
    answer.body.insert(QStringLiteral("ScannedCount"), page.scanned);
    if (page.lastEvaluatedKey)
        answer.body.insert(QStringLiteral("LastEvaluatedKey"), *page.lastEvaluatedKey);
    return answer;
}

// Runs `sql` (columns: item, hk) with its bind values and answers with one
// page of what it reads.
DynamoAnswer answerPage(QSqlDatabase &db, const QString &sql, const QVariantList &binds, const PageRequest &request,
    const TableInfo &t, const std::function<bool(const QByteArray &hash)> &inSegment = {})
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    Page page;
    QString sqlError;
    if (!fill(q, request, t, page, sqlError, inSegment))
        return internalError(sqlError);
    return answerOf(page, request.countOnly);
}

const QString kBadStartKey = QStringLiteral("The provided starting key is invalid: The provided key element does not "
                                            "match the schema");

} // namespace

DynamoAnswer TableStore::Private::query(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto t = itemRequestTable(request, error);
    if (!t)
        return error;
    if (!request.contains(QStringLiteral("KeyConditionExpression")))
        return validationError(QStringLiteral("Either the KeyConditions or KeyConditionExpression parameter must be "
                                              "specified in the request."));
    RequestExpressions expressions;
    if (const auto bad = expressions.parse(request,
            { QStringLiteral("KeyConditionExpression"), QStringLiteral("FilterExpression"),
                QStringLiteral("ProjectionExpression") }))
        return *bad;
    PageRequest pageRequest;
    if (const auto bad = readCommon(request, expressions, pageRequest))
        return *bad;
    if (expressions.condition) {
        QStringList used;
        attributesOf(*expressions.condition, used);
        for (const QString &name : used) {
            if (t->isKey(name))
                return validationError(QStringLiteral("Filter Expression can only contain non-primary key "
                                                      "attributes: Primary key attribute: %1")
                                           .arg(name));
        }
    }

    QList<KeyCondition> conditions;
    const QString invalid = keyConditions(*expressions.keyCondition, conditions);
    if (!invalid.isEmpty())
        return validationError(invalid);
    std::optional<KeyCondition> hash, range;
    for (const KeyCondition &c : conditions) {
        std::optional<KeyCondition> &slot = c.attribute == t->hashKey ? hash : range;
        if (c.attribute != t->hashKey && c.attribute != t->rangeKey && t->hasRange())
            return validationError(QStringLiteral("Query condition missed key schema element: %1").arg(t->rangeKey));
        if ((c.attribute != t->hashKey && c.attribute != t->rangeKey) || slot)
            return validationError(QStringLiteral("Query key condition not supported"));
        slot = c;
    }
    if (!hash)
        return validationError(QStringLiteral("Query condition missed key schema element: %1").arg(t->hashKey));
    if (hash->op != QLatin1String("="))
        return validationError(QStringLiteral("Query key condition not supported"));
    for (const auto &c : { hash, range }) {
        if (!c)
            continue;
        const QString expected = c->attribute == t->hashKey ? t->hashType : t->rangeType;
        for (const AttributeValue &v : c->values) {
            if (typeOf(v) != expected)
                return validationError(QStringLiteral("One or more parameter values were invalid: Condition "
                                                      "parameter type does not match schema type"));
        }
        if (c->op == QLatin1String("begins_with") && expected == QLatin1String("N"))
            return validationError(QStringLiteral("Invalid KeyConditionExpression: Incorrect operand type for "
                                                  "operator or function; operator or function: begins_with, operand "
                                                  "type: N"));
    }

    const bool forward = request.value(QStringLiteral("ScanIndexForward")).toBool(true);
    QString sql = QStringLiteral("SELECT item, hk FROM dynamo_items WHERE tbl = ? AND hk = ?");
    QVariantList binds = { t->name, encodeKeyValue(hash->values.at(0)) };
    if (range) {
        if (range->op == QLatin1String("BETWEEN")) {
            sql += QStringLiteral(" AND rk >= ? AND rk <= ?");
            binds << encodeKeyValue(range->values.at(0)) << encodeKeyValue(range->values.at(1));
        } else if (range->op == QLatin1String("begins_with")) {
            const QByteArray prefix = encodeKeyValue(range->values.at(0));
            sql += QStringLiteral(" AND substr(rk, 1, ?) = ?");
            binds << int(prefix.size()) << prefix;
        } else {
            sql += QStringLiteral(" AND rk %1 ?").arg(range->op);
            binds << encodeKeyValue(range->values.at(0));
        }
    }
    if (request.contains(QStringLiteral("ExclusiveStartKey"))) {
        QString keyError;
        const auto start = keyOf(*t, request.value(QStringLiteral("ExclusiveStartKey")), keyError, kBadStartKey);
        if (!start)
            return validationError(keyError);
        if (start->hash != binds.at(1).toByteArray())
            return validationError(QStringLiteral("The provided starting key is outside query boundaries based on "
                                                  "provided conditions"));
        sql += forward ? QStringLiteral(" AND rk > ?") : QStringLiteral(" AND rk < ?");
        binds << start->range;
    }
    sql += forward ? QStringLiteral(" ORDER BY rk ASC") : QStringLiteral(" ORDER BY rk DESC");
    return answerPage(db, sql, binds, pageRequest, *t);
}

DynamoAnswer TableStore::Private::scan(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto t = itemRequestTable(request, error);
    if (!t)
        return error;
    RequestExpressions expressions;
    if (const auto bad
        = expressions.parse(request, { QStringLiteral("FilterExpression"), QStringLiteral("ProjectionExpression") }))
        return *bad;
    PageRequest pageRequest;
    if (const auto bad = readCommon(request, expressions, pageRequest))
        return *bad;
    const bool hasSegment = request.contains(QStringLiteral("Segment"));
    const bool hasTotal = request.contains(QStringLiteral("TotalSegments"));
    if (hasSegment != hasTotal)
        return validationError(QStringLiteral("The TotalSegments parameter is required but was not present in the "
                                              "request when Segment parameter is present"));
    if (hasTotal) {
        pageRequest.totalSegments = request.value(QStringLiteral("TotalSegments")).toInt();
        pageRequest.segment = request.value(QStringLiteral("Segment")).toInt(-1);
        if (pageRequest.totalSegments < 1 || pageRequest.totalSegments > 1000000)
            return validationError(QStringLiteral("1 validation error detected: Value '%1' at 'totalSegments' failed "
                                                  "to satisfy constraint: Member must have value between 1 and 1000000")
                                       .arg(pageRequest.totalSegments));
        if (pageRequest.segment < 0 || pageRequest.segment >= pageRequest.totalSegments)
            return validationError(QStringLiteral("The Segment parameter is zero-based and must be less than "
                                                  "parameter TotalSegments: Segment: %1 is not less than "
                                                  "TotalSegments: %2")
                                       .arg(pageRequest.segment)
                                       .arg(pageRequest.totalSegments));
    }

    QString sql = QStringLiteral("SELECT item, hk FROM dynamo_items WHERE tbl = ?");
    QVariantList binds = { t->name };
    if (request.contains(QStringLiteral("ExclusiveStartKey"))) {
        QString keyError;
        const auto start = keyOf(*t, request.value(QStringLiteral("ExclusiveStartKey")), keyError, kBadStartKey);
        if (!start)
            return validationError(keyError);
        sql += QStringLiteral(" AND (hk, rk) > (?, ?)");
        binds << start->hash << start->range;
    }
    sql += QStringLiteral(" ORDER BY hk, rk");
    const int total = pageRequest.totalSegments;
    const int segment = pageRequest.segment;
    const auto inSegment
        = [total, segment](const QByteArray &hash) { return int(fnv1a(hash) % quint32(total)) == segment; };
    return answerPage(
        db, sql, binds, pageRequest, *t, total > 1 ? std::function<bool(const QByteArray &)>(inSegment) : nullptr);
}

} // namespace Bramble::LocalRuntime
