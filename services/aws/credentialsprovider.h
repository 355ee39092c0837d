#pragma once

#include "aws/credentials.h"
#include "core/error.h"

#include <QPointer>

#include <functional>

class QObject;

namespace Bramble::Aws {

struct CredentialsResult {
    AwsCredentials credentials;
    Core::Error error; // names the profile and the file when it can

    bool ok() const { return error.isNull() && credentials.isValid(); }
};

using CredentialsCallback = std::function<void(const CredentialsResult &)>;

// Where a client stack gets credentials from. Implementations cache and
// refresh; GUI thread only.
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;

    // Calls `done` exactly once, on this thread: at once when credentials
    // are cached and fresh, later when they must be fetched (a process, STS,
    // SSO). `done` is dropped, never called, once `context` is destroyed.
    virtual void fetch(QObject *context, CredentialsCallback done) = 0;

    // The service rejected the credentials (ExpiredToken...): the next fetch
    // must not serve them from the cache.
    virtual void invalidate() { }
};

// Fixed credentials: tests, and --profile with static keys resolved once.
class StaticCredentialsProvider : public CredentialsProvider {
public:
    explicit StaticCredentialsProvider(AwsCredentials credentials)
        : m_credentials(std::move(credentials))
    {
    }
    void fetch(QObject *context, CredentialsCallback done) override;

private:
    AwsCredentials m_credentials;
};

} // namespace Bramble::Aws
