#include "ui/common/textviews.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>

namespace Bramble::Ui {

QPlainTextEdit *monospaceText(QWidget *parent, bool readOnly)
{
    auto *e = new QPlainTextEdit(parent);
    e->setLineWrapMode(QPlainTextEdit::NoWrap);
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    if (readOnly)
        e->setReadOnly(true);
    else
        e->setTabChangesFocus(true);
    return e;
}

QLabel *noteLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QProgressBar *busyBar(QWidget *parent)
{
    auto *p = new QProgressBar(parent);
    p->setRange(0, 0);
    p->setMaximumHeight(8);
    p->setTextVisible(false);
    p->hide();
    return p;
}

} // namespace Bramble::Ui
