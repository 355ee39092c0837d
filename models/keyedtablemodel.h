#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>

#include <algorithm>
#include <functional>

namespace Bramble::Models {

// Base of the table models that show one snapshot after another (the
// MetalLB report): rows are keyed, and a new snapshot is applied in place so
// that selections survive a live update.
//
// syncRows() keeps the rows that are still there in their place (dataChanged,
// coalesced into contiguous ranges, only for rows that differ), removes the
// ones that are gone (contiguous ranges, bottom up) and appends the new ones
// in one insertion. The order of the snapshot is not the row order: each
// subclass exposes it as a role (OrderRole) for a sort proxy.
// Keys given twice are made unique by the order they come in (a suffix after U+001F).
//
// GUI thread.
class KeyedTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;

protected:
    // `rows` and `order` (snapshot position per row) are the subclass's
    // storage; `keyOf` makes the key of a row; `same` says whether two rows
    // with one key look the same.
    template<typename Row>
    void syncRows(QList<Row> &rows, QList<int> &order, const QList<Row> &next,
        const std::function<QString(const Row &)> &keyOf, const std::function<bool(const Row &, const Row &)> &same)
    {
        const QStringList nextKeys = uniqueKeys<Row>(next, keyOf);
        const QStringList oldKeys = uniqueKeys<Row>(rows, keyOf);
        QHash<QString, int> nextIndex;
        nextIndex.reserve(next.size());
        for (int i = 0; i < int(nextKeys.size()); ++i)
            nextIndex.insert(nextKeys.at(i), i);

        // Removals, bottom up, as contiguous ranges.
        QStringList keptKeys;
        QList<int> removed;
        for (int row = 0; row < int(rows.size()); ++row) {
            if (nextIndex.contains(oldKeys.at(row)))
                keptKeys << oldKeys.at(row);
            else
                removed << row;
        }
        for (qsizetype i = removed.size() - 1; i >= 0;) {
            qsizetype j = i;
            while (j > 0 && removed.at(j - 1) == removed.at(j) - 1)
                --j;
            beginRemoveRows({}, removed.at(j), removed.at(i));
            rows.remove(removed.at(j), removed.at(i) - removed.at(j) + 1);
            order.remove(removed.at(j), removed.at(i) - removed.at(j) + 1);
            endRemoveRows();
            i = j - 1;
        }

        // Changes in place, coalesced.
        QList<bool> seen(next.size(), false);
        int first = -1;
        const auto flush = [&](int last) {
            if (first >= 0)
                Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
            first = -1;
        };
        for (int row = 0; row < int(rows.size()); ++row) {
            const int at = nextIndex.value(keptKeys.at(row));
            seen[at] = true;
            const bool changed = order.at(row) != at || !same(rows.at(row), next.at(at));
            rows[row] = next.at(at);
            order[row] = at;
            if (changed && first < 0)
                first = row;
            else if (!changed)
                flush(row - 1);
        }
        flush(int(rows.size()) - 1);

        // New rows, appended in snapshot order.
        QList<int> added;
        for (int i = 0; i < int(next.size()); ++i)
            if (!seen.at(i))
                added << i;
        if (!added.isEmpty()) {
            const int at = int(rows.size());
            beginInsertRows({}, at, at + int(added.size()) - 1);
            for (int i : std::as_const(added)) {
                rows.append(next.at(i));
                order.append(i);
            }
            endInsertRows();
        }
    }

private:
    template<typename Row>
    static QStringList uniqueKeys(const QList<Row> &rows, const std::function<QString(const Row &)> &keyOf)
    {
        QStringList keys;
        keys.reserve(rows.size());
        QHash<QString, int> count;
        for (const Row &row : rows) {
            const QString key = keyOf(row);
            const int n = ++count[key];
            keys << (n == 1 ? key : QString(key + QChar(0x1f) + QString::number(n)));
        }
        return keys;
    }
};

} // namespace Bramble::Models
