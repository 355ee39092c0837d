"""bramblectl nodes --json against kubectl get nodes -o json, 5,000 nodes.

Both talk to the same fake API server (build/bin/fake-kube-apiserver, from
tests/fakes) over HTTPS on 127.0.0.1 with a bearer token, reading the same
generated kubeconfig. The fake serves 5,000 realistic Raspberry Pi nodes
(labels, annotations, four conditions, capacity, addresses, nodeInfo).
bramblectl lists them in pages of 500 (limit/continue, as client-go's pager);
kubectl asks for the whole list at once and prints it (-o json). Both parse
every node; bramblectl turns each into its Node value and prints the
`bramblectl nodes --json` objects (smaller than kubectl's full objects).

Targets (issue 3): median wall time ours/peer <= 0.25; peak RSS ours/peer <= 1.0.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

from benchlib import Case, Command, Context, Target

NODES = 5_000
PEER = "/usr/bin/kubectl"
TARGET = Target(time_ratio=0.25, rss_ratio=1.0)

_servers: dict[Path, subprocess.Popen] = {}


def start_server(ctx: Context, nodes: int, extra: tuple[str, ...] = (), what: str = ""):
    def setup(tmp: Path) -> None:
        proc = subprocess.Popen([str(ctx.binary("fake-kube-apiserver")), "--nodes", str(nodes),
                                 "--pki-dir", str(tmp / "pki"), *extra],
                                stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
        _servers[tmp] = proc
        line = proc.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"fake-kube-apiserver did not start: {line!r}")
        kubeconfig = line.split("KUBECONFIG=", 1)[1]
        (tmp / "kubeconfig").write_bytes(Path(kubeconfig).read_bytes())
        os.chmod(tmp / "kubeconfig", 0o600)
        print(f"   input: {what or f'{nodes:,} nodes'} served by fake-kube-apiserver at {line.split()[1]}")
    return setup


def stop_server(tmp: Path) -> None:
    proc = _servers.pop(tmp, None)
    if proc is None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def check_ours(stdout: bytes):
    nodes = json.loads(stdout)
    if len(nodes) != NODES:
        return f"{len(nodes)} nodes, expected {NODES}"
    missing = [k for k in ("name", "ready", "roles", "internalIP", "conditions", "capacity") if k not in nodes[0]]
    return f"fields missing: {missing}" if missing else None


def check_peer(stdout: bytes):
    items = json.loads(stdout).get("items") or []
    return None if len(items) == NODES else f"{len(items)} nodes, expected {NODES}"


def cases(ctx: Context) -> list[Case]:
    env = {"HOME": "{tmp}", "KUBECONFIG": "{tmp}/kubeconfig"}
    return [Case(
        name=f"nodes-{NODES}",
        description=f"bramblectl nodes --json vs kubectl get nodes -o json, {NODES:,} nodes from the fake API server",
        ours=Command([str(ctx.binary("bramblectl")), "nodes", "--json"], env=env, check=check_ours),
        peer=Command([PEER, "get", "nodes", "-o", "json"], env=env, check=check_peer, label="kubectl"),
        setup=start_server(ctx, NODES),
        teardown=stop_server,
        target=TARGET,
    )]
