#pragma once

#include "aws/credentials.h"
#include "core/error.h"
#include "core/job.h"

#include <QPointer>

#include <memory>

class QObject;

namespace Bramble::Aws {

class CredentialsProvider;

struct CredentialsResult {
    AwsCredentials credentials;
    Core::Error error; // names the profile and the file when it can

    bool ok() const { return error.isNull() && credentials.isValid(); }
};

// One request for credentials, made by CredentialsProvider::fetch(): a
// Core::Job whose value() is the credentials. start() asks the provider;
// finished() comes once, later, also when the provider answered at once
// from its cache. error() names the profile and the file where it can.
// Deleting it, or cancel(), withdraws the request; a provider that is
// shared by many requesters keeps resolving for the others.
class CredentialsJob : public Core::ValueJob<AwsCredentials> {
    Q_OBJECT
public:
    ~CredentialsJob() override;

    // True when start() had the answer at once (cached credentials, or
    // credentials decided from the files and the environment alone): no
    // command ran and no request was sent for it.
    bool answeredAtStart() const { return m_answeredAtStart; }
    CredentialsResult result() const { return { value(), error() }; }

protected:
    void begin() override;
    void abort() override;

private:
    friend class CredentialsProvider;
    CredentialsJob(CredentialsProvider *provider, std::weak_ptr<bool> alive, QObject *parent);
    void answer(const CredentialsResult &result);
    void withdraw();

    CredentialsProvider *m_provider;
    std::weak_ptr<bool> m_providerAlive;
    bool m_inBegin = false;
    bool m_answeredAtStart = false;
    bool m_waiting = false; // asked the provider, no answer yet
};

// Where a client stack gets credentials from. Implementations cache and
// refresh; GUI thread only.
class CredentialsProvider {
public:
    CredentialsProvider();
    virtual ~CredentialsProvider();

    // A new request for credentials, not started, owned by `parent` (and
    // deleting itself after finished(), as every job). Start it with
    // start() or Cli::waitFor().
    CredentialsJob *fetch(QObject *parent = nullptr);

    // The service rejected the credentials (ExpiredToken...): the next fetch
    // must not serve them from the cache.
    virtual void invalidate() { }

protected:
    // `job` was started: answer it with answer(job, result), now or later,
    // exactly once, unless it is withdrawn first.
    virtual void request(CredentialsJob *job) = 0;
    // `job` was cancelled or deleted before its answer.
    virtual void withdraw(CredentialsJob *job) { Q_UNUSED(job); }
    static void answer(CredentialsJob *job, const CredentialsResult &result);

private:
    friend class CredentialsJob;
    std::shared_ptr<bool> m_alive; // jobs outliving the provider see it gone
};

// Fixed credentials: tests, and --profile with static keys resolved once.
class StaticCredentialsProvider : public CredentialsProvider {
public:
    explicit StaticCredentialsProvider(AwsCredentials credentials)
        : m_credentials(std::move(credentials))
    {
    }

protected:
    void request(CredentialsJob *job) override;

private:
    AwsCredentials m_credentials;
};

} // namespace Bramble::Aws
