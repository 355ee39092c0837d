#!/usr/bin/env python3
"""Many executions of the seed saga: the local runtime against moto's server.

    localruntime_load.py --bramblectl PATH --tmp DIR [--executions 1000] [--moto-executions N]

Used by bench_localruntime.py (run through tests/benchmarks/run.py). Starts
both servers on 127.0.0.1 and stops them:

- ours: `bramblectl local serve --port 0 --data DIR --sample --time-scale 0`
  (the seed saga, seed-saga.asl.json, on its builtin Lambda functions);
- peer: `moto_server` with state machine execution enabled, running the moto
  variant (seed-saga.moto.asl.json: DynamoDB tasks), which is the same graph.

Both are driven by the same client (boto3, one client per thread, 8 threads
starting executions). One execution in four has simulateFail true (the saga
compensates), the others commit. The figure is the wall time from the first
StartExecution to the moment every execution has ended (polled every 10 ms).

moto runs only one execution per region, so its executions go in batches of
one per region (as many regions as botocore knows for Step Functions), and
POST /moto-api/reset clears it between batches. Only the time from a batch's
first StartExecution to its last execution's end counts: setting up a batch
(tables, state machines, the reset) does not, which is generous to moto. When
--moto-executions N is below --executions, moto's time for N is scaled
linearly to --executions and the figure says so.

Prints figure lines (JSON) as benchlib expects, and progress on stderr.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import boto3
import botocore.config

ROOT = Path(__file__).resolve().parents[2]
MOTO_DEFINITION = ROOT / "resources/sagas/seed-saga.moto.asl.json"
ACCOUNT = "123456789012"
THREADS = 8
POLL = 0.01
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                max_pool_connections=THREADS * 2, connect_timeout=5, read_timeout=60)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def saga_input(i: int) -> str:
    return json.dumps({"Payload": {"TransactionDetails": {"TransactionId": f"tx-{i}", "simulateFail": i % 4 == 3}}})


class Clients:
    """boto3 clients per (thread, region, service): clients are made once, used by one thread."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.local = threading.local()
        self.session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
        self.lock = threading.Lock()

    def get(self, service: str, region: str):
        cache = self.local.__dict__.setdefault("cache", {})
        key = (service, region)
        if key not in cache:
            with self.lock:  # making a client is not thread-safe
                cache[key] = self.session.client(service, region_name=region, endpoint_url=self.endpoint,
                                                 config=CONFIG)
        return cache[key]


def start_all(clients: Clients, jobs: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
    """jobs: (region, machine ARN, name, input); returns (region, execution ARN) in order."""
    def start(job):
        region, machine, name, text = job
        arn = clients.get("stepfunctions", region).start_execution(
            stateMachineArn=machine, name=name, input=text)["executionArn"]
        return region, arn
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(start, jobs))


def wait_each(clients: Clients, executions: list[tuple[str, str]], deadline: float) -> dict[str, int]:
    """Polls DescribeExecution of every unfinished execution; returns the count per final status."""
    pending = list(executions)
    statuses: dict[str, int] = {}
    while pending:
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(pending)} executions still running at the deadline")
        still = []
        for region, arn in pending:
            status = clients.get("stepfunctions", region).describe_execution(executionArn=arn)["status"]
            if status == "RUNNING":
                still.append((region, arn))
            else:
                statuses[status] = statuses.get(status, 0) + 1
        pending = still
        if pending:
            time.sleep(POLL)
    return statuses


def count_by_status(sfn, machine: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine):
        for e in page["executions"]:
            counts[e["status"]] = counts.get(e["status"], 0) + 1
    return counts


# --------------------------------------------------------------------------

def run_local(bramblectl: str, tmp: Path, n: int) -> tuple[float, dict[str, int]]:
    proc = subprocess.Popen([bramblectl, "local", "serve", "--port", "0", "--data", str(tmp / "local-data"),
                             "--sample", "--time-scale", "0"],
                            stdout=subprocess.PIPE, stderr=open(tmp / "local.log", "wb"), text=True)
    try:
        line = proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"bramblectl local serve did not start: {line!r}; see {tmp / 'local.log'}")
        endpoint = line.split()[-1]
        clients = Clients(endpoint)
        region = "us-east-1"
        sfn = clients.get("stepfunctions", region)
        machine = f"arn:aws:states:{region}:{ACCOUNT}:stateMachine:seed-saga"
        sfn.describe_state_machine(stateMachineArn=machine)  # deployed by --sample
        jobs = [(region, machine, f"run-{i}", saga_input(i)) for i in range(n)]
        t0 = time.perf_counter()
        start_all(clients, jobs)
        # Ended when none is RUNNING: one ListExecutions per poll.
        deadline = time.monotonic() + 600
        while sfn.list_executions(stateMachineArn=machine, statusFilter="RUNNING", maxResults=1)["executions"]:
            if time.monotonic() > deadline:
                raise SystemExit("local runtime: executions still running after 600 s")
            time.sleep(POLL)
        elapsed = time.perf_counter() - t0
        counts = count_by_status(sfn, machine)
        return elapsed, counts
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_moto(tmp: Path, n: int) -> tuple[float, dict[str, int], int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(MOTO_PORT=str(port), AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="us-east-1", NO_PROXY="localhost,127.0.0.1")
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(tmp / "moto.log", "wb"))
    url = f"http://127.0.0.1:{port}"

    def post(path: str, body: dict) -> None:
        req = urllib.request.Request(url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=30).read()

    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"moto_server did not start; see {tmp / 'moto.log'}")
        post("/moto-api/config", {"stepfunctions": {"execute_state_machine": True}})
        regions = sorted(boto3.session.Session().get_available_regions("stepfunctions"))
        clients = Clients(url)
        definition = MOTO_DEFINITION.read_text()

        def deploy(region: str) -> str:
            clients.get("dynamodb", region).create_table(
                TableName="SagaTransactions",
                AttributeDefinitions=[{"AttributeName": "TransactionId", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "TransactionId", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
            return clients.get("stepfunctions", region).create_state_machine(
                name="seed-saga", definition=definition,
                roleArn=f"arn:aws:iam::{ACCOUNT}:role/saga")["stateMachineArn"]

        elapsed = 0.0
        counts: dict[str, int] = {}
        done = 0
        batches = 0
        while done < n:
            batch = regions[:min(len(regions), n - done)]
            if batches:
                post("/moto-api/reset", {})
            with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
                machines = list(pool.map(deploy, batch))
            jobs = [(r, m, f"run-{done + i}", saga_input(done + i)) for i, (r, m) in enumerate(zip(batch, machines))]
            t0 = time.perf_counter()
            executions = start_all(clients, jobs)
            for status, c in wait_each(clients, executions, time.monotonic() + 600).items():
                counts[status] = counts.get(status, 0) + c
            elapsed += time.perf_counter() - t0
            done += len(batch)
            batches += 1
            say(f"   moto: {done}/{n} executions, {elapsed:.1f} s")
        return elapsed, counts, batches
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def expected_counts(n: int) -> dict[str, int]:
    failed = sum(1 for i in range(n) if i % 4 == 3)
    return {k: v for k, v in (("SUCCEEDED", n - failed), ("FAILED", failed)) if v}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bramblectl", required=True)
    ap.add_argument("--tmp", required=True, type=Path)
    ap.add_argument("--executions", type=int, default=1000)
    ap.add_argument("--moto-executions", type=int, default=0, help="0: as many as --executions")
    ap.add_argument("--target", type=float, default=0.05)
    args = ap.parse_args()
    n = args.executions
    m = args.moto_executions or n

    local_s, local_counts = run_local(args.bramblectl, args.tmp, n)
    say(f"   local runtime: {n} executions in {local_s:.2f} s: {local_counts}")
    if local_counts != expected_counts(n):
        raise SystemExit(f"local runtime: executions ended {local_counts}, expected {expected_counts(n)}")
    moto_s, moto_counts, batches = run_moto(args.tmp, m)
    say(f"   moto: {m} executions in {batches} batches, {moto_s:.2f} s: {moto_counts}")
    if moto_counts != expected_counts(m):
        raise SystemExit(f"moto: executions ended {moto_counts}, expected {expected_counts(m)}")
    moto_scaled = moto_s * n / m

    scaled = f", scaled from {m} measured ({moto_s:.2f} s)" if m != n else ""
    figures = [
        {"name": f"localruntime-{n}-executions", "value": round(local_s, 3), "unit": "s"},
        {"name": f"moto-{n}-executions", "value": round(moto_scaled, 3),
         "unit": f"s (scaled x{n / m:g} from {m} measured)" if m != n else "s",
         "note": f"moto_server, {batches} batches of one execution per region{scaled}"},
        {"name": f"moto-{m}-executions-measured", "value": round(moto_s, 3), "unit": f"s ({batches} batches)"},
        {"name": f"localruntime/moto-{n}-executions", "value": round(local_s / moto_scaled, 4), "unit": "ratio",
         "target": f"<= {args.target}"},
        {"name": "localruntime-executions-per-s", "value": round(n / local_s, 1), "unit": "1/s", "better": "higher"},
        {"name": "moto-executions-per-s", "value": round(m / moto_s, 1), "unit": "1/s", "better": "higher"},
    ]
    for f in figures:
        print(json.dumps(f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
