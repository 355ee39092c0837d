#include "ui/sagas/sagasettingsdialog.h"

#include "saga/jsonpath.h"
#include "ui/common/theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

const QString Derived = QStringLiteral("(derived)");
const QString Nothing = QStringLiteral("(nothing)");
enum Column { StateColumn, TypeColumn, DerivedColumn, RoleColumn, UndoneByColumn };

QComboBox *combo(QTableWidget *table, int row, int column)
{
    return qobject_cast<QComboBox *>(table->cellWidget(row, column));
}

} // namespace

SagaSettingsDialog::SagaSettingsDialog(const QString &machineName, const Saga::StateGraph &graph,
    const Saga::RecordSource &fromDefinition, const Saga::MachineSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_graph(graph)
    , m_initial(settings)
    , m_roles(new QTableWidget(this))
    , m_table(new QLineEdit(settings.recordTable, this))
    , m_keyAttribute(new QLineEdit(settings.recordKeyAttribute, this))
    , m_keyPath(new QLineEdit(settings.recordKeyPath, this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel | QDialogButtonBox::Reset, this))
{
    setWindowTitle(tr("Saga settings: %1").arg(machineName));
    m_derived = Saga::deriveRoles(graph);
    const Saga::SagaRoles &derived = m_derived;

    QStringList topLevel;
    for (const Saga::StateNode &n : graph.nodes)
        if (n.scope == 0)
            topLevel << n.name;

    m_roles->setColumnCount(5);
    m_roles->setHorizontalHeaderLabels({ tr("State"), tr("Type"), tr("Derived role"), tr("Role"), tr("Undone by") });
    m_roles->setRowCount(int(topLevel.size()));
    m_roles->verticalHeader()->hide();
    m_roles->setSelectionMode(QAbstractItemView::NoSelection);
    for (int row = 0; row < int(topLevel.size()); ++row) {
        const QString &name = topLevel.at(row);
        const Saga::StateNode &node = graph.nodes.at(graph.indexOf(name));
        const auto item = [](const QString &text) {
            auto *i = new QTableWidgetItem(text);
            i->setFlags(Qt::ItemIsEnabled);
            return i;
        };
        m_roles->setItem(row, StateColumn, item(name));
        m_roles->setItem(row, TypeColumn, item(Saga::stateTypeName(node.type)));
        QString derivedText = Saga::stateRoleName(derived.role(name));
        if (derived.compensationOf.contains(name))
            derivedText += tr(", undone by %1").arg(derived.compensationOf.value(name));
        m_roles->setItem(row, DerivedColumn, item(derivedText));

        auto *role = new QComboBox(m_roles);
        role->addItem(tr("derived"), QStringLiteral("derived"));
        role->addItem(tr("forward"), QStringLiteral("forward"));
        role->addItem(tr("compensation"), QStringLiteral("compensation"));
        role->addItem(tr("other"), QStringLiteral("other"));
        if (settings.roles.roles.contains(name))
            role->setCurrentIndex(role->findData(Saga::stateRoleName(settings.roles.roles.value(name))));
        m_roles->setCellWidget(row, RoleColumn, role);

        auto *undo = new QComboBox(m_roles);
        undo->addItem(tr("(derived)"), Derived);
        undo->addItem(tr("(nothing to undo)"), Nothing);
        for (const QString &c : std::as_const(topLevel))
            if (c != name)
                undo->addItem(c, c);
        if (settings.roles.compensationOf.contains(name)) {
            const QString v = settings.roles.compensationOf.value(name);
            undo->setCurrentIndex(undo->findData(v.isEmpty() ? Nothing : v));
        }
        m_roles->setCellWidget(row, UndoneByColumn, undo);
        const auto updateUndo = [this, row] {
            // "Undone by" only means something for a forward step.
            const QString r = combo(m_roles, row, RoleColumn)->currentData().toString();
            const QString state = m_roles->item(row, StateColumn)->text();
            const bool forward = r == QLatin1String("forward")
                || (r == QLatin1String("derived") && m_derived.role(state) == Saga::StateRole::Forward);
            combo(m_roles, row, UndoneByColumn)->setEnabled(forward);
        };
        connect(role, &QComboBox::currentIndexChanged, this, updateUndo);
        updateUndo();
    }
    m_roles->resizeColumnsToContents();
    m_roles->horizontalHeader()->setStretchLastSection(true);

    const auto placeholder = [](const QString &value, const QString &none) {
        return value.isEmpty() ? none : QStringLiteral("%1 (from the definition)").arg(value);
    };
    m_table->setPlaceholderText(placeholder(fromDefinition.table, tr("DynamoDB table name")));
    m_keyAttribute->setPlaceholderText(
        placeholder(fromDefinition.keyAttribute, tr("the table's partition key, e.g. TransactionId")));
    m_keyPath->setPlaceholderText(
        fromDefinition.keyPath.isEmpty() ? Saga::RecordSource::defaultKeyPath() : fromDefinition.keyPath);
    m_problem->setWordWrap(true);
    QPalette p = m_problem->palette();
    p.setColor(QPalette::WindowText, toneColor(Tone::Error, palette()));
    m_problem->setPalette(p);

    auto *record = new QGroupBox(tr("Transaction record (DynamoDB GetItem)"), this);
    auto *form = new QFormLayout(record);
    form->addRow(tr("&Table:"), m_table);
    form->addRow(tr("&Key attribute:"), m_keyAttribute);
    form->addRow(tr("Key &value in the input (JSONPath):"), m_keyPath);
    form->addRow(m_problem);

    auto *intro = new QLabel(tr("Bramble works out forward steps (reachable from StartAt) and compensations "
                                "(reachable only through Catch) from the definition. Correct it here where the "
                                "definition does not say what the saga means; your choices are saved for this "
                                "state machine."),
        this);
    intro->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_roles, 1);
    layout->addWidget(record);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Reset), &QPushButton::clicked, this, [this] {
        for (int row = 0; row < m_roles->rowCount(); ++row) {
            combo(m_roles, row, RoleColumn)->setCurrentIndex(0);
            combo(m_roles, row, UndoneByColumn)->setCurrentIndex(0);
        }
        m_table->clear();
        m_keyAttribute->clear();
        m_keyPath->clear();
    });
    connect(m_keyPath, &QLineEdit::textChanged, this, &SagaSettingsDialog::validate);
    resize(760, 560);
    validate();
}

int SagaSettingsDialog::rowOf(const QString &state) const
{
    for (int row = 0; row < m_roles->rowCount(); ++row)
        if (m_roles->item(row, StateColumn)->text() == state)
            return row;
    return -1;
}

void SagaSettingsDialog::setRoleChoice(const QString &state, const QString &choice)
{
    const int row = rowOf(state);
    if (row >= 0)
        combo(m_roles, row, RoleColumn)->setCurrentIndex(combo(m_roles, row, RoleColumn)->findData(choice));
}

void SagaSettingsDialog::setUndoneBy(const QString &step, const QString &choice)
{
    const int row = rowOf(step);
    if (row >= 0)
        combo(m_roles, row, UndoneByColumn)->setCurrentIndex(combo(m_roles, row, UndoneByColumn)->findData(choice));
}

QString SagaSettingsDialog::keyPathProblem() const
{
    return m_problem->text();
}

void SagaSettingsDialog::validate()
{
    QString error;
    const QString path = m_keyPath->text().trimmed();
    const bool ok = path.isEmpty() || Saga::isValidJsonPath(path, &error);
    m_problem->setText(ok ? QString() : error);
    m_problem->setVisible(!ok);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(ok);
}

Saga::MachineSettings SagaSettingsDialog::settings() const
{
    Saga::MachineSettings s = m_initial;
    s.roles = {};
    for (int row = 0; row < m_roles->rowCount(); ++row) {
        const QString name = m_roles->item(row, StateColumn)->text();
        const QString role = combo(m_roles, row, RoleColumn)->currentData().toString();
        if (role != QLatin1String("derived"))
            s.roles.roles.insert(name, Saga::stateRoleFromName(role));
        QComboBox *undo = combo(m_roles, row, UndoneByColumn);
        const QString by = undo->currentData().toString();
        if (undo->isEnabled() && undo->currentIndex() > 0 && by != Derived)
            s.roles.compensationOf.insert(name, by == Nothing ? QString() : by);
    }
    s.recordTable = m_table->text().trimmed();
    s.recordKeyAttribute = m_keyAttribute->text().trimmed();
    s.recordKeyPath = m_keyPath->text().trimmed();
    return s;
}

} // namespace Bramble::Ui
