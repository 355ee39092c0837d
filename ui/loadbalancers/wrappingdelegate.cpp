#include "ui/loadbalancers/wrappingdelegate.h"

#include <QAbstractItemView>
#include <QEvent>

namespace Bramble::Ui {

WrappingDelegate::WrappingDelegate(QAbstractItemView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{
    view->viewport()->installEventFilter(this);
}

QSize WrappingDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    // The style wraps at the option's width only when the rect is valid.
    if (m_view)
        opt.rect = QRect(0, 0, std::max(80, m_view->viewport()->width()), option.fontMetrics.height());
    QSize size = QStyledItemDelegate::sizeHint(opt, index);
    size.setHeight(size.height() + 4);
    return size;
}

bool WrappingDelegate::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && m_view && watched == m_view->viewport() && m_view->model()
        && m_view->model()->rowCount() > 0)
        Q_EMIT sizeHintChanged(m_view->model()->index(0, 0));
    return QStyledItemDelegate::eventFilter(watched, event);
}

} // namespace Bramble::Ui
