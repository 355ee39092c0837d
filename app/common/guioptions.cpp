#include "guioptions.h"

namespace Bramble::App {

GuiOptions::GuiOptions()
    : kubeconfig(
        QStringLiteral("kubeconfig"), QStringLiteral("Read only this kubeconfig file."), QStringLiteral("FILE"))
    , context(QStringLiteral("context"), QStringLiteral("Kubernetes context to use."), QStringLiteral("NAME"))
    , profile(QStringLiteral("profile"), QStringLiteral("AWS profile to use."), QStringLiteral("NAME"))
    , region(QStringLiteral("region"), QStringLiteral("AWS region to use."), QStringLiteral("REGION"))
    , pane(QStringLiteral("pane"), QStringLiteral("Pane to show: %1.").arg(paneIds().join(QStringLiteral(", "))),
          QStringLiteral("NAME"))
    , scheme(QStringLiteral("color-scheme"),
          QStringLiteral("system (default), light or dark; also BRAMBLE_COLOR_SCHEME."), QStringLiteral("SCHEME"))
    , screenshot(
          QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window and exit."), QStringLiteral("FILE"))
    , size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot, e.g. 1400x900."),
          QStringLiteral("WxH"), QStringLiteral("1280x800"))
    , delay(QStringLiteral("screenshot-delay"),
          QStringLiteral("With --screenshot: once the pane has loaded, wait this long before saving (default 500)."),
          QStringLiteral("MS"), QStringLiteral("500"))
{
}

QList<QCommandLineOption> GuiOptions::all() const
{
    return { kubeconfig, context, profile, region, pane, scheme, screenshot, size, delay };
}

QStringList paneIds()
{
    return { QStringLiteral("nodes"), QStringLiteral("loadbalancers"), QStringLiteral("provision"),
        QStringLiteral("sagas"), QStringLiteral("logs") };
}

QStringList colorSchemes()
{
    return { QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark") };
}

QString guiDescription()
{
    return QStringLiteral("Dashboard for Raspberry Pi Kubernetes clusters and AWS sagas");
}

} // namespace Bramble::App
