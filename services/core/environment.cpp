#include "core/environment.h"

#include <QDir>

namespace Bramble::Core {

Environment::Environment(QProcessEnvironment vars, QString home)
    : m_vars(std::move(vars))
    , m_home(std::move(home))
{
}

Environment Environment::fromSystem()
{
    return Environment(QProcessEnvironment::systemEnvironment(), QDir::homePath());
}

QString Environment::expandHome(const QString &path) const
{
    if (path == u'~')
        return m_home;
    if (path.startsWith(QStringLiteral("~/")))
        return m_home + path.mid(1);
    return path;
}

} // namespace Bramble::Core
