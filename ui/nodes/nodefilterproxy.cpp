#include "ui/nodes/nodefilterproxy.h"

#include "models/nodemodel.h"
#include "ui/nodes/nodestatusstyle.h"

namespace Bramble::Ui {

NodeFilterProxy::NodeFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(Models::NodeModel::SortRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void NodeFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateRowsFilter();
}

bool NodeFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const auto *model = qobject_cast<const Models::NodeModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    const Kube::Node &node = model->node(sourceRow);
    QStringList haystack { node.name, node.statusText(), statusName(node.displayStatus()), node.internalIP,
        node.externalIP, node.hostname };
    haystack += node.roles;
    haystack += node.problemConditions();
    for (const QString &word : m_words) {
        bool found = false;
        for (const QString &s : std::as_const(haystack)) {
            if (s.contains(word, Qt::CaseInsensitive)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace Bramble::Ui
