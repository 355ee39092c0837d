#!/usr/bin/env python3
"""Writes the saga fixtures in this directory: two definitions (the seed saga
and a CDK-style variant that wraps every step in a one-branch Parallel state)
and GetExecutionHistory responses written by hand after the event shapes and
links AWS documents (HistoryEvent in the API reference; the sequences in
/work/shared/reference/step-functions.md section 4.3). Run it again after a
change: python3 generate.py"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "eu-west-1"
ACCOUNT = "123456789012"
FN = "arn:aws:lambda:%s:%s:function:saga-%%s" % (REGION, ACCOUNT)
INPUT = {"Payload": {"TransactionDetails": {"TransactionId": "2", "simulateFail": True}}}


def lambda_task(name, nxt=None, catch=None, end=False):
    s = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": FN % name, "Payload.$": "$"},
        "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                   "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2}],
    }
    if catch:
        s["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": catch}]
    if end:
        s["End"] = True
    else:
        s["Next"] = nxt
    return s


def seed_definition():
    return {
        "Comment": "Seed saga: ProcessRecords -> TransformRecords -> CommitRecords, each undone by its rollback",
        "StartAt": "StartTransaction",
        "TimeoutSeconds": 300,
        "States": {
            "StartTransaction": {"Type": "Pass", "Next": "ProcessRecords"},
            "ProcessRecords": lambda_task("ProcessRecords", "TransformRecords", "ProcessRecordsRollback"),
            "TransformRecords": lambda_task("TransformRecords", "CommitRecords", "TransformRecordsRollback"),
            "CommitRecords": lambda_task("CommitRecords", "FinishTransaction", "CommitRecordsRollback"),
            "FinishTransaction": {"Type": "Pass", "Next": "SagaSucceeded"},
            "SagaSucceeded": {"Type": "Succeed"},
            "CommitRecordsRollback": lambda_task("CommitRecordsRollback", "TransformRecordsRollback"),
            "TransformRecordsRollback": lambda_task("TransformRecordsRollback", "ProcessRecordsRollback"),
            "ProcessRecordsRollback": lambda_task("ProcessRecordsRollback", "SagaFailed"),
            "SagaFailed": {"Type": "Fail", "Error": "SagaRolledBack", "Cause": "A step failed; its rollbacks ran"},
        },
    }


def group(name, nxt=None, catch=None, end=False):
    inner = lambda_task(name, end=True)
    s = {"Type": "Parallel", "Branches": [{"StartAt": name + "Task", "States": {name + "Task": inner}}],
         "ResultPath": "$.%s" % name}
    if catch:
        s["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": catch}]
    if end:
        s["End"] = True
    else:
        s["Next"] = nxt
    return s


def cdk_definition():
    return {
        "StartAt": "ProcessRecordsGroup",
        "TimeoutSeconds": 300,
        "States": {
            "ProcessRecordsGroup": group("ProcessRecords", "TransformRecordsGroup", "ProcessRecordsRollbackGroup"),
            "TransformRecordsGroup": group("TransformRecords", "CommitRecordsGroup", "TransformRecordsRollbackGroup"),
            "CommitRecordsGroup": group("CommitRecords", "Success", "CommitRecordsRollbackGroup"),
            "Success": {"Type": "Succeed"},
            "CommitRecordsRollbackGroup": group("CommitRecordsRollback", "TransformRecordsRollbackGroup"),
            "TransformRecordsRollbackGroup": group("TransformRecordsRollback", "ProcessRecordsRollbackGroup"),
            "ProcessRecordsRollbackGroup": group("ProcessRecordsRollback", end=True),
        },
    }


class History:
    def __init__(self, t0=1763900000.0):
        self.events = []
        self.t = t0

    def ev(self, type_, prev, key=None, details=None, dt=0.05):
        self.t += dt
        e = {"id": len(self.events) + 1, "previousEventId": prev, "timestamp": round(self.t, 3), "type": type_}
        if key:
            e[key] = details
        self.events.append(e)
        return e["id"]

    def start(self):
        return self.ev("ExecutionStarted", 0, "executionStartedEventDetails",
                       {"input": json.dumps(INPUT), "inputDetails": {"truncated": False},
                        "roleArn": "arn:aws:iam::%s:role/saga-sfn" % ACCOUNT})

    def entered(self, kind, name, prev):
        return self.ev(kind + "StateEntered", prev, "stateEnteredEventDetails",
                       {"name": name, "input": json.dumps(INPUT), "inputDetails": {"truncated": False}})

    def exited(self, kind, name, prev, output=None):
        return self.ev(kind + "StateExited", prev, "stateExitedEventDetails",
                       {"name": name, "output": json.dumps(output or INPUT), "outputDetails": {"truncated": False}})

    def task(self, name, prev, fails=0, succeed=True, exit_on_fail=True, error="Error", cause=None, run=0.4):
        """fails: failed attempts before the last one; succeed: whether the last attempt succeeds.
        Returns the id of the last event of the visit (Exited, or the failure when not exited)."""
        e = self.entered("Task", name, prev)
        last = e
        attempts = fails + 1
        lam = {"resourceType": "lambda", "resource": "invoke"}
        for n in range(attempts):
            ok = succeed and n == attempts - 1
            s = self.ev("TaskScheduled", last, "taskScheduledEventDetails",
                        dict(lam, region=REGION, parameters=json.dumps({"FunctionName": FN % name, "Payload": INPUT})),
                        dt=1.0 if n else 0.05)
            st = self.ev("TaskStarted", s, "taskStartedEventDetails", dict(lam))
            if ok:
                payload = json.dumps({"Name": name, "Status": "Success"})
                last = self.ev("TaskSucceeded", st, "taskSucceededEventDetails",
                               dict(lam, output=json.dumps({"StatusCode": 200, "Payload": payload}),
                                    outputDetails={"truncated": False}), dt=run)
            else:
                last = self.ev("TaskFailed", st, "taskFailedEventDetails",
                               dict(lam, error=error, cause=cause or json.dumps(
                                   {"errorType": error, "errorMessage": "%s failed (simulateFail)" % name})), dt=run)
        if succeed:
            return self.exited("Task", name, last)
        if exit_on_fail:
            return self.exited("Task", name, last, dict(INPUT, error={"Error": error, "Cause": "..."}))
        return last

    def group(self, name, prev, inner_fails=False, error="Error"):
        """A CDK one-branch Parallel wrapper around task <name>Task."""
        e = self.entered("Parallel", name + "Group", prev)
        ps = self.ev("ParallelStateStarted", e)
        if inner_fails:
            f = self.task(name + "Task", ps, succeed=False, exit_on_fail=False, error=error)
            pf = self.ev("ParallelStateFailed", f)
            return self.exited("Parallel", name + "Group", pf, dict(INPUT, error={"Error": error, "Cause": "..."}))
        x = self.task(name + "Task", ps)
        self.ev("ParallelStateSucceeded", x)
        return self.exited("Parallel", name + "Group", x)

    def pass_(self, name, prev):
        return self.exited("Pass", name, self.entered("Pass", name, prev))

    def fail_state(self, name, prev, error, cause):
        f = self.ev("FailStateEntered", prev, "stateEnteredEventDetails",
                    {"name": name, "input": json.dumps(INPUT), "inputDetails": {"truncated": False}})
        return self.ev("ExecutionFailed", f, "executionFailedEventDetails", {"error": error, "cause": cause})

    def succeeded(self, prev):
        return self.ev("ExecutionSucceeded", prev, "executionSucceededEventDetails",
                       {"output": json.dumps(INPUT), "outputDetails": {"truncated": False}})

    def failed(self, prev, error, cause):
        return self.ev("ExecutionFailed", prev, "executionFailedEventDetails", {"error": error, "cause": cause})


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def seed_prefix(h):
    x = h.start()
    x = h.pass_("StartTransaction", x)
    return h.task("ProcessRecords", x)


def main():
    write("seed-saga.asl.json", seed_definition())
    write("cdk-saga.asl.json", cdk_definition())

    # Success: every forward step succeeds.
    h = History()
    x = seed_prefix(h)
    x = h.task("TransformRecords", x)
    x = h.task("CommitRecords", x)
    x = h.pass_("FinishTransaction", x)
    x = h.exited("Succeed", "SagaSucceeded", h.entered("Succeed", "SagaSucceeded", x))
    h.succeeded(x)
    write("seed-success.history.json", {"events": h.events})

    # CommitRecords fails (one retry, then caught); the full rollback runs; the Fail state ends the run.
    def fail_at_commit(h):
        x = seed_prefix(h)
        x = h.task("TransformRecords", x)
        x = h.task("CommitRecords", x, fails=1, succeed=False, error="Lambda.ServiceException")
        x = h.task("CommitRecordsRollback", x)
        x = h.task("TransformRecordsRollback", x)
        x = h.task("ProcessRecordsRollback", x)
        h.fail_state("SagaFailed", x, "SagaRolledBack", "A step failed; its rollbacks ran")
    h = History()
    fail_at_commit(h)
    write("seed-fail-commit.history.json", {"events": h.events})

    # The same history as the aws CLI prints it with --reverse-order: newest first, ISO timestamps.
    from datetime import datetime, timezone
    rev = []
    for e in reversed(h.events):
        e = dict(e)
        e["timestamp"] = datetime.fromtimestamp(e["timestamp"], timezone.utc).isoformat(timespec="milliseconds")
        rev.append(e)
    write("seed-fail-commit-reverse.history.json", {"events": rev})

    # CommitRecords fails; TransformRecordsRollback then fails, uncaught.
    h = History()
    x = seed_prefix(h)
    x = h.task("TransformRecords", x)
    x = h.task("CommitRecords", x, succeed=False)
    x = h.task("CommitRecordsRollback", x)
    x = h.task("TransformRecordsRollback", x, succeed=False, exit_on_fail=False, error="ConditionalCheckFailed")
    h.failed(x, "ConditionalCheckFailed", json.dumps({"errorType": "ConditionalCheckFailed",
                                                      "errorMessage": "TransformRecordsRollback failed"}))
    write("seed-rollback-fails.history.json", {"events": h.events})

    # Still running: TransformRecords has been scheduled and started.
    h = History()
    x = seed_prefix(h)
    e = h.entered("Task", "TransformRecords", x)
    s = h.ev("TaskScheduled", e, "taskScheduledEventDetails",
             {"resourceType": "lambda", "resource": "invoke", "region": REGION, "parameters": "{}"})
    h.ev("TaskStarted", s, "taskStartedEventDetails", {"resourceType": "lambda", "resource": "invoke"})
    write("seed-running.history.json", {"events": h.events})

    # Still running, compensating: TransformRecords was caught, its rollback is in flight.
    h = History()
    x = seed_prefix(h)
    x = h.task("TransformRecords", x, succeed=False)
    h.entered("Task", "TransformRecordsRollback", x)
    write("seed-running-compensating.history.json", {"events": h.events})

    # A States.Runtime error after TransformRecords succeeded: States.ALL does not catch it.
    h = History()
    x = seed_prefix(h)
    e = h.entered("Task", "TransformRecords", x)
    s = h.ev("TaskScheduled", e, "taskScheduledEventDetails",
             {"resourceType": "lambda", "resource": "invoke", "region": REGION, "parameters": "{}"})
    st = h.ev("TaskStarted", s, "taskStartedEventDetails", {"resourceType": "lambda", "resource": "invoke"})
    ok = h.ev("TaskSucceeded", st, "taskSucceededEventDetails",
              {"resourceType": "lambda", "resource": "invoke", "output": "{}"})
    h.failed(ok, "States.Runtime", "An error occurred while executing the state 'TransformRecords' (entered at the event id #9). "
             "The JSONPath '$.Payload.Records' specified for the field 'OutputPath' could not be found in the input '{}'")
    write("seed-runtime-error.history.json", {"events": h.events})

    # Stopped by a user while TransformRecords was running.
    h = History()
    x = seed_prefix(h)
    e = h.entered("Task", "TransformRecords", x)
    h.ev("ExecutionAborted", e, "executionAbortedEventDetails", {"error": "UserStop", "cause": "stopped from bramble"})
    write("seed-aborted.history.json", {"events": h.events})

    # CDK: TransformRecords fails inside its wrapper; rollbacks run and the chain ends without a Fail state.
    h = History()
    x = h.start()
    x = h.group("ProcessRecords", x)
    x = h.group("TransformRecords", x, inner_fails=True)
    x = h.group("TransformRecordsRollback", x)
    x = h.group("ProcessRecordsRollback", x)
    h.succeeded(x)
    write("cdk-rollback-succeeded.history.json", {"events": h.events})

    # CDK success.
    h = History()
    x = h.start()
    x = h.group("ProcessRecords", x)
    x = h.group("TransformRecords", x)
    x = h.group("CommitRecords", x)
    x = h.exited("Succeed", "Success", h.entered("Succeed", "Success", x))
    h.succeeded(x)
    write("cdk-success.history.json", {"events": h.events})


if __name__ == "__main__":
    main()
