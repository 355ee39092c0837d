#pragma once

#include <QString>

class QCoreApplication;

namespace Bramble::Test {

// How the fake servers' programs end: on SIGTERM or SIGINT, and when stdin
// is a pipe (or socket) that reaches end of file, so a fake started with its
// stdin piped from a test or script exits with it. Call after printing the
// READY line; returns app.exec()'s result, or 1 with `error` set when the
// signal pipe cannot be made.
int runUntilStopped(QCoreApplication &app, QString *error);

} // namespace Bramble::Test
