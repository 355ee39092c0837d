"""The local runtime (services/localruntime) under load.

localruntime-executions-1000  1,000 executions of the seed saga through the
    Step Functions API: `bramblectl local serve --sample --time-scale 0` (the
    saga on its builtin Lambda functions) against moto_server running the
    moto variant of the same saga (DynamoDB tasks), driven by the same client
    (boto3); wall time from the first StartExecution until every execution
    ended. moto runs one execution per region, so it gets batches of one per
    region with a reset between them, timed without the set-up; its 1,000 are
    scaled from MOTO_EXECUTIONS measured (see localruntime_load.py).
    Target: time ours/moto <= 0.05.
localruntime-history-25000  one execution that emits 25,000 history events (a
    Pass, then a Map of 6,248 items over one Pass state: 6 + 4 per item + 2),
    `bramblectl local run DEF --input JSON --time-scale 0 --json`, the whole
    process (including the saga analysis it prints). Target: <= 1 s.

Needs boto3 and moto_server (pip install boto3 'moto[server]').
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchlib import Case, Command, Context, Target

EXECUTIONS = 1000
MOTO_EXECUTIONS = 100  # measured on moto, scaled to EXECUTIONS (moto: ~0.5 s per execution, 34 at a time)
MAP_ITEMS = 6248  # 2 (Pass) + 6 (execution and Map) + 4 per item = 25,000 events
EVENTS = 2 + 6 + 4 * MAP_ITEMS

MAP_DEFINITION = {
    "Comment": "25,000 history events: a Pass, then a Map of Pass states.",
    "StartAt": "Begin",
    "States": {
        "Begin": {"Type": "Pass", "Next": "Each"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Touch", "States": {"Touch": {"Type": "Pass", "End": True}}},
            "ResultPath": None,
            "End": True,
        },
    },
}


def write_definition(tmp: Path) -> None:
    (tmp / "events25k.asl.json").write_text(json.dumps(MAP_DEFINITION, indent=1))


def check_history(stdout: bytes):
    analysis = json.loads(stdout)
    status = analysis.get("executionStatus")
    if status != "SUCCEEDED":
        return f"executionStatus {status!r}, expected SUCCEEDED"
    touched = sum(1 for s in analysis.get("steps", []) if s.get("state") == "Touch" and s.get("status") == "SUCCEEDED")
    if touched != MAP_ITEMS:  # one step per Map iteration: 4 events each
        return f"{touched} Map iterations succeeded, expected {MAP_ITEMS}"
    return None


def check_load(stdout: bytes):
    text = stdout.decode(errors="replace")
    for figure in (f"localruntime-{EXECUTIONS}-executions", f"localruntime/moto-{EXECUTIONS}-executions"):
        if f'"{figure}"' not in text:
            return f"no figure {figure}"
    return None


def cases(ctx: Context) -> list[Case]:
    env = {"HOME": "{tmp}", "AWS_CONFIG_FILE": "{tmp}/no-aws-config",
           "AWS_SHARED_CREDENTIALS_FILE": "{tmp}/no-aws-credentials", "NO_PROXY": "localhost,127.0.0.1"}
    bramblectl = str(ctx.binary("bramblectl"))
    items = json.dumps({"items": list(range(MAP_ITEMS))}, separators=(",", ":"))
    return [
        Case(
            name=f"localruntime-executions-{EXECUTIONS}",
            description=f"{EXECUTIONS:,} seed-saga executions: bramblectl local serve vs moto_server "
                        f"(moto: {MOTO_EXECUTIONS} measured, scaled), same boto3 client",
            figures=Command([sys.executable, str(ctx.bench_dir / "localruntime_load.py"), "--bramblectl", bramblectl,
                             "--tmp", "{tmp}", "--executions", str(EXECUTIONS),
                             "--moto-executions", str(MOTO_EXECUTIONS), "--target", "0.05"],
                            env=env, check=check_load)),
        Case(
            name=f"localruntime-history-{EVENTS}",
            description=f"bramblectl local run: one execution of {EVENTS:,} history events (Map of {MAP_ITEMS:,} Pass)",
            ours=Command([bramblectl, "local", "run", "{tmp}/events25k.asl.json", "--input", items,
                          "--time-scale", "0", "--json"], env=env, check=check_history,
                         label=f"bramblectl local run events25k.asl.json --input <{MAP_ITEMS} items> --json"),
            setup=write_definition,
            target=Target(time_ms=1000),
        ),
    ]
