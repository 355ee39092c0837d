#pragma once

#include "kube/node.h"

#include <QDateTime>
#include <QTextBrowser>

#include <optional>

namespace Bramble::Ui {

// The detail panel of the Nodes pane: everything about one node. Its
// conditions (status, reason, message, last transition), addresses,
// capacity and allocatable resources, taints, labels, and what runs on it
// (kubelet, container runtime, kernel, OS). Read-only rich text; every value
// from the server is escaped.
class NodeDetailView : public QTextBrowser {
    Q_OBJECT

public:
    explicit NodeDetailView(QWidget *parent = nullptr);

    // Shows `node` with ages computed at `now` (UTC). Keeps the scroll
    // position when it is the node already shown; does nothing when it is
    // the same node, unchanged, less than a second later.
    void showNode(const Kube::Node &node, const QDateTime &now);
    // Shows a hint instead of a node.
    void showHint(const QString &text);
    // The node shown, if any.
    std::optional<Kube::Node> node() const { return m_node; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();

    std::optional<Kube::Node> m_node;
    QDateTime m_now;
    QString m_hint;
};

} // namespace Bramble::Ui
