// The tokenizer and the recursive-descent parser of DynamoDB's expressions.
#include "dynamodb/expression.h"

#include <QStringList>

namespace Bramble::LocalRuntime::Dynamo {

namespace {

struct Token {
    enum class Type { Identifier, Name, Value, Number, Symbol, End };
    Type type = Type::End;
    QString text;
    int begin = 0;
    int end = 0;
};

struct Failure {
    QString message; // without the "Invalid X: " prefix
};

class Parser {
public:
    Parser(const QString &text, ExpressionContext &context)
        : m_text(text)
        , m_context(context)
    {
    }

    // Splits the text; false (and m_failure) on a character no token starts with.
    bool tokenize()
    {
        int i = 0;
        const int n = int(m_text.size());
        while (i < n) {
            const QChar c = m_text.at(i);
            if (c.isSpace()) {
                ++i;
                continue;
            }
            Token t;
            t.begin = i;
            auto word = [&](int from) {
                int j = from;
                while (j < n && (m_text.at(j).isLetterOrNumber() || m_text.at(j) == QLatin1Char('_')))
                    ++j;
                return j;
            };
            if (c == QLatin1Char('#') || c == QLatin1Char(':')) {
                t.type = c == QLatin1Char('#') ? Token::Type::Name : Token::Type::Value;
                t.end = word(i + 1);
                if (t.end == i + 1)
                    return fail(
                        QStringLiteral("Syntax error; token: \"%1\", near: \"%2\"").arg(c, m_text.mid(i, 2).trimmed()));
            } else if (c.isDigit()) {
                t.type = Token::Type::Number;
                t.end = word(i);
            } else if (c.isLetter() || c == QLatin1Char('_')) {
                t.type = Token::Type::Identifier;
                t.end = word(i);
            } else {
                t.type = Token::Type::Symbol;
                const QString two = m_text.mid(i, 2);
                if (two == QLatin1String("<>") || two == QLatin1String("<=") || two == QLatin1String(">="))
                    t.end = i + 2;
                else if (QStringLiteral("()[],.=<>+-").contains(c))
                    t.end = i + 1;
                else
                    return fail(QStringLiteral("Invalid character encountered; character: \"%1\", near: \"%2\"")
                                    .arg(c, m_text.mid(std::max(0, i - 3), 7).trimmed()));
            }
            t.text = m_text.mid(t.begin, t.end - t.begin);
            m_tokens.append(t);
            i = t.end;
        }
        Token end;
        end.begin = end.end = n;
        m_tokens.append(end);
        return true;
    }

    QString failure() const { return m_failure; }
    bool failed() const { return !m_failure.isEmpty(); }

    const Token &peek(int ahead = 0) const { return m_tokens.at(std::min(m_pos + ahead, int(m_tokens.size()) - 1)); }
    bool atEnd() const { return peek().type == Token::Type::End; }
    bool isSymbol(const char *s, int ahead = 0) const
    {
        return peek(ahead).type == Token::Type::Symbol && peek(ahead).text == QLatin1String(s);
    }
    bool isKeyword(const char *k, int ahead = 0) const
    {
        return peek(ahead).type == Token::Type::Identifier
            && peek(ahead).text.compare(QLatin1String(k), Qt::CaseInsensitive) == 0;
    }

    bool fail(const QString &message)
    {
        if (m_failure.isEmpty())
            m_failure = message;
        return false;
    }
    bool syntaxError()
    {
        const Token &t = peek();
        const int from = m_pos > 0 ? m_tokens.at(m_pos - 1).begin : t.begin;
        const int to = peek(1).end;
        const QString token = t.type == Token::Type::End ? QStringLiteral("<EOF>") : t.text;
        return fail(
            QStringLiteral("Syntax error; token: \"%1\", near: \"%2\"").arg(token, m_text.mid(from, to - from)));
    }
    bool expectSymbol(const char *s)
    {
        if (!isSymbol(s))
            return syntaxError();
        ++m_pos;
        return true;
    }

    // path := part ('.' part | '[' number ']')*
    bool parsePath(Path &path)
    {
        if (!parsePathPart(path))
            return false;
        while (true) {
            if (isSymbol(".")) {
                ++m_pos;
                if (!parsePathPart(path))
                    return false;
            } else if (isSymbol("[")) {
                ++m_pos;
                if (peek().type != Token::Type::Number)
                    return syntaxError();
                bool ok = false;
                const int index = peek().text.toInt(&ok);
                if (!ok)
                    return syntaxError();
                ++m_pos;
                if (!expectSymbol("]"))
                    return false;
                path.append(PathElement { QString(), index });
            } else {
                return true;
            }
        }
    }

    bool parsePathPart(Path &path)
    {
        const Token &t = peek();
        if (t.type == Token::Type::Name) {
            const auto name = m_context.name(t.text);
            if (!name)
                return fail(QStringLiteral(
                    "An expression attribute name used in the document path is not defined; attribute name: %1")
                                .arg(t.text));
            path.append(PathElement { *name, -1 });
        } else if (t.type == Token::Type::Identifier && !isGrammarKeyword(t.text)) {
            if (isReservedWord(t.text))
                return fail(QStringLiteral("Attribute name is a reserved keyword; reserved keyword: %1").arg(t.text));
            path.append(PathElement { t.text, -1 });
        } else {
            return syntaxError();
        }
        ++m_pos;
        return true;
    }

    static bool isGrammarKeyword(const QString &word)
    {
        static const QStringList words = { QStringLiteral("AND"), QStringLiteral("OR"), QStringLiteral("NOT"),
            QStringLiteral("BETWEEN"), QStringLiteral("IN") };
        for (const QString &w : words) {
            if (word.compare(w, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }

    bool parseValue(Operand &out)
    {
        const Token &t = peek();
        const auto value = m_context.value(t.text);
        if (!value)
            return fail(
                QStringLiteral("An expression attribute value used in expression is not defined; attribute value: %1")
                    .arg(t.text));
        out.kind = Operand::Kind::Value;
        out.value = *value;
        ++m_pos;
        return true;
    }

    bool functionArguments(QList<Operand> &args, bool update)
    {
        const Nesting nesting(*this);
        if (nesting.tooDeep())
            return false;
        ++m_pos; // name
        ++m_pos; // (
        while (true) {
            Operand a;
            if (!parseOperand(a, update))
                return false;
            args.append(a);
            if (isSymbol(",")) {
                ++m_pos;
                continue;
            }
            if (!expectSymbol(")"))
                return false;
            break;
        }
        return true;
    }

    bool operandCount(const QString &function, const QList<Operand> &args, int expected)
    {
        if (args.size() == expected)
            return true;
        return fail(QStringLiteral("Incorrect number of operands for operator or function; operator or function: %1, "
                                   "number of operands: %2")
                        .arg(function)
                        .arg(args.size()));
    }

    bool requirePath(const QString &function, const Operand &o)
    {
        if (o.kind == Operand::Kind::Path)
            return true;
        return fail(
            QStringLiteral("Operator or function requires a document path; operator or function: %1").arg(function));
    }

    // operand := path | :value | function '(' operands ')'
    bool parseOperand(Operand &out, bool update)
    {
        const Token &t = peek();
        if (t.type == Token::Type::Value)
            return parseValue(out);
        if (t.type == Token::Type::Identifier && isSymbol("(", 1)) {
            const QString name = t.text;
            const bool known = name == QLatin1String("size") || name == QLatin1String("if_not_exists")
                || name == QLatin1String("list_append");
            if (!known) {
                if (isConditionFunction(name))
                    return fail(
                        QStringLiteral("The function is not allowed to be used this way in an expression; function: %1")
                            .arg(name));
                return fail(QStringLiteral("Invalid function name; function: %1").arg(name));
            }
            if (update == (name == QLatin1String("size")))
                return fail(QStringLiteral("The function is not allowed in a%1 expression; function: %2")
                                .arg(update ? QStringLiteral("n update") : QStringLiteral(" condition"), name));
            if (!functionArguments(out.args, update))
                return false;
            if (name == QLatin1String("size")) {
                out.kind = Operand::Kind::Size;
                return operandCount(name, out.args, 1) && requirePath(name, out.args.at(0));
            }
            if (name == QLatin1String("if_not_exists")) {
                out.kind = Operand::Kind::IfNotExists;
                return operandCount(name, out.args, 2) && requirePath(name, out.args.at(0));
            }
            out.kind = Operand::Kind::ListAppend;
            return operandCount(name, out.args, 2);
        }
        out.kind = Operand::Kind::Path;
        return parsePath(out.path);
    }

    static bool isConditionFunction(const QString &name)
    {
        return name == QLatin1String("attribute_exists") || name == QLatin1String("attribute_not_exists")
            || name == QLatin1String("attribute_type") || name == QLatin1String("begins_with")
            || name == QLatin1String("contains");
    }

    // or := and (OR and)*; and := not (AND not)*; not := NOT not | primary
    bool parseOr(Condition &out)
    {
        if (!parseAnd(out))
            return false;
        while (isKeyword("OR")) {
            ++m_pos;
            Condition right;
            if (!parseAnd(right))
                return false;
            out = Condition { Condition::Kind::Or, QString(), {}, { out, right } };
        }
        return true;
    }

    bool parseAnd(Condition &out)
    {
        if (!parseNot(out))
            return false;
        while (isKeyword("AND")) {
            ++m_pos;
            Condition right;
            if (!parseNot(right))
                return false;
            out = Condition { Condition::Kind::And, QString(), {}, { out, right } };
        }
        return true;
    }

    // Nesting (parentheses, NOT, function arguments) deeper than any real
    // expression: refused before the recursion can exhaust the stack.
    struct Nesting {
        Parser &parser;
        explicit Nesting(Parser &p)
            : parser(p)
        {
            ++parser.m_depth;
        }
        ~Nesting() { --parser.m_depth; }
        bool tooDeep() const
        {
            return parser.m_depth > kMaxDepth
                && !parser.fail(
                    QStringLiteral("The expression is nested too deeply; the limit is %1 levels").arg(kMaxDepth));
        }
    };
    static constexpr int kMaxDepth = 64;

    bool parseNot(Condition &out)
    {
        const Nesting nesting(*this);
        if (nesting.tooDeep())
            return false;
        if (isKeyword("NOT")) {
            ++m_pos;
            Condition inner;
            if (!parseNot(inner))
                return false;
            out = Condition { Condition::Kind::Not, QString(), {}, { inner } };
            return true;
        }
        return parsePrimary(out);
    }

    bool parsePrimary(Condition &out)
    {
        const Nesting nesting(*this);
        if (nesting.tooDeep())
            return false;
        if (isSymbol("(")) {
            ++m_pos;
            if (!parseOr(out))
                return false;
            return expectSymbol(")");
        }
        const Token &t = peek();
        if (t.type == Token::Type::Identifier && isSymbol("(", 1) && isConditionFunction(t.text)) {
            const QString name = t.text;
            out.kind = Condition::Kind::Function;
            out.op = name;
            if (!functionArguments(out.operands, false))
                return false;
            const int expected
                = (name == QLatin1String("attribute_exists") || name == QLatin1String("attribute_not_exists")) ? 1 : 2;
            if (!operandCount(name, out.operands, expected) || !requirePath(name, out.operands.at(0)))
                return false;
            if (name == QLatin1String("attribute_type")) {
                const Operand &type = out.operands.at(1);
                const QString tag = type.value.value(QStringLiteral("S")).toString();
                if (type.kind != Operand::Kind::Value || typeOf(type.value) != QLatin1String("S")
                    || typeOf(AttributeValue { { tag, QJsonValue() } }).isEmpty())
                    return fail(QStringLiteral("Invalid attribute type name found; type: %1, valid types: { B,NULL,SS,"
                                               "BOOL,L,BS,N,NS,S,M }")
                                    .arg(tag));
            }
            return true;
        }
        if (atEnd())
            return syntaxError();
        Operand left;
        if (!parseOperand(left, false))
            return false;
        if (isKeyword("BETWEEN")) {
            ++m_pos;
            Operand low, high;
            if (!parseOperand(low, false))
                return false;
            if (!isKeyword("AND"))
                return syntaxError();
            ++m_pos;
            if (!parseOperand(high, false))
                return false;
            if (!checkOrdered(QStringLiteral("BETWEEN"), { left, low, high }) || !checkBounds(low, high))
                return false;
            out = Condition { Condition::Kind::Between, QStringLiteral("BETWEEN"), { left, low, high }, {} };
            return true;
        }
        if (isKeyword("IN")) {
            ++m_pos;
            if (!expectSymbol("("))
                return false;
            out = Condition { Condition::Kind::In, QStringLiteral("IN"), { left }, {} };
            while (true) {
                Operand o;
                if (!parseOperand(o, false))
                    return false;
                out.operands.append(o);
                if (isSymbol(",")) {
                    ++m_pos;
                    continue;
                }
                return expectSymbol(")");
            }
        }
        static const QStringList comparators = { QStringLiteral("="), QStringLiteral("<>"), QStringLiteral("<"),
            QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">=") };
        if (peek().type != Token::Type::Symbol || !comparators.contains(peek().text))
            return syntaxError();
        const QString op = peek().text;
        ++m_pos;
        Operand right;
        if (!parseOperand(right, false))
            return false;
        if (op != QLatin1String("=") && op != QLatin1String("<>") && !checkOrdered(op, { left, right }))
            return false;
        out = Condition { Condition::Kind::Compare, op, { left, right }, {} };
        return true;
    }

    // <, <=, >, >= and BETWEEN order numbers, strings and binary only: a
    // literal of another type is refused before any item is read.
    bool checkOrdered(const QString &op, const QList<Operand> &operands)
    {
        for (const Operand &o : operands) {
            const QString type = o.kind == Operand::Kind::Value ? typeOf(o.value) : QString();
            if (!type.isEmpty() && type != QLatin1String("N") && type != QLatin1String("S")
                && type != QLatin1String("B"))
                return fail(QStringLiteral("Incorrect operand type for operator or function; operator: %1, operand "
                                           "type: %2")
                                .arg(op, longTypeName(type)));
        }
        return true;
    }

    static QString valueText(const AttributeValue &v)
    {
        const QString type = typeOf(v);
        return QStringLiteral("AttributeValue: {%1:%2}").arg(type, v.value(type).toString());
    }

    bool checkBounds(const Operand &low, const Operand &high)
    {
        if (low.kind != Operand::Kind::Value || high.kind != Operand::Kind::Value)
            return true;
        const QString operands
            = QStringLiteral("lower operand: %1, upper operand: %2").arg(valueText(low.value), valueText(high.value));
        if (typeOf(low.value) != typeOf(high.value))
            return fail(
                QStringLiteral("The BETWEEN operator requires same data type for lower and upper bounds; ") + operands);
        const auto order = compareValues(low.value, high.value);
        if (order && *order > 0)
            return fail(QStringLiteral("The BETWEEN operator requires upper bound to be greater than or equal to lower "
                                       "bound; ")
                + operands);
        return true;
    }

    // value := operand (('+' | '-') operand)?
    bool parseSetValue(Operand &out)
    {
        Operand left;
        if (!parseOperand(left, true))
            return false;
        if (isSymbol("+") || isSymbol("-")) {
            const bool plus = isSymbol("+");
            ++m_pos;
            Operand right;
            if (!parseOperand(right, true))
                return false;
            out.kind = plus ? Operand::Kind::Plus : Operand::Kind::Minus;
            out.args = { left, right };
            return true;
        }
        out = left;
        return true;
    }

    bool parseUpdate(QList<UpdateAction> &actions)
    {
        QStringList seen;
        while (!atEnd()) {
            UpdateAction::Kind kind;
            QString clause = peek().text.toUpper();
            if (isKeyword("SET"))
                kind = UpdateAction::Kind::Set;
            else if (isKeyword("REMOVE"))
                kind = UpdateAction::Kind::Remove;
            else if (isKeyword("ADD"))
                kind = UpdateAction::Kind::Add;
            else if (isKeyword("DELETE"))
                kind = UpdateAction::Kind::Delete;
            else
                return syntaxError();
            if (seen.contains(clause))
                return fail(
                    QStringLiteral("The \"%1\" section can only be used once in an update expression;").arg(clause));
            seen.append(clause);
            ++m_pos;
            while (true) {
                UpdateAction action;
                action.kind = kind;
                if (!parsePath(action.path))
                    return false;
                if (kind == UpdateAction::Kind::Set) {
                    if (!expectSymbol("=") || !parseSetValue(action.value))
                        return false;
                } else if (kind != UpdateAction::Kind::Remove) {
                    if (peek().type != Token::Type::Value)
                        return syntaxError();
                    if (!parseValue(action.value))
                        return false;
                    if (!checkAddDeleteOperand(kind, action.value.value))
                        return false;
                }
                actions.append(action);
                if (!isSymbol(","))
                    break;
                ++m_pos;
            }
        }
        return checkOverlaps(actions);
    }

    bool checkAddDeleteOperand(UpdateAction::Kind kind, const AttributeValue &value)
    {
        const QString type = typeOf(value);
        const bool add = kind == UpdateAction::Kind::Add;
        if (isSetType(type) || (add && type == QLatin1String("N")))
            return true;
        return fail(
            QStringLiteral("Incorrect operand type for operator or function; operator: %1, operand type: %2, "
                           "typeSet: %3")
                .arg(add ? QStringLiteral("ADD") : QStringLiteral("DELETE"), longTypeName(type),
                    add ? QStringLiteral("ALLOWED_FOR_ADD_OPERAND") : QStringLiteral("ALLOWED_FOR_DELETE_OPERAND")));
    }

    static QString longTypeName(const QString &type)
    {
        static const QHash<QString, QString> names = {
            { QStringLiteral("S"), QStringLiteral("STRING") },
            { QStringLiteral("N"), QStringLiteral("NUMBER") },
            { QStringLiteral("B"), QStringLiteral("BINARY") },
            { QStringLiteral("SS"), QStringLiteral("STRING_SET") },
            { QStringLiteral("NS"), QStringLiteral("NUMBER_SET") },
            { QStringLiteral("BS"), QStringLiteral("BINARY_SET") },
            { QStringLiteral("M"), QStringLiteral("MAP") },
            { QStringLiteral("L"), QStringLiteral("LIST") },
            { QStringLiteral("NULL"), QStringLiteral("NULL") },
            { QStringLiteral("BOOL"), QStringLiteral("BOOLEAN") },
        };
        return names.value(type, type);
    }

    static QString bracketed(const Path &path)
    {
        QStringList parts;
        for (const PathElement &e : path)
            parts.append(e.index >= 0 ? QStringLiteral("[%1]").arg(e.index) : e.name);
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }

    static bool isPrefix(const Path &a, const Path &b)
    {
        if (a.size() > b.size())
            return false;
        for (int i = 0; i < a.size(); ++i) {
            if (a.at(i).name != b.at(i).name || a.at(i).index != b.at(i).index)
                return false;
        }
        return true;
    }

    bool checkOverlaps(const QList<Path> &paths, const QString &prefix = {})
    {
        for (int i = 0; i < paths.size(); ++i) {
            for (int j = i + 1; j < paths.size(); ++j) {
                if (isPrefix(paths.at(i), paths.at(j)) || isPrefix(paths.at(j), paths.at(i)))
                    return fail(prefix
                        + QStringLiteral("Two document paths overlap with each other; must remove or rewrite one "
                                         "of these paths; path one: %1, path two: %2")
                              .arg(bracketed(paths.at(i)), bracketed(paths.at(j))));
            }
        }
        return true;
    }

    bool checkOverlaps(const QList<UpdateAction> &actions)
    {
        QList<Path> paths;
        for (const UpdateAction &a : actions)
            paths.append(a.path);
        return checkOverlaps(paths);
    }

    bool parseProjection(QList<Path> &paths)
    {
        while (true) {
            Path path;
            if (!parsePath(path))
                return false;
            paths.append(path);
            if (atEnd())
                break;
            if (!expectSymbol(","))
                return false;
        }
        return checkOverlaps(paths);
    }

    const QString &m_text;
    ExpressionContext &m_context;
    QList<Token> m_tokens;
    int m_pos = 0;
    QString m_failure;
    int m_depth = 0;
};

template<typename T, typename F>
Parsed<T> run(const QString &text, const QString &label, ExpressionContext &context, F parse)
{
    Parsed<T> out;
    const QString prefix = QStringLiteral("Invalid %1: ").arg(label);
    if (text.trimmed().isEmpty()) {
        out.error = prefix + QStringLiteral("The expression can not be empty;");
        return out;
    }
    // DynamoDB's limit on one expression string: 4 KB.
    const qsizetype size = text.toUtf8().size();
    if (size > 4096) {
        out.error = prefix
            + QStringLiteral("Expression size has exceeded the maximum allowed size; expression size: %1").arg(size);
        return out;
    }
    Parser parser(text, context);
    T tree {};
    if (!parser.tokenize() || !parse(parser, tree) || (!parser.atEnd() && !parser.syntaxError())) {
        out.error = prefix + parser.failure();
        return out;
    }
    out.tree = std::move(tree);
    return out;
}

} // namespace

Parsed<Condition> parseCondition(const QString &text, const QString &label, ExpressionContext &context)
{
    return run<Condition>(text, label, context, [](Parser &p, Condition &c) { return p.parseOr(c); });
}

Parsed<QList<UpdateAction>> parseUpdate(const QString &text, ExpressionContext &context)
{
    return run<QList<UpdateAction>>(text, QStringLiteral("UpdateExpression"), context,
        [](Parser &p, QList<UpdateAction> &a) { return p.parseUpdate(a); });
}

Parsed<QList<Path>> parseProjection(const QString &text, ExpressionContext &context)
{
    return run<QList<Path>>(text, QStringLiteral("ProjectionExpression"), context,
        [](Parser &p, QList<Path> &a) { return p.parseProjection(a); });
}

} // namespace Bramble::LocalRuntime::Dynamo
