// parseIni and AwsConfigLoader: the INI dialect, which sections are
// profiles, where the files are, which profile and region are in force, and
// errors that name the file and line. botocoreCompat runs the machine's
// botocore (the AWS CLI v1's library) on the same files and compares; it is
// skipped when python3 cannot import botocore. Every test has its own
// temporary home; the real ~/.aws is never read.

#include "aws/awsconfig.h"
#include "aws/inifile.h"
#include "core/environment.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <utility>

using namespace Bramble;
using Aws::AwsConfigLoader;
using Aws::AwsConfigLoadResult;
using Aws::AwsSharedConfig;

namespace {

using Files = QMap<QString, QByteArray>; // path relative to the home -> contents
using Vars = QMap<QString, QString>; // environment; "@HOME@" becomes the home

// A temporary home holding one row's files.
class Home {
public:
    bool isValid() const { return m_dir.isValid(); }

    QString path(const QString &relative = {}) const
    {
        return relative.isEmpty() ? m_dir.path() : QDir::cleanPath(m_dir.filePath(relative));
    }

    bool write(const Files &files) const
    {
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            const QString file = path(it.key());
            QDir().mkpath(QFileInfo(file).absolutePath());
            QFile f(file);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(it.value()) != it.value().size())
                return false;
        }
        return true;
    }

    Vars resolve(Vars vars) const
    {
        for (QString &v : vars)
            v.replace(QStringLiteral("@HOME@"), path());
        return vars;
    }

    Core::Environment env(const Vars &vars = {}) const
    {
        QProcessEnvironment e;
        const Vars resolved = resolve(vars);
        for (auto it = resolved.cbegin(); it != resolved.cend(); ++it)
            e.insert(it.key(), it.value());
        return Core::Environment(e, path());
    }

private:
    QTemporaryDir m_dir;
};

QString joinErrors(const Core::Errors &errors)
{
    QStringList lines;
    for (const Core::Error &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

QString visible(QString s)
{
    return s.replace(u'\n', QStringLiteral("\\n"));
}

// "[section] key = value" for every value, in file order of sections.
QStringList describe(const Aws::IniFile &ini)
{
    QStringList out;
    for (const Aws::IniSection &s : ini.sections) {
        out << u'[' + s.name + u']';
        for (auto it = s.values.cbegin(); it != s.values.cend(); ++it)
            out << QStringLiteral("  %1 = %2").arg(it.key(), visible(it.value()));
    }
    return out;
}

// "name region=... from=<file> files=<files> keys" for every profile, in order.
QStringList describe(const AwsSharedConfig &c)
{
    QStringList out;
    for (const Aws::AwsProfile &p : c.profiles) {
        QStringList files;
        for (const QString &f : p.files)
            files << QFileInfo(f).fileName();
        out << QStringLiteral("%1 region=%2 from=%3 files=%4%5")
                   .arg(p.name, p.region, QFileInfo(p.sourceFile).fileName(), files.join(u','),
                       p.hasStaticCredentials ? QStringLiteral(" keys") : QString());
    }
    return out;
}

// A profile's settings as "key = value" lines; a key with nested settings
// ("s3 =\n  k = v") reads "s3 = {nested}" plus "s3.k = v".
QStringList settingsLines(const QMap<QString, QString> &settings)
{
    QStringList out;
    for (auto it = settings.cbegin(); it != settings.cend(); ++it) {
        const QString prefix = it.key() + u'.';
        const bool parent = std::any_of(
            settings.keyBegin(), settings.keyEnd(), [&](const QString &k) { return k.startsWith(prefix); });
        out << it.key() + QStringLiteral(" = ") + (parent ? QStringLiteral("{nested}") : visible(it.value()));
    }
    out.sort();
    return out;
}

QStringList settingsLines(const QJsonObject &settings)
{
    QStringList out;
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        if (it->isObject()) {
            out << it.key() + QStringLiteral(" = {nested}");
            const QJsonObject nested = it->toObject();
            for (auto sub = nested.begin(); sub != nested.end(); ++sub)
                out << it.key() + u'.' + sub.key() + QStringLiteral(" = ") + visible(sub->toString());
        } else {
            out << it.key() + QStringLiteral(" = ") + visible(it->toString());
        }
    }
    out.sort();
    return out;
}

// ------------------------------------------------ botocore

// For each scenario: clear AWS_*, set its environment, and report what a
// fresh botocore Session sees. Exit code 3: botocore is not importable.
const char kBotocoreScript[]
    = "import json, os, sys\n"
      "try:\n"
      "    import botocore.configloader, botocore.exceptions, botocore.session\n"
      "except ImportError as e:\n"
      "    print(e, file=sys.stderr)\n"
      "    sys.exit(3)\n"
      "out = {}\n"
      "for s in json.load(sys.stdin):\n"
      "    for k in [k for k in os.environ if k.startswith('AWS_')]:\n"
      "        del os.environ[k]\n"
      "    os.environ.update(s['env'])\n"
      "    r = {}\n"
      "    try:\n"
      "        session = botocore.session.Session(profile=s['cliProfile'] or None)\n"
      "        r['available'] = session.available_profiles\n"
      "        r['profiles'] = session.full_config['profiles']\n"
      "        try:\n"
      "            config = botocore.configloader.load_config(session.get_config_variable('config_file'))\n"
      "            r['configProfiles'] = config['profiles']\n"
      "        except botocore.exceptions.ConfigNotFound:\n"
      "            r['configProfiles'] = {}\n"
      "        r['profile'] = session.get_config_variable('profile') or 'default'\n"
      "        try:\n"
      "            r['region'] = session.get_config_variable('region') or ''\n"
      "        except botocore.exceptions.ProfileNotFound:\n"
      "            r['region'] = ''\n"
      "    except botocore.exceptions.BotoCoreError as e:\n"
      "        r['error'] = str(e)\n"
      "    out[s['tag']] = r\n"
      "json.dump(out, sys.stdout)\n";

struct BotocoreScenario {
    Home home;
    bool written = false;
    Vars env; // resolved: "@HOME@" replaced, HOME set
    QString cliProfile;
    QJsonObject answer; // empty until botocore has run
};
using BotocoreScenarioPtr = std::shared_ptr<BotocoreScenario>;

// The _data function adds every row; the first row to need an answer runs
// one python for all of them (importing botocore takes most of a second).
class Botocore {
public:
    BotocoreScenarioPtr add(const Files &files, const Vars &env, const QString &cliProfile)
    {
        auto s = std::make_shared<BotocoreScenario>();
        s->written = s->home.isValid() && s->home.write(files);
        s->env = s->home.resolve(env);
        s->env.insert(QStringLiteral("HOME"), s->home.path());
        s->cliProfile = cliProfile;
        m_pending.append(s);
        return s;
    }

    // Empty when botocore answered; else why not. *missing: python3 or
    // botocore is not installed, which skips rather than fails.
    QString run(bool *missing)
    {
        if (!m_pending.isEmpty())
            m_problem = runPending(std::exchange(m_pending, {}));
        *missing = m_missing;
        return m_problem;
    }

private:
    QString runPending(const QList<BotocoreScenarioPtr> &batch)
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty()) {
            m_missing = true;
            return QStringLiteral("python3 is not on PATH");
        }
        QJsonArray input;
        for (qsizetype i = 0; i < batch.size(); ++i) {
            QJsonObject env;
            for (auto it = batch[i]->env.cbegin(); it != batch[i]->env.cend(); ++it)
                env.insert(it.key(), it.value());
            input.append(QJsonObject { { QStringLiteral("tag"), QString::number(i) }, { QStringLiteral("env"), env },
                { QStringLiteral("cliProfile"), batch[i]->cliProfile } });
        }
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QStringList names = env.keys();
        for (const QString &name : names)
            if (name.startsWith(QStringLiteral("AWS_")))
                env.remove(name);
        process.setProcessEnvironment(env);
        process.start(python, { QStringLiteral("-c"), QString::fromLatin1(kBotocoreScript) });
        process.write(QJsonDocument(input).toJson(QJsonDocument::Compact));
        process.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000))
            return QStringLiteral("python3 did not finish");
        const QByteArray err = process.readAllStandardError();
        if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 3) {
            m_missing = true;
            return QStringLiteral("python3 cannot import botocore: ") + QString::fromUtf8(err.trimmed());
        }
        const QJsonObject answers = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 || answers.size() != batch.size())
            return QStringLiteral("botocore script failed: ") + process.errorString() + u'\n' + QString::fromUtf8(err);
        for (qsizetype i = 0; i < batch.size(); ++i)
            batch[i]->answer = answers.value(QString::number(i)).toObject();
        return {};
    }

    QList<BotocoreScenarioPtr> m_pending;
    QString m_problem;
    bool m_missing = false;
};

} // namespace

class tst_AwsConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The INI dialect
    void iniSyntax_data();
    void iniSyntax();
    void iniErrors_data();
    void iniErrors();

    // Profiles from the two files
    void profiles_data();
    void profiles();
    void profileSettings();
    void filePaths_data();
    void filePaths();

    // Input we do not trust
    void unreadableFiles_data();
    void unreadableFiles();
    void manyProfiles();
    void iniErrorsAreOneLine();

    // What is in force
    void selectedProfile_data();
    void selectedProfile();
    void selectedRegion_data();
    void selectedRegion();

    // Against the real thing
    void botocoreCompat_data();
    void botocoreCompat();

private:
    Botocore m_botocore;
};

// ------------------------------------------------ INI dialect

void tst_AwsConfig::iniSyntax_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty file") << QByteArray() << QStringList();
    QTest::newRow("only comments") << QByteArray("# one\n; two\n\n") << QStringList();
    QTest::newRow("= and : separators, the first one splits")
        << QByteArray("[s]\na = 1\nb: 2\nc=3\nd : e = f\ng = h: i\n")
        << QStringList { QStringLiteral("[s]"), QStringLiteral("  a = 1"), QStringLiteral("  b = 2"),
               QStringLiteral("  c = 3"), QStringLiteral("  d = e = f"), QStringLiteral("  g = h: i") };
    QTest::newRow("keys lower-cased, values and section names kept")
        << QByteArray("[Profile Dev]\nRegion = EU-West-1\n")
        << QStringList { QStringLiteral("[Profile Dev]"), QStringLiteral("  region = EU-West-1") };
    QTest::newRow("full-line comments only")
        << QByteArray("# c\n; c\n[s]\n  # indented comment\na = 1 # not a comment\nb = x ; nor this\n")
        << QStringList { QStringLiteral("[s]"), QStringLiteral("  a = 1 # not a comment"),
               QStringLiteral("  b = x ; nor this") };
    QTest::newRow("continuation lines keep blank lines inside")
        << QByteArray("[s]\na = one\n  two\n\n  three\n\nb = 2\n")
        << QStringList { QStringLiteral("[s]"), QStringLiteral("  a = one\\ntwo\\n\\nthree"),
               QStringLiteral("  b = 2") };
    QTest::newRow("nested settings") << QByteArray(
        "[s]\ns3 =\n  max_concurrent_requests = 10\n  # comment\n\n  Addressing_Style = path\nregion = x\n")
                                     << QStringList { QStringLiteral("[s]"), QStringLiteral("  region = x"),
                                            QStringLiteral(
                                                "  s3 = max_concurrent_requests = 10\\n\\nAddressing_Style = path"),
                                            QStringLiteral("  s3.Addressing_Style = path"),
                                            QStringLiteral("  s3.max_concurrent_requests = 10") };
    QTest::newRow("empty value") << QByteArray("[s]\na =\nb = 2\n")
                                 << QStringList { QStringLiteral("[s]"), QStringLiteral("  a = "),
                                        QStringLiteral("  b = 2") };
    QTest::newRow("CRLF line endings") << QByteArray("[s]\r\na = 1\r\n  more\r\n")
                                       << QStringList { QStringLiteral("[s]"), QStringLiteral("  a = 1\\nmore") };
    QTest::newRow("section name as written between the brackets")
        << QByteArray("[ spaced ]\n[profile x] trailing\n[a]b]\n")
        << QStringList { QStringLiteral("[ spaced ]"), QStringLiteral("[profile x]"), QStringLiteral("[a]b]") };
    QTest::newRow("indented key after a section is a key")
        << QByteArray("[s]\n  a = 1\n  b = 2\n")
        << QStringList { QStringLiteral("[s]"), QStringLiteral("  a = 1"), QStringLiteral("  b = 2") };
    // RawConfigParser: [DEFAULT] (only that spelling) fills in every section,
    // may come anywhere and more than once, and is not a section itself.
    QTest::newRow("[DEFAULT] supplies fallbacks")
        << QByteArray("[DEFAULT]\nregion = dflt\ns3 =\n  a = 1\n[one]\nregion = own\n[two]\ns3 =\n  b = 2\n"
                      "[DEFAULT]\noutput = text\n[default]\n")
        << QStringList { QStringLiteral("[one]"), QStringLiteral("  output = text"), QStringLiteral("  region = own"),
               QStringLiteral("  s3 = a = 1"), QStringLiteral("  s3.a = 1"), QStringLiteral("[two]"),
               QStringLiteral("  output = text"), QStringLiteral("  region = dflt"), QStringLiteral("  s3 = b = 2"),
               QStringLiteral("  s3.b = 2"), QStringLiteral("[default]"), QStringLiteral("  output = text"),
               QStringLiteral("  region = dflt"), QStringLiteral("  s3 = a = 1"), QStringLiteral("  s3.a = 1") };
}

void tst_AwsConfig::iniSyntax()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, expected);

    const Aws::IniFile ini = Aws::parseIni(text, QStringLiteral("/x/config"));
    QVERIFY2(ini.ok(), qPrintable(joinErrors(ini.errors)));
    QCOMPARE(ini.path, QStringLiteral("/x/config"));
    QCOMPARE(describe(ini), expected);
}

void tst_AwsConfig::iniErrors_data()
{
    QTest::addColumn<QString>("file"); // which of the two files is broken
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");

    const QString config = QStringLiteral("config");
    const QString credentials = QStringLiteral("credentials");
    QTest::newRow("line without a separator")
        << config << QByteArray("[default]\nregion = x\njunk\n") << 3 << QStringLiteral("expected \"key = value\"");
    QTest::newRow("key before any section")
        << credentials << QByteArray("\n# hi\naws_access_key_id = A\n[x]\n") << 3 << QStringLiteral("[section] header");
    QTest::newRow("duplicate section") << config << QByteArray("[default]\n[profile a]\n[default]\n") << 3
                                       << QStringLiteral("appears twice");
    QTest::newRow("duplicate key, other case")
        << credentials << QByteArray("[a]\nkey = 1\nKEY = 2\n") << 3 << QStringLiteral("appears twice");
    QTest::newRow("nested line without =")
        << config << QByteArray("[default]\ns3 =\n  max = 1\n  junk\n") << 4 << QStringLiteral("nested settings");
    QTest::newRow("empty section header")
        << config << QByteArray("[]\nregion = x\n") << 1 << QStringLiteral("malformed section header");
    QTest::newRow("empty key") << credentials << QByteArray("[a]\n= 1\n") << 2
                               << QStringLiteral("expected \"key = value\"");
    QTest::newRow("key without value in credentials") << credentials << QByteArray("[default]\naws_access_key_id\n")
                                                      << 2 << QStringLiteral("expected \"key = value\"");
}

void tst_AwsConfig::iniErrors()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);

    Home home;
    QVERIFY(home.isValid());
    QVERIFY(home.write({ { QStringLiteral("config"), "[profile fine]\nregion = x\n" },
        { QStringLiteral("credentials"), "[fine]\naws_access_key_id = A\n" } }));
    QVERIFY(home.write({ { file, text } }));
    const AwsConfigLoadResult r
        = AwsConfigLoader::fromFiles(home.path(QStringLiteral("config")), home.path(QStringLiteral("credentials")));
    QVERIFY(!r.ok());
    const Core::Error &e = r.errors.first(); // later lines may add more
    QCOMPARE(e.where.file, home.path(file));
    QCOMPARE(e.where.line, line);
    QVERIFY2(e.message.contains(message), qPrintable(e.message));
    QVERIFY2(e.toString().startsWith(home.path(file) + u':' + QString::number(line) + u':'), qPrintable(e.toString()));
}

// ------------------------------------------------ profiles

void tst_AwsConfig::profiles_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QStringList>("expected"); // describe(): name region=... from=... files=... [keys]

    QTest::newRow("[default] and [profile x] in config")
        << QByteArray("[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-1\n") << QByteArray()
        << QStringList { QStringLiteral("default region=eu-west-1 from=config files=config"),
               QStringLiteral("dev region=us-east-1 from=config files=config") };
    QTest::newRow("[x] in config is not a profile")
        << QByteArray("[dev]\nregion = x\n[profiledev]\nregion = y\n[profile]\nregion = z\n") << QByteArray()
        << QStringList();
    QTest::newRow("[x] in credentials is a profile, merged with config")
        << QByteArray("[profile dev]\nregion = us-east-1\n")
        << QByteArray("[dev]\naws_access_key_id = A\naws_secret_access_key = B\n")
        << QStringList { QStringLiteral("dev region=us-east-1 from=config files=config,credentials keys") };
    QTest::newRow("profiles only in credentials, after config ones")
        << QByteArray("[profile b]\n")
        << QByteArray("[c]\naws_access_key_id = A\n[profile x]\n[b]\n[a]\nregion = ap-south-1\n")
        << QStringList { QStringLiteral("b region= from=config files=config,credentials"),
               QStringLiteral("c region= from=credentials files=credentials keys"),
               QStringLiteral("profile x region= from=credentials files=credentials"),
               QStringLiteral("a region=ap-south-1 from=credentials files=credentials") };
    // botocore splits the section name with shlex: exactly two words.
    QTest::newRow("quoted profile names")
        << QByteArray("[profile \"my name\"]\n[profile 'single quoted']\n[profile   spaced  ]\n"
                      "[profile a b]\n[profile \"unclosed]\n[profile \"a\"\"b\"]\n")
        << QByteArray()
        << QStringList { QStringLiteral("my name region= from=config files=config"),
               QStringLiteral("single quoted region= from=config files=config"),
               QStringLiteral("spaced region= from=config files=config"),
               QStringLiteral("ab region= from=config files=config") };
    // The later section replaces the earlier one whole, in the earlier one's place.
    QTest::newRow("[default] then [profile default]")
        << QByteArray("[default]\nregion = a\noutput = json\n[profile x]\n[profile default]\nregion = b\n")
        << QByteArray()
        << QStringList { QStringLiteral("default region=b from=config files=config"),
               QStringLiteral("x region= from=config files=config") };
    QTest::newRow("[profile default] then [default]")
        << QByteArray("[profile default]\nregion = b\n[default]\nregion = a\n") << QByteArray()
        << QStringList { QStringLiteral("default region=a from=config files=config") };
    QTest::newRow("sso-session and services sections are not profiles")
        << QByteArray("[sso-session corp]\nsso_region = eu-west-1\n[services local]\ns3 =\n  endpoint_url = http://x\n"
                      "[profile sso]\nsso_session = corp\nservices = local\n")
        << QByteArray() << QStringList { QStringLiteral("sso region= from=config files=config") };
    // botocore merges the credentials file over the config file's profile.
    QTest::newRow("region in the credentials file wins")
        << QByteArray("[default]\nregion = from-config\n[profile keep]\nregion = kept\n")
        << QByteArray("[default]\nregion = from-credentials\n[keep]\naws_access_key_id = A\n")
        << QStringList { QStringLiteral("default region=from-credentials from=config files=config,credentials"),
               QStringLiteral("keep region=kept from=config files=config,credentials keys") };
    QTest::newRow("keys in the config file count")
        << QByteArray("[profile k]\naws_access_key_id = A\n") << QByteArray()
        << QStringList { QStringLiteral("k region= from=config files=config keys") };
}

void tst_AwsConfig::profiles()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, credentials);
    QFETCH(QStringList, expected);

    Home home;
    QVERIFY(home.isValid());
    QVERIFY(home.write({ { QStringLiteral("config"), config }, { QStringLiteral("credentials"), credentials } }));
    const AwsConfigLoadResult r
        = AwsConfigLoader::fromFiles(home.path(QStringLiteral("config")), home.path(QStringLiteral("credentials")));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(describe(r.config), expected);
    for (const Aws::AwsProfile &p : r.config.profiles)
        QCOMPARE(r.config.profile(p.name), &p);
    QVERIFY(!r.config.profile(QStringLiteral("nope")));
}

void tst_AwsConfig::profileSettings()
{
    Home home;
    QVERIFY(home.isValid());
    QVERIFY(home.write({ { QStringLiteral("config"),
                             "[profile admin]\n"
                             "role_arn = arn:aws:iam::123456789012:role/Admin\n"
                             "source_profile = default\n"
                             "Output = json\n"
                             "s3 =\n"
                             "  max_concurrent_requests = 10\n"
                             "  addressing_style = path\n" },
        { QStringLiteral("credentials"), "[admin]\naws_secret_access_key = never-in-settings\n" } }));
    const AwsConfigLoadResult r
        = AwsConfigLoader::fromFiles(home.path(QStringLiteral("config")), home.path(QStringLiteral("credentials")));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    const Aws::AwsProfile *p = r.config.profile(QStringLiteral("admin"));
    QVERIFY(p);
    QCOMPARE(settingsLines(p->settings),
        (QStringList { QStringLiteral("output = json"),
            QStringLiteral("role_arn = arn:aws:iam::123456789012:role/Admin"), QStringLiteral("s3 = {nested}"),
            QStringLiteral("s3.addressing_style = path"), QStringLiteral("s3.max_concurrent_requests = 10"),
            QStringLiteral("source_profile = default") }));
    QCOMPARE(p->origin.file, home.path(QStringLiteral("config")));
    QCOMPARE(p->origin.line, 1);
    QCOMPARE(p->origin.key, QStringLiteral("profile admin"));
    QCOMPARE(
        r.config.config.section(QStringLiteral("profile admin"))->lines.value(QStringLiteral("s3.addressing_style")),
        7);
}

void tst_AwsConfig::filePaths_data()
{
    QTest::addColumn<Vars>("vars");
    QTest::addColumn<QString>("configFile"); // home-relative; empty: none is read
    QTest::addColumn<QString>("credentialsFile"); // home-relative
    QTest::addColumn<QStringList>("profiles");

    const QString config = QStringLiteral(".aws/config");
    const QString credentials = QStringLiteral(".aws/credentials");
    QTest::newRow("defaults under the home")
        << Vars {} << config << credentials
        << QStringList { QStringLiteral("home-config"), QStringLiteral("home-creds") };
    QTest::newRow("absolute overrides") << Vars { { QStringLiteral("AWS_CONFIG_FILE"),
                                                      QStringLiteral("@HOME@/custom/config") },
        { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("@HOME@/custom/creds") } }
                                        << QStringLiteral("custom/config") << QStringLiteral("custom/creds")
                                        << QStringList { QStringLiteral("custom-config"),
                                               QStringLiteral("custom-creds") };
    QTest::newRow("~ expanded") << Vars { { QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("~/custom/config") } }
                                << QStringLiteral("custom/config") << credentials
                                << QStringList { QStringLiteral("custom-config"), QStringLiteral("home-creds") };
    // botocore runs os.path.expandvars on both paths; an unset variable stays.
    QTest::newRow("$VAR and ${VAR} expanded")
        << Vars { { QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("$HOME/custom/config") },
               { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("${DIR}/creds") },
               { QStringLiteral("DIR"), QStringLiteral("@HOME@/custom") },
               { QStringLiteral("HOME"), QStringLiteral("@HOME@") } }
        << QStringLiteral("custom/config") << QStringLiteral("custom/creds")
        << QStringList { QStringLiteral("custom-config"), QStringLiteral("custom-creds") };
    QTest::newRow("unset $VAR kept") << Vars { { QStringLiteral("AWS_CONFIG_FILE"),
        QStringLiteral("@HOME@/$NOPE/config") } }
                                     << QStringLiteral("$NOPE/config") << credentials
                                     << QStringList { QStringLiteral("home-creds") };
    // Set but empty: botocore reads no file at all rather than the default.
    QTest::newRow("empty variables read nothing") << Vars { { QStringLiteral("AWS_CONFIG_FILE"), QString() },
        { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QString() } }
                                                  << QString() << QString() << QStringList();
    QTest::newRow("missing files are not errors")
        << Vars { { QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("@HOME@/nope/config") },
               { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("~/nope/creds") } }
        << QStringLiteral("nope/config") << QStringLiteral("nope/creds") << QStringList();
}

void tst_AwsConfig::filePaths()
{
    QFETCH(Vars, vars);
    QFETCH(QString, configFile);
    QFETCH(QString, credentialsFile);
    QFETCH(QStringList, profiles);

    Home home;
    QVERIFY(home.isValid());
    QVERIFY(home.write({ { QStringLiteral(".aws/config"), "[profile home-config]\n" },
        { QStringLiteral(".aws/credentials"), "[home-creds]\n" },
        { QStringLiteral("custom/config"), "[profile custom-config]\n" },
        { QStringLiteral("custom/creds"), "[custom-creds]\n" } }));
    const AwsConfigLoadResult r = AwsConfigLoader::load(home.env(vars));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.configFile, configFile.isEmpty() ? QString() : home.path(configFile));
    QCOMPARE(r.config.credentialsFile, credentialsFile.isEmpty() ? QString() : home.path(credentialsFile));
    QStringList names;
    for (const Aws::AwsProfile &p : r.config.profiles)
        names << p.name;
    QCOMPARE(names, profiles);
}

// ------------------------------------------------ input we do not trust

// A device, a FIFO or a directory named as a shared file is refused at once
// (a FIFO is never opened: that would block), with one error naming it.
void tst_AwsConfig::unreadableFiles_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("kind"); // "device", "fifo", "directory"
    QTest::addColumn<QString>("says");
    QTest::newRow("config /dev/zero") << QStringLiteral("AWS_CONFIG_FILE") << QStringLiteral("device")
                                      << QStringLiteral("AWS config file: is a device");
    QTest::newRow("credentials /dev/zero") << QStringLiteral("AWS_SHARED_CREDENTIALS_FILE") << QStringLiteral("device")
                                           << QStringLiteral("AWS credentials file: is a device");
    QTest::newRow("config fifo") << QStringLiteral("AWS_CONFIG_FILE") << QStringLiteral("fifo")
                                 << QStringLiteral("AWS config file: is a FIFO");
    QTest::newRow("config directory") << QStringLiteral("AWS_CONFIG_FILE") << QStringLiteral("directory")
                                      << QStringLiteral("AWS config file: is a directory");
}

void tst_AwsConfig::unreadableFiles()
{
    QFETCH(QString, variable);
    QFETCH(QString, kind);
    QFETCH(QString, says);
    Home home;
    QVERIFY(home.isValid());
    QString file = QStringLiteral("/dev/zero");
    if (kind == u"fifo") {
        file = home.path(QStringLiteral("fifo"));
        QCOMPARE(QProcess::execute(QStringLiteral("mkfifo"), { file }), 0);
    } else if (kind == u"directory") {
        file = home.path(QStringLiteral("dir"));
        QVERIFY(QDir().mkpath(file));
    }
    const AwsConfigLoadResult r = AwsConfigLoader::load(home.env({ { variable, file } }));
    QCOMPARE(r.errors.size(), 1);
    const QString line = r.errors.first().toString();
    QCOMPARE(r.errors.first().where.file, file);
    QVERIFY2(line.startsWith(file + QStringLiteral(": ")), qPrintable(line));
    QVERIFY2(line.contains(says), qPrintable(line));
    QVERIFY(!line.contains(u'\n'));
}

// 100,000 profiles in the config file and 1,000 of them again in the
// credentials file: every one found, merged, in file order. (Loading them
// was quadratic; tests/benchmarks/bench_awsprofiles.py keeps the time.)
void tst_AwsConfig::manyProfiles()
{
    constexpr int Profiles = 100000;
    Home home;
    QVERIFY(home.isValid());
    QByteArray config = "[default]\nregion = eu-west-1\n";
    config.reserve(Profiles * 40);
    for (int i = 0; i < Profiles; ++i)
        config += "[profile p" + QByteArray::number(i) + "]\nregion = r" + QByteArray::number(i % 7) + "\n";
    QByteArray credentials;
    for (int i = 0; i < Profiles; i += 100)
        credentials += "[p" + QByteArray::number(i) + "]\naws_access_key_id = AKID\naws_secret_access_key = s\n";
    credentials += "[only-creds]\naws_access_key_id = AKID\naws_secret_access_key = s\n";
    QVERIFY(
        home.write({ { QStringLiteral(".aws/config"), config }, { QStringLiteral(".aws/credentials"), credentials } }));

    const AwsConfigLoadResult r = AwsConfigLoader::load(home.env());
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.profiles.size(), Profiles + 2);
    QCOMPARE(r.config.profiles.first().name, QStringLiteral("default"));
    QCOMPARE(r.config.profiles.last().name, QStringLiteral("only-creds"));
    for (int i = 0; i < Profiles; ++i) {
        const QString name = QStringLiteral("p%1").arg(i);
        const Aws::AwsProfile &p = r.config.profiles.at(i + 1);
        QCOMPARE(p.name, name);
        QCOMPARE(r.config.profile(name), &p);
        QCOMPARE(p.region, QStringLiteral("r%1").arg(i % 7));
        QCOMPARE(p.hasStaticCredentials, i % 100 == 0);
        QCOMPARE(p.files.size(), i % 100 == 0 ? 2 : 1);
    }
    QVERIFY(!r.config.profile(QStringLiteral("p%1").arg(Profiles)));
    QCOMPARE(r.config.config.section(QStringLiteral("profile p99999"))->line, 2 * Profiles + 1);
    QCOMPARE(AwsConfigLoader::selectedRegion(home.env(), r.config, QStringLiteral("p12345")), QStringLiteral("r4"));

    // A duplicate among them is still found, naming its line.
    config += "[profile p5]\n";
    QVERIFY(home.write({ { QStringLiteral(".aws/config"), config } }));
    const AwsConfigLoadResult dup = AwsConfigLoader::load(home.env());
    QCOMPARE(dup.errors.size(), 1);
    QCOMPARE(dup.errors.first().where.line, 2 * Profiles + 3);
    QVERIFY2(dup.errors.first().message.contains(QStringLiteral("[profile p5] appears twice")),
        qPrintable(dup.errors.first().message));
}

// Values from the file reach the message escaped and bounded: one line.
void tst_AwsConfig::iniErrorsAreOneLine()
{
    const QByteArray longName(5000, 'x');
    const Aws::IniFile ini = Aws::parseIni(
        "[a]\nk = 1\n[a]\n[\x1b[31mred\tb]\nnot a setting\n[" + longName + "]\nk = 1\nk\x01 = 2\nk\x01 = 3\n",
        QStringLiteral("/tmp/con\nfig"));
    QVERIFY(ini.errors.size() >= 3);
    for (const Core::Error &e : ini.errors) {
        const QString line = e.toString();
        QVERIFY2(!line.contains(u'\n') && !line.contains(u'\x1b') && !line.contains(u'\t') && !line.contains(u'\x01'),
            qPrintable(line));
        QVERIFY2(line.size() < 1500, qPrintable(QString::number(line.size())));
        QVERIFY2(line.startsWith(QStringLiteral("/tmp/con\\nfig:")), qPrintable(line));
    }
}

// ------------------------------------------------ selection

void tst_AwsConfig::selectedProfile_data()
{
    QTest::addColumn<Vars>("vars");
    QTest::addColumn<QString>("cliProfile");
    QTest::addColumn<QString>("expected");

    const QString def = QStringLiteral("AWS_DEFAULT_PROFILE");
    const QString prof = QStringLiteral("AWS_PROFILE");
    QTest::newRow("nothing set") << Vars {} << QString() << QStringLiteral("default");
    QTest::newRow("AWS_PROFILE") << Vars { { prof, QStringLiteral("p") } } << QString() << QStringLiteral("p");
    QTest::newRow("AWS_DEFAULT_PROFILE") << Vars { { def, QStringLiteral("d") } } << QString() << QStringLiteral("d");
    // botocore: 'profile': (None, ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE'], ...)
    QTest::newRow("AWS_DEFAULT_PROFILE before AWS_PROFILE")
        << Vars { { def, QStringLiteral("d") }, { prof, QStringLiteral("p") } } << QString() << QStringLiteral("d");
    QTest::newRow("--profile wins") << Vars { { def, QStringLiteral("d") }, { prof, QStringLiteral("p") } }
                                    << QStringLiteral("cli") << QStringLiteral("cli");
    QTest::newRow("empty variable skipped")
        << Vars { { def, QString() }, { prof, QStringLiteral("p") } } << QString() << QStringLiteral("p");
}

void tst_AwsConfig::selectedProfile()
{
    QFETCH(Vars, vars);
    QFETCH(QString, cliProfile);
    QFETCH(QString, expected);

    const Home home;
    QCOMPARE(AwsConfigLoader::selectedProfile(home.env(vars), cliProfile), expected);
}

void tst_AwsConfig::selectedRegion_data()
{
    QTest::addColumn<Vars>("vars");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("cliRegion");
    QTest::addColumn<QString>("expected");

    const QString region = QStringLiteral("AWS_REGION");
    const QString defaultRegion = QStringLiteral("AWS_DEFAULT_REGION");
    const QString dflt = QStringLiteral("default");
    QTest::newRow("profile's region") << Vars {} << dflt << QString() << QStringLiteral("eu-west-1");
    QTest::newRow("other profile") << Vars {} << QStringLiteral("dev") << QString() << QStringLiteral("us-east-1");
    QTest::newRow("region from the credentials file")
        << Vars {} << QStringLiteral("creds") << QString() << QStringLiteral("ap-south-1");
    QTest::newRow("profile without a region") << Vars {} << QStringLiteral("bare") << QString() << QString();
    QTest::newRow("unknown profile") << Vars {} << QStringLiteral("nope") << QString() << QString();
    QTest::newRow("AWS_DEFAULT_REGION over the profile") << Vars { { defaultRegion, QStringLiteral("env-default") } }
                                                         << dflt << QString() << QStringLiteral("env-default");
    // AWS_REGION is what the SDKs and the AWS CLI v2 read first; botocore
    // 1.x (CLI v1) reads only AWS_DEFAULT_REGION, so botocoreCompat leaves it out.
    QTest::newRow("AWS_REGION before AWS_DEFAULT_REGION")
        << Vars { { region, QStringLiteral("env") }, { defaultRegion, QStringLiteral("env-default") } } << dflt
        << QString() << QStringLiteral("env");
    QTest::newRow("--region wins") << Vars { { region, QStringLiteral("env") } } << dflt << QStringLiteral("cli")
                                   << QStringLiteral("cli");
    QTest::newRow("empty variables skipped") << Vars { { region, QString() }, { defaultRegion, QString() } } << dflt
                                             << QString() << QStringLiteral("eu-west-1");
}

void tst_AwsConfig::selectedRegion()
{
    QFETCH(Vars, vars);
    QFETCH(QString, profile);
    QFETCH(QString, cliRegion);
    QFETCH(QString, expected);

    Home home;
    QVERIFY(home.isValid());
    QVERIFY(home.write({ { QStringLiteral("config"),
                             "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-1\n"
                             "[profile bare]\noutput = json\n" },
        { QStringLiteral("credentials"), "[creds]\nregion = ap-south-1\n" } }));
    const AwsConfigLoadResult r
        = AwsConfigLoader::fromFiles(home.path(QStringLiteral("config")), home.path(QStringLiteral("credentials")));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(AwsConfigLoader::selectedRegion(home.env(vars), r.config, profile, cliRegion), expected);
}

// ------------------------------------------------ botocore

void tst_AwsConfig::botocoreCompat_data()
{
    QTest::addColumn<BotocoreScenarioPtr>("scenario");
    QTest::addColumn<QString>("broken"); // home-relative file both must reject; empty: both accept

    // Files at ~/.aws unless vars say otherwise.
    auto row = [this](const char *name, const QByteArray &config, const QByteArray &credentials, const Vars &vars = {},
                   const QString &cliProfile = {}, const QString &broken = {}) {
        QTest::newRow(name) << m_botocore.add(
            { { QStringLiteral(".aws/config"), config }, { QStringLiteral(".aws/credentials"), credentials } }, vars,
            cliProfile) << broken;
    };

    row("default and named profiles",
        "[default]\nregion = eu-west-1\noutput = json\n\n"
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n"
        "region = us-east-1\n",
        "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n");
    row("profiles only in credentials", QByteArray(),
        "[one]\naws_access_key_id = A\n[two]\nregion = eu-north-1\n[profile three]\n", {}, QStringLiteral("two"));
    row("[x] in config is not a profile", "[dev]\nregion = x\n[profiledev]\n[profile]\n[preview]\ncloudfront = true\n",
        "[dev]\n");
    row("quoted and spaced profile names",
        "[profile \"my name\"]\nregion = a\n[profile 'single quoted']\n[profile   spaced  ]\n[profile a b]\n"
        "[profile \"unclosed]\n[profile \"a\"\"b\"]\n",
        QByteArray(), {}, QStringLiteral("my name"));
    row("[default] then [profile default]",
        "[default]\nregion = a\noutput = json\n[profile x]\n[profile default]\nregion = b\n", QByteArray());
    row("[profile default] then [default]", "[profile default]\nregion = b\n[default]\nregion = a\n", QByteArray());
    row("nested settings",
        "[default]\ns3 =\n  max_concurrent_requests = 10\n  # a comment\n\n  Addressing_Style = path\n"
        "region = eu-west-1\n"
        "[profile api]\napigateway =\n  endpoint_url = http://localhost:4566\ns3 =\n",
        QByteArray());
    row("continuation lines and comments",
        "# comment\n; another\n[default]\n  # indented comment\nregion = eu-west-1 # not a comment\n"
        "note = first\n  second\n\n  third\n\noutput = text ; kept\n",
        "; creds\n[default]\naws_access_key_id = A\n");
    row("sso-session and services sections",
        "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"
        "[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nservices = local\n",
        QByteArray(), {}, QStringLiteral("sso"));
    row("region in the credentials file", "[default]\nregion = from-config\n[profile keep]\nregion = kept\n",
        "[default]\nregion = from-credentials\n[keep]\naws_access_key_id = A\n");
    row("keys and separators", "[default]\nRegion: eu-west-1\nOUTPUT=json\nendpoint_url = http://x?a=b\n",
        "[default]\r\naws_access_key_id = A\r\n");
    row("[DEFAULT] in both files",
        "[DEFAULT]\nregion = dflt\ns3 =\n  a = 1\n[default]\noutput = json\n[profile x]\ns3 =\n  b = 2\n"
        "[DEFAULT]\noutput = text\n",
        "[DEFAULT]\naws_access_key_id = D\n[creds]\n", {}, QStringLiteral("x"));
    row("section names are not trimmed", "[ default ]\nregion = a\n[profile x ]\nregion = b\n",
        "[ spaced ]\naws_access_key_id = A\n");
    row("files swapped through the variables, with ~", "[profile home]\n", "[home-creds]\n",
        { { QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("~/.aws/credentials") },
            { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("~/.aws/config") } });
    row("$HOME in AWS_CONFIG_FILE", "[profile home]\n", QByteArray(),
        { { QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("${HOME}/.aws/config") } });
    row("empty AWS_CONFIG_FILE", "[default]\nregion = x\n", "[default]\n",
        { { QStringLiteral("AWS_CONFIG_FILE"), QString() } });
    row("missing files", QByteArray(), QByteArray(),
        { { QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("@HOME@/nope/config") },
            { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("@HOME@/nope/credentials") } });
    row("AWS_DEFAULT_PROFILE before AWS_PROFILE", "[profile d]\nregion = d-region\n[profile p]\nregion = p-region\n",
        QByteArray(),
        { { QStringLiteral("AWS_DEFAULT_PROFILE"), QStringLiteral("d") },
            { QStringLiteral("AWS_PROFILE"), QStringLiteral("p") } });
    row("--profile over the environment", "[profile d]\nregion = d-region\n[profile cli]\nregion = cli-region\n",
        QByteArray(), { { QStringLiteral("AWS_DEFAULT_PROFILE"), QStringLiteral("d") } }, QStringLiteral("cli"));
    row("AWS_DEFAULT_REGION over the profile", "[default]\nregion = profile-region\n", QByteArray(),
        { { QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("env-region") } });
    row("selected profile does not exist", "[default]\nregion = x\n", QByteArray(),
        { { QStringLiteral("AWS_PROFILE"), QStringLiteral("nope") } });

    const QString config = QStringLiteral(".aws/config");
    const QString credentials = QStringLiteral(".aws/credentials");
    row("broken: line without a separator", "[default]\nregion = x\njunk\n", QByteArray(), {}, {}, config);
    row("broken: key before any section", QByteArray(), "aws_access_key_id = A\n[x]\n", {}, {}, credentials);
    row("broken: duplicate section", "[default]\n[profile a]\n[default]\n", QByteArray(), {}, {}, config);
    row("broken: duplicate key", QByteArray(), "[a]\nkey = 1\nKEY = 2\n", {}, {}, credentials);
    row("broken: nested line without =", "[default]\ns3 =\n  junk\n", QByteArray(), {}, {}, config);
}

void tst_AwsConfig::botocoreCompat()
{
    QFETCH(BotocoreScenarioPtr, scenario);
    QFETCH(QString, broken);
    QVERIFY(scenario->written);

    // A missing peer is a failure (installers/setup.sh installs botocore).
    bool missing = false;
    const QString problem = m_botocore.run(&missing);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QJsonObject &b = scenario->answer;

    const Core::Environment env = scenario->home.env(scenario->env);
    const AwsConfigLoadResult r = AwsConfigLoader::load(env);

    if (!broken.isEmpty()) {
        const QString path = scenario->home.path(broken);
        QVERIFY2(b.contains(QStringLiteral("error")), "botocore accepted the file");
        QVERIFY2(b.value(QStringLiteral("error")).toString().contains(path),
            qPrintable(b.value(QStringLiteral("error")).toString()));
        QVERIFY2(!r.ok(), "the loader accepted a file botocore rejects");
        const bool named = std::any_of(r.errors.cbegin(), r.errors.cend(),
            [&](const Core::Error &e) { return e.where.file == path && e.where.line > 0; });
        QVERIFY2(named, qPrintable(joinErrors(r.errors)));
        return;
    }
    QVERIFY2(!b.contains(QStringLiteral("error")), qPrintable(b.value(QStringLiteral("error")).toString()));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));

    // The same profiles in the same order (available_profiles).
    QStringList ours;
    for (const Aws::AwsProfile &p : r.config.profiles)
        ours << p.name;
    QStringList theirs;
    for (const QJsonValue &name : b.value(QStringLiteral("available")).toArray())
        theirs << name.toString();
    QCOMPARE(ours, theirs);

    // Each profile's config-file settings, and whether it has keys in either file.
    const QJsonObject configProfiles = b.value(QStringLiteral("configProfiles")).toObject();
    const QJsonObject profiles = b.value(QStringLiteral("profiles")).toObject();
    for (const Aws::AwsProfile &p : r.config.profiles) {
        const QStringList expected = settingsLines(configProfiles.value(p.name).toObject());
        QVERIFY2(settingsLines(p.settings) == expected,
            qPrintable(QStringLiteral("profile \"%1\": ours\n  %2\nbotocore\n  %3")
                           .arg(p.name, settingsLines(p.settings).join(QStringLiteral("\n  ")),
                               expected.join(QStringLiteral("\n  ")))));
        QCOMPARE(
            p.hasStaticCredentials, profiles.value(p.name).toObject().contains(QStringLiteral("aws_access_key_id")));
    }

    // What is in force.
    const QString profile = AwsConfigLoader::selectedProfile(env, scenario->cliProfile);
    QCOMPARE(profile, b.value(QStringLiteral("profile")).toString());
    QCOMPARE(AwsConfigLoader::selectedRegion(env, r.config, profile), b.value(QStringLiteral("region")).toString());
}

QTEST_GUILESS_MAIN(tst_AwsConfig)
#include "tst_awsconfig.moc"
