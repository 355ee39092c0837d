#pragma once

#include "models/executionlistmodel.h"
#include "ui/common/theme.h"

#include <QStyledItemDelegate>

namespace Bramble::Ui {

// Colours the text of the saga tables (executions, steps, comparison) by
// the tone a model gives in `toneRole`; with a `differRole`, rows where it
// is true get a warning tint and a bold first column.
class SagaToneDelegate : public QStyledItemDelegate {
public:
    SagaToneDelegate(int toneRole, int differRole, QObject *parent);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_toneRole;
    int m_differRole;
};

} // namespace Bramble::Ui
