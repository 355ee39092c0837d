#include "metallb/poolconfig.h"

#include "core/error.h"

namespace Bramble::MetalLB {

QString Issue::toString() const
{
    QString out;
    if (!where.file.isEmpty()) {
        out += where.file;
        if (where.line > 0)
            out += u':' + QString::number(where.line);
        out += QStringLiteral(": ");
    }
    if (where.document > 0)
        out += QStringLiteral("document %1: ").arg(where.document);
    // Names, entries and messages quote the files, which may hold anything:
    // one line, control characters escaped, each part bounded.
    if (!pool.isEmpty())
        out += QStringLiteral("%1 \"%2\": ")
                   .arg(objectKind.isEmpty() ? QStringLiteral("pool") : Core::oneLine(objectKind, 80),
                       Core::oneLine(pool, 120));
    if (!entry.isEmpty())
        out += QStringLiteral("entry \"%1\": ").arg(Core::oneLine(entry, 120));
    return Core::oneLine(out, 400) + Core::oneLine(message, 600);
}

bool LabelSelector::matches(const QMap<QString, QString> &labels) const
{
    for (auto it = matchLabels.cbegin(); it != matchLabels.cend(); ++it)
        if (!labels.contains(it.key()) || labels.value(it.key()) != it.value())
            return false;
    for (const LabelSelectorRequirement &r : matchExpressions) {
        const bool has = labels.contains(r.key);
        bool ok = false;
        if (r.op == u"In")
            ok = has && r.values.contains(labels.value(r.key));
        else if (r.op == u"NotIn")
            ok = !has || !r.values.contains(labels.value(r.key));
        else if (r.op == u"Exists")
            ok = has;
        else if (r.op == u"DoesNotExist")
            ok = !has;
        if (!ok)
            return false;
    }
    return true;
}

bool advertisementSelects(const Advertisement &ad, const AddressPool &pool)
{
    if (ad.ipAddressPools.isEmpty() && ad.poolSelectors.isEmpty())
        return true; // as MetalLB: an empty list is no list
    if (ad.ipAddressPools.contains(pool.name))
        return true;
    for (const LabelSelector &s : ad.poolSelectors)
        if (s.matches(pool.labels))
            return true;
    return false;
}

} // namespace Bramble::MetalLB
