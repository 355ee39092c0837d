// bramblectl: the service layer on the command line. No widgets, no display.

#include "cli.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bramblectl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BRAMBLE_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return Bramble::Cli::run(QCoreApplication::arguments().mid(1), Bramble::Core::Environment::fromSystem(), out, err);
}
