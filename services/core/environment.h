#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace Bramble::Core {

// A snapshot of what the process was started with: environment variables
// and the home directory. The composition root (app/) builds one from the
// real process; tests build their own, so no service reads getenv() directly.
class Environment {
public:
    Environment() = default;
    Environment(QProcessEnvironment vars, QString home);

    static Environment fromSystem();

    QString value(const QString &name) const { return m_vars.value(name); }
    bool contains(const QString &name) const { return m_vars.contains(name); }
    QString homeDir() const { return m_home; }
    const QProcessEnvironment &variables() const { return m_vars; }

    void insert(const QString &name, const QString &value) { m_vars.insert(name, value); }
    void remove(const QString &name) { m_vars.remove(name); }

    // Expands a leading "~/" to the home directory.
    QString expandHome(const QString &path) const;

private:
    QProcessEnvironment m_vars;
    QString m_home;
};

} // namespace Bramble::Core
