#pragma once

// Private to bramble_metallb: the YAML reading state shared by
// poolconfigreader.cpp (files, documents, the dispatch by kind) and
// poolconfigobjects.cpp (each kind of object). Not installed, not included
// outside this library (yaml-cpp is private to it).

#include "metallb/poolconfig.h"

#include <QSet>
#include <QString>

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace Bramble::MetalLB::detail {

inline const QString kMetalLBNamespace = QStringLiteral("metallb-system");

// Reading state for one document.
struct Reader {
    QString file;
    int document = 0;
    int lineBase = 0; // file line of the document's line 0 (yaml-cpp lines are 0-based)
    Issues *issues = nullptr;
    PoolConfig *config = nullptr;

    // Set while reading one object, so issues name it.
    QString objectKind;
    QString objectName;

    int line(const YAML::Node &n) const
    {
        const YAML::Mark m = n.Mark();
        return m.line >= 0 ? lineBase + m.line : 0;
    }
    Origin origin(const YAML::Node &n) const { return { file, document, line(n) }; }

    void error(const YAML::Node &n, const QString &message, const QString &entry = {})
    {
        *issues << Issue { Issue::Error, origin(n), objectKind, objectName, entry, message };
    }
    void errorAtLine(int atLine, const QString &message)
    {
        *issues << Issue { Issue::Error, { file, document, atLine }, objectKind, objectName, {}, message };
    }
    void warning(const YAML::Node &n, const QString &message)
    {
        *issues << Issue { Issue::Warning, origin(n), objectKind, objectName, {}, message };
    }

    static QString text(const YAML::Node &n) { return QString::fromStdString(n.Scalar()); }

    bool isString(const YAML::Node &n, const QString &key)
    {
        if (n.IsScalar())
            return true;
        error(n, QStringLiteral("%1: expected a string").arg(key));
        return false;
    }

    std::optional<QString> string(const YAML::Node &n, const QString &key)
    {
        if (n.IsNull())
            return QString();
        if (!isString(n, key))
            return std::nullopt;
        return text(n);
    }

    // YAML 1.1 booleans, as go-yaml v2 (behind sigs.k8s.io/yaml) reads them.
    std::optional<bool> boolean(const YAML::Node &n, const QString &key)
    {
        static const QSet<QString> truths { QStringLiteral("y"), QStringLiteral("Y"), QStringLiteral("yes"),
            QStringLiteral("Yes"), QStringLiteral("YES"), QStringLiteral("true"), QStringLiteral("True"),
            QStringLiteral("TRUE"), QStringLiteral("on"), QStringLiteral("On"), QStringLiteral("ON") };
        static const QSet<QString> lies { QStringLiteral("n"), QStringLiteral("N"), QStringLiteral("no"),
            QStringLiteral("No"), QStringLiteral("NO"), QStringLiteral("false"), QStringLiteral("False"),
            QStringLiteral("FALSE"), QStringLiteral("off"), QStringLiteral("Off"), QStringLiteral("OFF") };
        if (n.IsScalar() && n.Tag() != "!") {
            const QString t = text(n);
            if (truths.contains(t))
                return true;
            if (lies.contains(t))
                return false;
        }
        error(n, QStringLiteral("%1: expected true or false").arg(key));
        return std::nullopt;
    }

    std::optional<qint64> integer(const YAML::Node &n, const QString &key)
    {
        if (n.IsScalar() && n.Tag() != "!") {
            bool ok = false;
            const qint64 v = text(n).toLongLong(&ok, 10);
            if (ok && v >= -2147483648LL && v <= 2147483647LL)
                return v;
        }
        error(n, QStringLiteral("%1: expected an integer").arg(key));
        return std::nullopt;
    }

    std::optional<int> int32(const YAML::Node &n, const QString &key)
    {
        const auto v = integer(n, key);
        return v ? std::optional<int>(int(*v)) : std::nullopt;
    }

    QStringList strings(const YAML::Node &n, const QString &key)
    {
        QStringList out;
        if (n.IsNull())
            return out;
        if (!n.IsSequence()) {
            error(n, QStringLiteral("%1: expected a list of strings").arg(key));
            return out;
        }
        for (const YAML::Node &item : n)
            if (isString(item, key))
                out << text(item);
        return out;
    }

    QList<AddressText> addresses(const YAML::Node &n, const QString &key)
    {
        QList<AddressText> out;
        if (n.IsNull())
            return out;
        if (!n.IsSequence()) {
            error(n, QStringLiteral("%1: expected a list of CIDRs or ranges").arg(key));
            return out;
        }
        for (const YAML::Node &item : n)
            if (isString(item, key))
                out << AddressText { text(item), line(item) };
        return out;
    }

    // Checks that n is a mapping; reports keys outside allowed (when given).
    bool mapping(const YAML::Node &n, const QString &key, const QStringList &allowed = {})
    {
        if (!n.IsMap()) {
            error(n, QStringLiteral("%1: expected a mapping").arg(key));
            return false;
        }
        if (!allowed.isEmpty())
            for (auto it = n.begin(); it != n.end(); ++it) {
                const QString k = it->first.IsScalar() ? text(it->first) : QStringLiteral("?");
                if (!allowed.contains(k))
                    error(it->first, QStringLiteral("%1: unknown field \"%2\"").arg(key, k));
            }
        return true;
    }

    void readLegacyBody(const YAML::Node &body);
    void readLegacyPool(const YAML::Node &p);
    void readObject(const YAML::Node &doc);
    void readConfigMap(const YAML::Node &doc, const std::string &segmentText);
    void readIpAddressPool(const YAML::Node &doc);
    void readAdvertisement(const YAML::Node &doc, Advertisement::Kind kind);
    // metadata.name and metadata.namespace
    void readMetadata(const YAML::Node &doc, QString *name, QString *ns);
    QMap<QString, QString> stringMap(const YAML::Node &n, const QString &key);
    QList<LabelSelector> selectors(const YAML::Node &n, const QString &key);

    const std::string *segmentText = nullptr;
};

} // namespace Bramble::MetalLB::detail
