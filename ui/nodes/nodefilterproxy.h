#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace Bramble::Ui {

// Sorts a Models::NodeModel by its SortRole and filters it by what the user
// types in the pane's find field: whitespace-separated words, each of which
// must occur (case-insensitively) in the node's name, roles, IP addresses,
// status (kubectl's text or the pane's: "Unknown", "Cordoned") or the names
// of its problem conditions ("pressure", "DiskPressure").
class NodeFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit NodeFilterProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QStringList m_words;
};

} // namespace Bramble::Ui
