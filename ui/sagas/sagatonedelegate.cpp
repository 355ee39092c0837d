#include "ui/sagas/sagatonedelegate.h"

namespace Bramble::Ui {

SagaToneDelegate::SagaToneDelegate(int toneRole, int differRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_toneRole(toneRole)
    , m_differRole(differRole)
{
}

void SagaToneDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant tone = index.data(m_toneRole);
    if (tone.isValid() && Tone(tone.toInt()) != Tone::Neutral) {
        const QColor c = toneColor(Tone(tone.toInt()), option->palette);
        option->palette.setColor(QPalette::Text, c);
        option->palette.setColor(QPalette::HighlightedText, option->palette.color(QPalette::HighlightedText));
    }
    if (m_differRole >= 0 && index.data(m_differRole).toBool()) {
        QColor tint = toneColor(Tone::Warning, option->palette);
        tint.setAlpha(isDark(option->palette) ? 60 : 38);
        option->backgroundBrush = tint;
        if (index.column() == 0)
            option->font.setBold(true);
    }
}

} // namespace Bramble::Ui
