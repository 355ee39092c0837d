"""Watch events applied to NodeModel with a sorted table view attached.

bench_nodemodel (tests/benchmarks/bench_nodemodel.cpp; build it with
-DBRAMBLE_BENCHMARKS=ON, see README.md) shows N generated Raspberry Pi nodes
in a QTableView behind a QSortFilterProxyModel sorted by status (offscreen
platform, 1280x800), then applies 200,000 MODIFIED events in batches of 100,
as a watch burst delivers them: heartbeats (new resourceVersion and
lastHeartbeatTime), and one in fifty a Ready/NotReady flip that moves the row
in the sorted view. The time includes the view's repaints.

Cases:
  nodemodel-500, nodemodel-5000
      the view repaints at most every 16 ms (a 60 Hz display; the pane
      flushes no faster). Figures:
        nodemodel-apply-N       events/s through applyEvents, the proxy and the view
                                target >= 50,000
        nodemodel-fromjson-500  the same with each event also read by Node::fromJson
                                (no target: shows what reading the JSON objects adds;
                                not at 5,000 nodes, where the 20,000 prebuilt JSON
                                objects would measure cache misses of the harness)
  nodemodel-1000-paint-every-batch
      the event loop runs after every batch of 100, so the view repaints 2,000
      times: what an unthrottled pane would cost (no target).

The program exits 1 if the model does not end up holding the last state sent
for every node, sorted worst first. No peer: nothing else applies Kubernetes
watch events to a Qt model.
"""

from __future__ import annotations

from benchlib import Case, Command, Context

EVENTS = 200_000
BATCH = 100
ENV = {"QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "qt.qpa.*=false"}


def check(*figures: str):
    def run(stdout: bytes):
        text = stdout.decode(errors="replace")
        missing = [f for f in figures if f'"{f}"' not in text]
        return f"no figure {', '.join(missing)}" if missing else None
    return run


def command(ctx: Context, nodes: int, events: int, *extra: str, figures: tuple[str, ...]) -> Command:
    return Command([str(ctx.binary("bench_nodemodel")), "--nodes", str(nodes), "--events", str(events),
                    "--batch", str(BATCH), *extra], env=ENV, check=check(*figures))


def cases(ctx: Context) -> list[Case]:
    out = [
        Case(name="nodemodel-500",
             description=f"{EVENTS:,} MODIFIED events in batches of {BATCH} on 500 nodes, sorted view, "
                         "repaint <= 60 Hz",
             figures=command(ctx, 500, EVENTS, "--paint-ms", "16",
                             figures=("nodemodel-apply-500", "nodemodel-fromjson-500"))),
        Case(name="nodemodel-5000",
             description=f"{EVENTS:,} MODIFIED events in batches of {BATCH} on 5,000 nodes, sorted view, "
                         "repaint <= 60 Hz",
             figures=command(ctx, 5_000, EVENTS, "--paint-ms", "16", "--no-fromjson",
                             figures=("nodemodel-apply-5000",))),
    ]
    out.append(Case(
        name="nodemodel-1000-paint-every-batch",
        description=f"50,000 MODIFIED events in batches of {BATCH} on 1,000 nodes, repaint after every batch",
        figures=command(ctx, 1_000, 50_000, "--paint-ms", "0", "--target", "0", "--no-fromjson",
                        figures=("nodemodel-apply-1000-paint-every-batch",))))
    return out
