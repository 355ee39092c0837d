#include "ui/common/theme.h"

#include <QApplication>
#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>
#include <QSvgRenderer>

namespace Bramble::Ui {

namespace {

class TintedSvgEngine : public QIconEngine {
public:
    TintedSvgEngine(QByteArray svg, Tone tone)
        : m_svg(std::move(svg))
        , m_tone(tone)
    {
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette pal = QGuiApplication::palette();
        QColor color
            = m_tone == Tone::Neutral ? pal.color(QPalette::Active, QPalette::WindowText) : toneColor(m_tone, pal);
        if (mode == QIcon::Disabled)
            color = pal.color(QPalette::Disabled, QPalette::WindowText);
        else if (mode == QIcon::Selected)
            color = pal.color(QPalette::Active, QPalette::HighlightedText);
        QByteArray svg = m_svg;
        svg.replace("currentColor", color.name().toLatin1());
        QSvgRenderer renderer(svg);
        renderer.render(painter, rect);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pm(size * scale);
        pm.fill(Qt::transparent);
        pm.setDevicePixelRatio(scale);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }

    QIconEngine *clone() const override { return new TintedSvgEngine(m_svg, m_tone); }
    QString key() const override { return QStringLiteral("bramble-tinted-svg"); }

private:
    QByteArray m_svg;
    Tone m_tone;
};

QByteArray readResource(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace

QIcon themedIcon(const QString &name, Tone tone)
{
    const QByteArray svg = readResource(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
    Q_ASSERT_X(!svg.isEmpty(), "themedIcon", "missing icon resource");
    return QIcon(new TintedSvgEngine(svg, tone));
}

QIcon applicationIcon()
{
    return QIcon(QStringLiteral(":/icons/bramble.svg"));
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

namespace {

// The one colour table of the app: a light-palette and a dark-palette shade of each.
struct Shades {
    QRgb light;
    QRgb dark;
    QColor on(const QPalette &palette) const { return QColor(isDark(palette) ? dark : light); }
};
constexpr Shades Green { 0x1a7f37, 0x5cc96e };
constexpr Shades Yellow { 0x9a6700, 0xe3b341 };
constexpr Shades Red { 0xcf222e, 0xff7b72 };
constexpr Shades Blue { 0x0969da, 0x58a6ff };
constexpr Shades Orange { 0xbc4c00, 0xf0883e };
constexpr Shades Purple { 0x8250df, 0xbc8cff };
constexpr Shades Teal { 0x1b7c83, 0x39c5cf };
constexpr Shades Pink { 0xbf3989, 0xf778ba };

} // namespace

QColor toneColor(Tone tone, const QPalette &palette)
{
    switch (tone) {
    case Tone::Ok:
        return Green.on(palette);
    case Tone::Warning:
        return Yellow.on(palette);
    case Tone::Error:
        return Red.on(palette);
    case Tone::Muted:
        return palette.color(QPalette::PlaceholderText);
    case Tone::Neutral:
        break;
    }
    return palette.color(QPalette::WindowText);
}

QColor hueColor(Hue hue, const QPalette &palette)
{
    switch (hue) {
    case Hue::Blue:
        return Blue.on(palette);
    case Hue::Orange:
        return Orange.on(palette);
    case Hue::Purple:
        return Purple.on(palette);
    case Hue::Teal:
        return Teal.on(palette);
    case Hue::Pink:
        return Pink.on(palette);
    }
    return palette.color(QPalette::WindowText);
}

void applyColorScheme(QApplication &app, const QString &scheme)
{
    if (scheme != u"dark" && scheme != u"light")
        return;
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (scheme == u"light") {
        app.setPalette(app.style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(0x24, 0x27, 0x2b), base(0x1b, 0x1d, 0x21), text(0xe6, 0xe8, 0xeb);
    const QColor disabled(0x7d, 0x83, 0x8b), highlight(0x3d, 0x7e, 0xd8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window.lighter(115));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, window.lighter(140));
    p.setColor(QPalette::Midlight, window.lighter(120));
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, highlight.lighter(130));
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    app.setPalette(p);
}

} // namespace Bramble::Ui
