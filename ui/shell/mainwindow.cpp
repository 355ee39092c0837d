#include "ui/shell/mainwindow.h"

#include "core/buildinfo.h"
#include "models/awsprofilelistmodel.h"
#include "models/kubecontextlistmodel.h"
#include "runtime/localruntime.h"
#include "saga/sagaexplorer.h"
#include "session/awssessions.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"
#include "session/workspace.h"
#include "ui/common/kubeconnectionpane.h"
#include "ui/common/mfaprompt.h"
#include "ui/common/pane.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"
#include "ui/loadbalancers/loadbalancerspane.h"
#include "ui/local/functionsdialog.h"
#include "ui/logs/logspane.h"
#include "ui/nodes/nodespane.h"
#include "ui/provision/provisionpane.h"
#include "ui/sagas/sagaspane.h"
#include "ui/shell/connectionbar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>

namespace Bramble::Ui {

namespace Keys {
const QString geometry = QStringLiteral("window/geometry");
const QString state = QStringLiteral("window/state");
const QString pane = QStringLiteral("window/pane");
const QString context = QStringLiteral("kube/context");
const QString kubeconfig = QStringLiteral("kube/kubeconfig");
const QString profile = QStringLiteral("aws/profile");
const QString region = QStringLiteral("aws/region");
} // namespace Keys

MainWindow::MainWindow(Session::Workspace *workspace, QSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_catalog(workspace->catalog())
    , m_settings(settings)
    , m_sidebar(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Bramble"));
    setWindowIcon(applicationIcon());

    auto *contexts = new Models::KubeContextListModel(this);
    auto *profiles = new Models::AwsProfileListModel(this);
    Session::ConnectionCatalog *catalog = m_catalog;
    m_bar = new ConnectionBar(catalog, contexts, profiles, this);
    auto *toolbar = addToolBar(tr("Connection"));
    toolbar->setObjectName(QStringLiteral("connectionToolbar"));
    toolbar->setMovable(false);
    toolbar->addWidget(m_bar);
    connect(m_bar, &ConnectionBar::refreshRequested, this, &MainWindow::refresh);

    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    m_sidebar->setMinimumWidth(170);
    m_sidebar->setMaximumWidth(240);

    Session::ClusterSession *cluster = workspace->cluster();
    // A role with mfa_serial asks for its code once for the whole window, as
    // the aws CLI does on the terminal, whichever pane needed the credentials.
    workspace->aws()->setMfaPrompt(mfaDialogPrompt(this));
    addPane(new NodesPane(catalog, cluster, this));
    addPane(new LoadBalancersPane(catalog, cluster, m_settings, this));
    addPane(new ProvisionPane(catalog, this));
    addPane(new SagasPane(catalog, workspace->aws(), Saga::SagaExplorer::defaultFactory(), m_settings, this));
    addPane(new LogsPane(catalog, this));

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    createActions();
    statusBar()->showMessage(tr("Ready"), 2000);
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::addPane(Pane *pane)
{
    m_panes.append(pane);
    m_stack->addWidget(pane);
    auto *item = new QListWidgetItem(themedIcon(pane->iconName()), pane->title(), m_sidebar);
    item->setData(Qt::UserRole, pane->id());
    item->setSizeHint(QSize(0, 34));
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(pane->title()).arg(m_panes.size()));
    connect(pane, &Pane::navigateRequested, this, &MainWindow::showPane);
    connect(pane, &Pane::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    if (auto *kubePane = qobject_cast<KubeConnectionPane *>(pane))
        connect(kubePane, &KubeConnectionPane::openKubeconfigRequested, this, &MainWindow::openKubeconfig);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(
        themedIcon(QStringLiteral("file")), tr("&Open kubeconfig…"), this, &MainWindow::openKubeconfig);
    open->setShortcut(QKeySequence::Open);
    QAction *useDefault = file->addAction(tr("Use &default kubeconfig"), this, [this] {
        m_catalog->setKubeconfigOverride({});
        statusBar()->showMessage(tr("Using KUBECONFIG / ~/.kube/config"), 4000);
    });
    useDefault->setObjectName(QStringLiteral("useDefaultKubeconfig"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *findAction = edit->addAction(themedIcon(QStringLiteral("search")), tr("&Find"), this, &MainWindow::find);
    findAction->setShortcut(QKeySequence::Find);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_panes.size(); ++i) {
        Pane *pane = m_panes.at(i);
        QAction *a = view->addAction(
            themedIcon(pane->iconName()), pane->title(), this, [this, id = pane->id()] { showPane(id); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *refreshAction
        = view->addAction(themedIcon(QStringLiteral("refresh")), tr("&Refresh"), this, &MainWindow::refresh);
    // F5 everywhere, plus the platform's own refresh key where it differs
    // (Ctrl+R on macOS); the same key twice would make the shortcut ambiguous.
    QList<QKeySequence> refreshKeys { QKeySequence(Qt::Key_F5) };
    for (const QKeySequence &k : QKeySequence::keyBindings(QKeySequence::Refresh))
        if (!refreshKeys.contains(k))
            refreshKeys << k;
    refreshAction->setShortcuts(refreshKeys);

    // The local runtime (the AWS profile "Local (this machine)").
    Session::LocalRuntimeHost *local = m_workspace->local();
    if (local->isAvailable()) {
        QMenu *localMenu = menuBar()->addMenu(tr("&Local"));
        QAction *functions = localMenu->addAction(tr("&Functions…"), this, [this, local] {
            FunctionsDialog dialog(local, this);
            dialog.exec();
        });
        QAction *copyEndpoint = localMenu->addAction(tr("&Copy endpoint URL"), this,
            [local] { QGuiApplication::clipboard()->setText(local->runtime()->endpoint().toString()); });
        copyEndpoint->setToolTip(tr("For aws --endpoint-url and bramblectl --endpoint-url"));
        // Both need the runtime, which starts when Local is chosen.
        connect(localMenu, &QMenu::aboutToShow, this, [local, functions, copyEndpoint] {
            functions->setEnabled(local->isRunning());
            copyEndpoint->setEnabled(local->isRunning());
            copyEndpoint->setText(local->isRunning()
                    ? tr("&Copy endpoint URL (%1)").arg(local->runtime()->endpoint().toString())
                    : tr("&Copy endpoint URL"));
        });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts)
        ->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Bramble"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
}

QStringList MainWindow::paneIds() const
{
    QStringList ids;
    for (const Pane *p : m_panes)
        ids << p->id();
    return ids;
}

Pane *MainWindow::pane(const QString &id) const
{
    for (Pane *p : m_panes)
        if (p->id() == id)
            return p;
    return nullptr;
}

bool MainWindow::showPane(const QString &id)
{
    for (int i = 0; i < m_panes.size(); ++i) {
        if (m_panes.at(i)->id() == id) {
            m_sidebar->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

QString MainWindow::currentPaneId() const
{
    const int row = m_stack->currentIndex();
    return row >= 0 && row < m_panes.size() ? m_panes.at(row)->id() : QString();
}

void MainWindow::refresh()
{
    m_catalog->reload();
    m_workspace->aws()->reset(); // F5 makes the AWS sessions anew, credentials included
    if (Pane *current = pane(currentPaneId()))
        current->refresh();
    const auto &kube = m_catalog->kube();
    const auto &aws = m_catalog->aws();
    const qsizetype problems = kube.errors.size() + aws.errors.size();
    QString message
        = tr("Reloaded: %1, %2")
              .arg(countOf(kube.config.contexts.size(), tr("Kubernetes context"), tr("Kubernetes contexts")),
                  countOf(aws.config.profiles.size(), tr("AWS profile"), tr("AWS profiles")));
    if (problems)
        message += QStringLiteral(" — ") + countOf(problems, tr("file error"), tr("file errors"));
    statusBar()->showMessage(message, 5000);
}

void MainWindow::find()
{
    Pane *current = pane(currentPaneId());
    if (current && !current->activateFind())
        statusBar()->showMessage(tr("Nothing to search in %1 yet").arg(current->title()), 4000);
}

void MainWindow::openKubeconfig()
{
    const QString start = m_catalog->kube().config.files.value(0);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open kubeconfig"), start, tr("Kubeconfig (*config* *.yaml *.yml);;All files (*)"));
    if (path.isEmpty())
        return;
    m_catalog->setKubeconfigOverride(path);
    if (!m_catalog->kube().ok())
        statusBar()->showMessage(m_catalog->kube().errors.constFirst().toString(), 8000);
    else
        statusBar()->showMessage(tr("Using %1").arg(path), 4000);
}

void MainWindow::showShortcuts()
{
    QString rows;
    auto row = [&rows](const QString &keys, const QString &what) {
        rows
            += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
    };
    for (int i = 0; i < m_panes.size(); ++i)
        row(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)).toString(QKeySequence::NativeText), m_panes.at(i)->title());
    row(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText), tr("Find in the current pane"));
    row(QStringLiteral("F5"), tr("Reload kubeconfig, AWS files and the current pane"));
    row(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText), tr("Open a kubeconfig file"));
    // The current pane's own shortcuts (actions it added to itself).
    if (Pane *current = pane(currentPaneId()))
        for (const QAction *a : current->actions())
            if (!a->shortcut().isEmpty())
                row(a->shortcut().toString(QKeySequence::NativeText),
                    tr("%1: %2").arg(current->title(), QString(a->text()).remove(QStringLiteral("…"))));
    QMessageBox::information(
        this, tr("Keyboard shortcuts"), QStringLiteral("<table cellspacing=6>%1</table>").arg(rows));
}

void MainWindow::showAbout()
{
    const Core::BuildInfo info = Core::buildInfo();
    QString libraries;
    for (const Core::Component &c : info.components)
        libraries += tr("<tr><td><a href=\"%1\">%2</a></td><td>%3</td><td>%4</td></tr>")
                         .arg(c.url.toHtmlEscaped(), c.name.toHtmlEscaped(), c.version.toHtmlEscaped(),
                             c.license.toHtmlEscaped());
    QMessageBox::about(this, tr("About Bramble"),
        tr("<h3>Bramble %1</h3><p>A dashboard for Raspberry Pi Kubernetes clusters and the AWS "
           "Step Functions sagas around them.</p><p>Running on Qt %2.</p>"
           "<p>Built with:</p><table cellspacing=\"6\"><tr><th align=\"left\">Library</th>"
           "<th align=\"left\">Version</th><th align=\"left\">Licence</th></tr>%3</table>"
           "<p><code>bramblectl</code> is the same service layer on the command line.</p>")
            .arg(info.versionString().toHtmlEscaped(), info.qtRuntime.toHtmlEscaped(), libraries));
}

void MainWindow::restoreSettings()
{
    if (!restoreGeometry(m_settings->value(Keys::geometry).toByteArray()))
        resize(1280, 800);
    restoreState(m_settings->value(Keys::state).toByteArray());
    const QString kubeconfig = m_settings->value(Keys::kubeconfig).toString();
    if (!kubeconfig.isEmpty() && m_catalog->kubeconfigOverride().isEmpty())
        m_catalog->setKubeconfigOverride(kubeconfig);
    // Choices given on the command line win over remembered ones.
    if (m_catalog->chosenContext().isEmpty())
        m_catalog->setCurrentContext(m_settings->value(Keys::context).toString());
    if (m_catalog->chosenProfile().isEmpty())
        m_catalog->setCurrentProfile(m_settings->value(Keys::profile).toString());
    if (m_catalog->chosenRegion().isEmpty())
        m_catalog->setCurrentRegion(m_settings->value(Keys::region).toString());
    if (showPane(m_settings->value(Keys::pane).toString()))
        return;
    // First launch without a cluster and without an AWS profile: the local
    // runtime is what works, and the Sagas pane shows its sample saga.
    if (m_catalog->kube().config.contexts.isEmpty() && m_catalog->currentProfile() == Session::localProfileName())
        showPane(QStringLiteral("sagas"));
    else
        m_sidebar->setCurrentRow(0);
}

void MainWindow::saveSettings() const
{
    m_settings->setValue(Keys::geometry, saveGeometry());
    m_settings->setValue(Keys::state, saveState());
    m_settings->setValue(Keys::pane, currentPaneId());
    m_settings->setValue(Keys::kubeconfig, m_catalog->kubeconfigOverride());
    m_settings->setValue(Keys::context, m_catalog->chosenContext());
    m_settings->setValue(Keys::profile, m_catalog->chosenProfile());
    m_settings->setValue(Keys::region, m_catalog->chosenRegion());
    m_settings->sync();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    event->accept();
}

} // namespace Bramble::Ui
