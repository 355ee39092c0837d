#pragma once

#include <QPointer>
#include <QStyledItemDelegate>

class QAbstractItemView;

namespace Bramble::Ui {

// Wraps a one-column view's text (problem sentences) at the viewport's
// width instead of eliding it: rows grow to fit, and are laid out again
// when the viewport is resized. The view must have wordWrap on.
class WrappingDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    explicit WrappingDelegate(QAbstractItemView *view);

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<QAbstractItemView> m_view;
};

} // namespace Bramble::Ui
