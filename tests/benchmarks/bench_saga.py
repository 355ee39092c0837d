"""The Sagas pane's heavy computations (issue 5's targets).

bench_saga (tests/benchmarks/bench_saga.cpp; build it with
-DBRAMBLE_BENCHMARKS=ON, see README.md):

  saga-analysis-25000  a 25,000-event GetExecutionHistory (the quota), as a
                       QJsonArray, to the saga analysis (parseHistory,
                       buildTimeline, analyzeSaga); target <= 50 ms
  saga-layout-500      layoutGraph of a generated 500-state saga (steps,
                       Parallel blocks, rollbacks chained by Catch);
                       target <= 100 ms
  saga-parse-500       parseDefinition + deriveRoles of that definition (no target)

Medians of 7 runs in one process. No peer: nothing else analyses saga
histories.
"""

from __future__ import annotations

from benchlib import Case, Command, Context


def check(stdout: bytes):
    text = stdout.decode(errors="replace")
    for figure in ("saga-analysis-25000", "saga-layout-500", "saga-parse-500"):
        if f'"{figure}"' not in text:
            return f"no figure {figure}"
    return None


def cases(ctx: Context) -> list[Case]:
    return [Case(
        name="saga",
        description="analysis of a 25,000-event history; layout of a 500-state saga",
        figures=Command([str(ctx.binary("bench_saga")), "--events", "25000", "--states", "500", "--repeat", "7"],
                        check=check))]
