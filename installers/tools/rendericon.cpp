// Build tool: renders the scalable icon to the PNG sizes the hicolor theme
// wants (desktops that do not scale SVG pick these). Not installed.
//
//     bramble-render-icon ICON.svg OUTDIR 16 32 48 64 128 256
// writes OUTDIR/<size>x<size>/apps/bramble.png.

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    QTextStream err(stderr);
    if (args.size() < 3) {
        err << "usage: bramble-render-icon ICON.svg OUTDIR SIZE...\n";
        return 2;
    }
    QSvgRenderer svg(args.at(0));
    if (!svg.isValid()) {
        err << "bramble-render-icon: " << args.at(0) << ": not a valid SVG\n";
        return 1;
    }
    for (const QString &sizeText : args.mid(2)) {
        bool ok = false;
        const int size = sizeText.toInt(&ok);
        if (!ok || size < 8 || size > 1024) {
            err << "bramble-render-icon: bad size " << sizeText << '\n';
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter, QRectF(0, 0, size, size));
        painter.end();
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(args.at(1)).arg(size);
        if (!QDir().mkpath(dir) || !image.save(dir + QStringLiteral("/bramble.png"))) {
            err << "bramble-render-icon: cannot write " << dir << "/bramble.png\n";
            return 1;
        }
    }
    return 0;
}
