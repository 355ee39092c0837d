"""bramblectl pools --json against kubectl fetching the same objects, 5,000 LoadBalancer services.

Both talk to the same fake API server (build/bin/fake-kube-apiserver
--lb-services) over HTTPS on 127.0.0.1: 12 nodes, one IPAddressPool
10.200.0.0/16 with its L2Advertisement, and 5,000 LoadBalancer services in
20 namespaces (every 50th pending). kubectl only fetches and prints the raw
objects the analysis needs, in one invocation (`get svc,nodes,
ipaddresspools,l2advertisements,bgpadvertisements -A -o json`; it skips the
metallb-system ConfigMaps bramblectl also reads); bramblectl lists those
collections and the ConfigMaps,
reads the pools, places every service, counts the pool and looks for problems.

Targets (issue 6, set by us): median wall time ours/peer <= 1.0 (the analysis
costs less than kubectl's printing); peak RSS ours/peer <= 1.0.
"""

from __future__ import annotations

import json

from bench_nodes import start_server, stop_server
from benchlib import Case, Command, Context, Target

SERVICES = 5_000
NODES = 12
PEER = "/usr/bin/kubectl"
TARGET = Target(time_ratio=1.0, rss_ratio=1.0)


def check_ours(stdout: bytes):
    doc = json.loads(stdout)
    services = doc.get("services") or []
    if len(services) != SERVICES:
        return f"{len(services)} services, expected {SERVICES}"
    pool = (doc.get("pools") or [{}])[0]
    expected_used = SERVICES - SERVICES // 50
    if pool.get("used") != expected_used or pool.get("total") != 65536:
        return f"pool counts {pool.get('used')}/{pool.get('total')}, expected {expected_used}/65536"
    return None


def check_peer(stdout: bytes):
    items = json.loads(stdout).get("items") or []
    services = sum(1 for i in items if i.get("kind") == "Service")
    return None if services == SERVICES else f"{services} services, expected {SERVICES}"


def cases(ctx: Context) -> list[Case]:
    env = {"HOME": "{tmp}", "KUBECONFIG": "{tmp}/kubeconfig"}
    return [Case(
        name=f"pools-{SERVICES}",
        description=f"bramblectl pools --json vs kubectl get (services, nodes, MetalLB objects) -o json, "
                    f"{SERVICES:,} LoadBalancer services",
        ours=Command([str(ctx.binary("bramblectl")), "pools", "--json"], env=env, check=check_ours),
        peer=Command([PEER, "get", "svc,nodes,ipaddresspools.metallb.io,l2advertisements.metallb.io,"
                      "bgpadvertisements.metallb.io", "-A", "-o", "json"],
                     env=env, check=check_peer, label="kubectl"),
        setup=start_server(ctx, NODES, ("--lb-services", str(SERVICES)),
                           what=f"{SERVICES:,} LoadBalancer services and {NODES} nodes"),
        teardown=stop_server,
        target=TARGET,
    )]
