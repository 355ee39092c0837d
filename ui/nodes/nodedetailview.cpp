#include "ui/nodes/nodedetailview.h"

#include "ui/common/theme.h"
#include "ui/nodes/nodestatusstyle.h"

#include <QEvent>
#include <QLocale>
#include <QScrollBar>

using namespace Qt::StringLiterals;

namespace Bramble::Ui {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// "2025-06-01 14:02:03 (3h10m ago)", local time, as HTML.
QString when(const QDateTime &t, const QDateTime &now, const QString &mutedColor)
{
    if (!t.isValid())
        return QStringLiteral("—");
    const qint64 secs = t.secsTo(now);
    // A minute ahead is clock skew between the cluster and this machine.
    const QString ago = secs >= 1 ? NodeDetailView::tr("%1 ago").arg(Kube::humanDuration(secs))
        : secs > -60              ? NodeDetailView::tr("just now")
                                  : NodeDetailView::tr("in the future");
    return esc(t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s)) + u" <span style='color:"_s + mutedColor + u"'>("_s
        + esc(ago) + u")</span>"_s;
}

QString bytesText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("—");
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString cpuText(qint64 millis)
{
    if (millis < 0)
        return QStringLiteral("—");
    if (millis % 1000 == 0)
        return QString::number(millis / 1000);
    return QString::number(double(millis) / 1000.0, 'f', 2);
}

QString countText(qint64 n)
{
    return n < 0 ? QStringLiteral("—") : QString::number(n);
}

} // namespace

NodeDetailView::NodeDetailView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("nodeDetail"));
    setOpenLinks(false);
    setFrameShape(QFrame::StyledPanel);
    document()->setDocumentMargin(10);
}

void NodeDetailView::showNode(const Kube::Node &node, const QDateTime &now)
{
    // Ages are shown to the second: a second later is worth a new render.
    if (m_node && *m_node == node && m_now.isValid() && qAbs(m_now.msecsTo(now)) < 1000)
        return;
    const bool same = m_node && m_node->name == node.name;
    const int scroll = verticalScrollBar()->value();
    m_node = node;
    m_now = now;
    m_hint.clear();
    render();
    if (same)
        verticalScrollBar()->setValue(scroll);
}

void NodeDetailView::showHint(const QString &text)
{
    if (!m_node && m_hint == text)
        return;
    m_node.reset();
    m_hint = text;
    render();
}

void NodeDetailView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        render();
}

void NodeDetailView::render()
{
    const QPalette pal = palette();
    const QString muted = toneColor(Tone::Muted, pal).name();
    if (!m_node) {
        setHtml(u"<p style='color:%1'>%2</p>"_s.arg(muted, esc(m_hint)));
        return;
    }
    const Kube::Node &n = *m_node;
    const QString section = u"<h4 style='margin-top:14px; margin-bottom:4px'>%1</h4>"_s;
    const QString th = u"<th align=left style='padding:2px 10px 2px 0; color:%1; font-weight:normal'>%2</th>"_s;
    const QString td = u"<td style='padding:2px 10px 2px 0'>%1</td>"_s;
    auto row = [&](const QString &label, const QString &valueHtml) -> QString {
        return u"<tr>"_s + th.arg(muted, esc(label)) + td.arg(valueHtml) + u"</tr>"_s;
    };
    QString html;

    const Kube::NodeStatus status = n.displayStatus();
    html += u"<h3 style='margin-bottom:2px'>%1</h3>"_s.arg(esc(n.name));
    QString line = u"<span style='color:%1; font-weight:bold'>%2</span>"_s.arg(
        statusColor(status, pal).name(), esc(statusName(status)));
    if (!n.readyReason.isEmpty())
        line += u" · "_s + esc(n.readyReason);
    if (n.readySince.isValid())
        line += u" · "_s + tr("since %1").arg(when(n.readySince, m_now, muted));
    html += u"<p style='margin-top:0'>%1</p>"_s.arg(line);
    if (!n.readyMessage.isEmpty())
        html += u"<p style='color:%1; margin-top:0'>%2</p>"_s.arg(muted, esc(n.readyMessage));

    // Conditions: type, status and age of the state on one line; reason,
    // message and the exact transition time under it.
    html += section.arg(tr("Conditions"));
    if (n.conditions.isEmpty()) {
        html += u"<p style='color:%1'>%2</p>"_s.arg(muted, tr("The node reports no conditions."));
    } else {
        html += u"<table cellspacing=0 width='100%'>"_s;
        for (const Kube::NodeCondition &c : n.conditions) {
            QString color = pal.color(QPalette::Text).name();
            if (c.isProblem())
                color = conditionColor(c.type, pal).name();
            else if (c.status == u"Unknown")
                color = toneColor(Tone::Warning, pal).name();
            const QString since = c.lastTransitionTime.isValid()
                ? tr("for %1").arg(Kube::humanDuration(qMax<qint64>(0, c.lastTransitionTime.secsTo(m_now))))
                : QString();
            html += u"<tr><td style='padding:4px 10px 0 0; white-space:nowrap'><b>%1</b></td>"_s.arg(esc(c.type))
                + u"<td style='padding:4px 10px 0 0; white-space:nowrap; color:%1; font-weight:%2'>%3</td>"_s.arg(
                    color, c.isProblem() ? u"bold"_s : u"normal"_s, esc(c.status))
                + u"<td align=right style='padding:4px 0 0 0; white-space:nowrap; color:%1'>%2</td></tr>"_s.arg(
                    muted, esc(since));
            QStringList about;
            if (!c.reason.isEmpty())
                about << u"<i>%1</i>"_s.arg(esc(c.reason));
            if (!c.message.isEmpty())
                about << esc(c.message);
            QString detail = about.join(u" — "_s);
            if (c.lastTransitionTime.isValid())
                detail += (detail.isEmpty() ? QString() : u"<br>"_s)
                    + tr("changed %1").arg(when(c.lastTransitionTime, m_now, muted));
            html += u"<tr><td colspan=3 style='padding:0 0 2px 12px; color:%1'>%2</td></tr>"_s.arg(muted, detail);
        }
        html += u"</table>"_s;
    }

    // Addresses
    html += section.arg(tr("Addresses"));
    html += u"<table cellspacing=0>"_s;
    for (const Kube::NodeAddress &a : n.addresses)
        html += row(a.type, esc(a.address));
    if (!n.podCIDRs.isEmpty())
        html += row(tr("Pod CIDRs"), esc(n.podCIDRs.join(u", "_s)));
    html += u"</table>"_s;

    // Resources
    html += section.arg(tr("Resources"));
    html += u"<table cellspacing=0><tr>"_s + th.arg(muted, QString()) + th.arg(muted, tr("Capacity"))
        + th.arg(muted, tr("Allocatable")) + u"</tr>"_s;
    auto resource = [&](const QString &label, const QString &cap, const QString &alloc) {
        html += u"<tr>"_s + th.arg(muted, esc(label)) + td.arg(esc(cap)) + td.arg(esc(alloc)) + u"</tr>"_s;
    };
    resource(tr("CPU"), cpuText(n.capacity.cpuMillis), cpuText(n.allocatable.cpuMillis));
    resource(tr("Memory"), bytesText(n.capacity.memoryBytes), bytesText(n.allocatable.memoryBytes));
    resource(tr("Pods"), countText(n.capacity.pods), countText(n.allocatable.pods));
    resource(tr("Ephemeral storage"), bytesText(n.capacity.ephemeralStorageBytes),
        bytesText(n.allocatable.ephemeralStorageBytes));
    QStringList others = n.capacity.quantities.keys();
    for (const QString &k : n.allocatable.quantities.keys())
        if (!others.contains(k))
            others << k;
    for (const QString &k : std::as_const(others)) {
        if (k == u"cpu" || k == u"memory" || k == u"pods" || k == u"ephemeral-storage")
            continue;
        resource(k, n.capacity.quantities.value(k, u"—"_s), n.allocatable.quantities.value(k, u"—"_s));
    }
    html += u"</table>"_s;

    // Taints
    html += section.arg(tr("Taints"));
    if (n.taints.isEmpty()) {
        html += u"<p style='color:%1'>%2</p>"_s.arg(muted, tr("None"));
    } else {
        html += u"<table cellspacing=0>"_s;
        for (const Kube::NodeTaint &t : n.taints)
            html += u"<tr>"_s + td.arg(u"<code>%1</code>"_s.arg(esc(t.toString())))
                + td.arg(t.timeAdded.isValid() ? tr("added %1").arg(when(t.timeAdded, m_now, muted)) : QString())
                + u"</tr>"_s;
        html += u"</table>"_s;
    }

    // System
    html += section.arg(tr("System"));
    html += u"<table cellspacing=0>"_s;
    html += row(tr("Kubelet"), esc(n.kubeletVersion));
    if (!n.kubeProxyVersion.isEmpty())
        html += row(tr("Kube-proxy"), esc(n.kubeProxyVersion));
    html += row(tr("Container runtime"), esc(n.containerRuntimeVersion));
    html += row(tr("Kernel"), esc(n.kernelVersion));
    html += row(tr("OS image"), esc(n.osImage));
    html += row(tr("OS / arch"), esc(n.operatingSystem + u" / "_s + n.architecture));
    html += row(tr("Roles"), esc(n.roles.isEmpty() ? tr("none") : n.roles.join(u", "_s)));
    html += row(tr("Created"), when(n.creationTimestamp, m_now, muted));
    if (!n.providerID.isEmpty())
        html += row(tr("Provider ID"), esc(n.providerID));
    if (!n.bootID.isEmpty())
        html += row(tr("Boot ID"), esc(n.bootID));
    html += u"</table>"_s;

    // Labels
    html += section.arg(tr("Labels"));
    if (n.labels.isEmpty()) {
        html += u"<p style='color:%1'>%2</p>"_s.arg(muted, tr("None"));
    } else {
        html += u"<table cellspacing=0>"_s;
        for (auto it = n.labels.cbegin(); it != n.labels.cend(); ++it)
            html += u"<tr>"_s + td.arg(u"<code>%1</code>"_s.arg(esc(it.key())))
                + td.arg(u"<code>%1</code>"_s.arg(esc(it.value()))) + u"</tr>"_s;
        html += u"</table>"_s;
    }
    setHtml(html);
}

} // namespace Bramble::Ui
