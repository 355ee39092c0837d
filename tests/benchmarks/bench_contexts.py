"""bramblectl contexts --json against kubectl config view -o json --raw.

Both read one generated kubeconfig (--kubeconfig FILE) of 10, 1,000 or 10,000
contexts. Each context has its own cluster (server https://10.x.y.z:6443,
certificate-authority-data of about 1.5 KB base64) and its own user
(client-certificate-data and client-key-data of about 1.5 KB each); every third
context sets a namespace. Both get the same environment: HOME is the case's
temporary directory and AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name
small generated files (3 profiles), so neither reads the real user's files.

kubectl does more than bramblectl here (it decodes and re-encodes every
certificate and prints all of them, about as much as it reads), bramblectl
also reads the AWS files; both parse the whole YAML document, which is what
this measures.

Targets: median wall time ours/peer <= 0.5; max peak RSS ours/peer <= 1.0.
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from benchlib import Case, Command, Context, Target

SIZES = (10, 1_000, 10_000)
PEER = "/usr/bin/kubectl"
TARGET = Target(time_ratio=0.5, rss_ratio=1.0)
AWS_PROFILES = ("default", "staging", "prod")


def pem_base64(rng: random.Random, kind: str, der_bytes: int = 790) -> str:
    """certificate-authority-data style: base64 of a PEM block (~1.5 KB for 790 DER bytes)."""
    body = base64.b64encode(rng.randbytes(der_bytes)).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    pem = f"-----BEGIN {kind}-----\n{lines}\n-----END {kind}-----\n"
    return base64.b64encode(pem.encode()).decode()


def names(i: int) -> tuple[str, str, str]:
    return f"pi-rack-{i:05d}", f"cluster-{i:05d}", f"admin-{i:05d}"


def write_kubeconfig(path: Path, n: int, seed: int = 42) -> None:
    """Written the way kubectl writes kubeconfigs (block style, sorted keys)."""
    rng = random.Random(seed + n)
    clusters, contexts, users = [], [], []
    for i in range(n):
        ctx, cluster, user = names(i)
        server = f"https://10.{(i >> 16) & 255}.{(i >> 8) & 255}.{(i & 255) + 1}:6443" if i < 1 << 24 else ""
        clusters.append(f"- cluster:\n"
                        f"    certificate-authority-data: {pem_base64(rng, 'CERTIFICATE')}\n"
                        f"    server: {server}\n"
                        f"  name: {cluster}\n")
        ns = f"    namespace: team-{i % 7}\n" if i % 3 == 0 else ""
        contexts.append(f"- context:\n"
                        f"    cluster: {cluster}\n"
                        f"{ns}"
                        f"    user: {user}\n"
                        f"  name: {ctx}\n")
        users.append(f"- name: {user}\n"
                     f"  user:\n"
                     f"    client-certificate-data: {pem_base64(rng, 'CERTIFICATE')}\n"
                     f"    client-key-data: {pem_base64(rng, 'RSA PRIVATE KEY')}\n")
    with path.open("w") as f:
        f.write("apiVersion: v1\nclusters:\n")
        f.writelines(clusters)
        f.write("contexts:\n")
        f.writelines(contexts)
        f.write(f"current-context: {names(n // 2)[0]}\nkind: Config\npreferences: {{}}\nusers:\n")
        f.writelines(users)


def write_aws_files(tmp: Path) -> None:
    (tmp / "aws-config").write_text(
        "[default]\nregion = eu-west-1\noutput = json\n\n"
        "[profile staging]\nregion = eu-central-1\n\n"
        "[profile prod]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/bramble\n"
        "source_profile = default\n")
    (tmp / "aws-credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n"
        "[staging]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\n"
        "aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n")


def setup_for(n: int):
    def setup(tmp: Path) -> None:
        write_kubeconfig(tmp / "kubeconfig", n)
        write_aws_files(tmp)
        size = (tmp / "kubeconfig").stat().st_size
        print(f"   input: kubeconfig of {n:,} contexts/clusters/users, {size / 1e6:.2f} MB")
    return setup


def check_ours(n: int):
    def check(stdout: bytes):
        doc = json.loads(stdout)
        if len(doc["contexts"]) != n:
            return f"{len(doc['contexts'])} contexts, expected {n}"
        if doc["currentContext"] != names(n // 2)[0]:
            return f"current context {doc['currentContext']!r}"
        if sorted(p["name"] for p in doc["profiles"]) != sorted(AWS_PROFILES):
            return f"profiles {[p['name'] for p in doc['profiles']]}"
        return None
    return check


def check_peer(n: int):
    def check(stdout: bytes):
        doc = json.loads(stdout)
        got = tuple(len(doc.get(k) or []) for k in ("clusters", "contexts", "users"))
        return None if got == (n, n, n) else f"clusters/contexts/users {got}, expected {n} each"
    return check


def cases(ctx: Context) -> list[Case]:
    env = {
        "HOME": "{tmp}",
        "AWS_CONFIG_FILE": "{tmp}/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "{tmp}/aws-credentials",
    }
    out = []
    for n in SIZES:
        out.append(Case(
            name=f"contexts-{n}",
            description=f"bramblectl contexts vs kubectl config view, {n:,} contexts",
            ours=Command([str(ctx.binary("bramblectl")), "contexts", "--json", "--kubeconfig", "{tmp}/kubeconfig"],
                         env=env, check=check_ours(n)),
            peer=Command([PEER, "config", "view", "-o", "json", "--raw", "--kubeconfig", "{tmp}/kubeconfig"],
                         env=env, check=check_peer(n)),
            setup=setup_for(n),
            target=TARGET,
        ))
    return out
