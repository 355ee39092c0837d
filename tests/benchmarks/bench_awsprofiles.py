"""bramblectl contexts --json against aws configure get region, on many AWS profiles.

Both read one generated AWS config file (AWS_CONFIG_FILE) of 10,000, 40,000 or
100,000 "[profile pN]" sections (region and output in each) and an empty
credentials file; bramblectl also reads a one-context kubeconfig. The aws CLI
(v1: botocore, Python's configparser) parses the whole file and builds its
profile map, as we do, then prints the last profile's region; we print every
profile's name, region and file as JSON.

Loading profiles was quadratic (a linear lookup per section for duplicates
and for merging): 10,000 profiles took 0.84 s, 40,000 8.9 s, 100,000 more than
10 s on an idle machine. This keeps it linear.

Targets: median wall time ours/peer <= 0.5; max peak RSS ours/peer <= 1.0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from benchlib import Case, Command, Context, Target

SIZES = (10_000, 40_000, 100_000)
TARGET = Target(time_ratio=0.5, rss_ratio=1.0)
KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://10.0.0.1:6443
  name: bramble
contexts:
- context:
    cluster: bramble
    user: pi
  name: bramble
current-context: bramble
users:
- name: pi
  user:
    token: x
"""


def setup_for(n: int):
    def setup(tmp: Path) -> None:
        with (tmp / "aws-config").open("w") as f:
            f.write("[default]\nregion = eu-west-1\n")
            for i in range(n):
                f.write(f"[profile p{i}]\nregion = eu-west-{1 + i % 3}\noutput = json\n")
        (tmp / "aws-credentials").write_text("")
        (tmp / "kubeconfig").write_text(KUBECONFIG)
        size = (tmp / "aws-config").stat().st_size
        print(f"   input: AWS config of {n:,} profiles, {size / 1e6:.2f} MB")
    return setup


def check_ours(n: int):
    def check(stdout: bytes):
        profiles = json.loads(stdout)["profiles"]
        if len(profiles) != n + 1:
            return f"{len(profiles)} profiles, expected {n + 1}"
        if profiles[-1]["name"] != f"p{n - 1}":
            return f"last profile {profiles[-1]['name']!r}"
        return None
    return check


def check_peer(n: int):
    def check(stdout: bytes):
        expected = f"eu-west-{1 + (n - 1) % 3}"
        got = stdout.decode().strip()
        return None if got == expected else f"region {got!r}, expected {expected!r}"
    return check


def cases(ctx: Context) -> list[Case]:
    env = {
        "HOME": "{tmp}",
        "AWS_CONFIG_FILE": "{tmp}/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "{tmp}/aws-credentials",
    }
    aws = shutil.which("aws") or "aws"
    out = []
    for n in SIZES:
        out.append(Case(
            name=f"awsprofiles-{n}",
            description=f"bramblectl contexts vs aws configure get region, {n:,} AWS profiles",
            ours=Command([str(ctx.binary("bramblectl")), "contexts", "--json", "--kubeconfig", "{tmp}/kubeconfig"],
                         env=env, check=check_ours(n)),
            peer=Command([aws, "configure", "get", "region", "--profile", f"p{n - 1}"], env=env,
                         check=check_peer(n), label="aws CLI"),
            setup=setup_for(n),
            target=TARGET,
        ))
    return out
