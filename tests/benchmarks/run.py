#!/usr/bin/env python3
"""Runs Bramble's benchmarks and prints each figure next to its peer's.

    tests/benchmarks/run.py --build-dir BUILD [--only NAME] [--repeat N] [--json FILE]

Benchmarks are the cases returned by cases(ctx) in tests/benchmarks/bench_*.py
(see benchlib.py). A timed case runs our command and the peer's (a tool
written by others doing the same job) once each to warm up, then N times each,
alternating, and reports median and min wall time and max peak RSS of each,
and ours/peer ratios against the case's targets. A figure case runs a command
that prints its own figures as JSON lines.

Benchmarks report; they do not gate: a missed target still exits 0. A command
that fails (non-zero exit, bad output) exits 1. Usage errors exit 2.
Stdlib only.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import importlib.util
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from benchlib import Case, Command, Context, Target  # noqa: E402


class CommandFailed(Exception):
    pass


# --------------------------------------------------------------------------
# Running one command

def substitute(text: str, tmp: Path, build: Path) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{build}", str(build))


def environment(cmd: Command, tmp: Path, build: Path) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), "LANG": "C.UTF-8"}
    env.update({k: substitute(v, tmp, build) for k, v in cmd.env.items()})
    return env


# The spawner: a fresh, small python3 that forks and execs the command, waits
# for it with os.wait4 and reports wall time, ru_maxrss and the exit status on
# a pipe. It exists because ru_maxrss of a child forked by this script starts
# at this script's own high-water mark (Linux copies the parent's mm into the
# child and records its peak again at exec), so after reading a large output
# every child would "use" as much memory as run.py once did. The spawner's own
# resident set (~9 MiB) remains a floor: a figure at or below it is reported
# as "<=". Wall time is taken in the spawner around posix_spawn + wait4, so
# the spawner's own start-up is not counted.
SPAWNER = r"""
import os, sys, time
fd = int(sys.argv[1])
argv = sys.argv[2:]
os.set_inheritable(fd, False)
floor = 0
try:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                floor = int(line.split()[1])
except OSError:
    pass
t0 = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)  # vfork and exec: no page tables copied
except OSError as e:
    os.write(2, ("cannot run %s: %s\n" % (argv[0], e)).encode())
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - t0
os.write(fd, ("%r %d %d %d\n" % (elapsed, usage.ru_maxrss, status, floor)).encode())
"""


def run_once(cmd: Command, tmp: Path, build: Path, capture: bool = False):
    """Runs cmd once; returns (seconds, peak RSS KiB, RSS floor KiB, stdout bytes or None)."""
    argv = [substitute(a, tmp, build) for a in cmd.argv]
    env = environment(cmd, tmp, build)
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        r, w = os.pipe()
        try:
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", SPAWNER, str(w)] + argv,
                                    env=env, cwd=tmp, stdin=subprocess.DEVNULL,
                                    stdout=out if capture else subprocess.DEVNULL, stderr=err, pass_fds=(w,))
        finally:
            os.close(w)
        with os.fdopen(r, "rb") as report:
            line = report.read().decode()
        spawner_rc = proc.wait()
        fields = line.split()
        if spawner_rc != 0 or len(fields) != 4:
            raise CommandFailed(f"{shlex.join(argv)}\n  " + (tail(err) or f"spawner exit code {spawner_rc}"))
        elapsed, maxrss, status, floor = float(fields[0]), int(fields[1]), int(fields[2]), int(fields[3])
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            text = tail(err)
            raise CommandFailed(f"{shlex.join(argv)}\n  failed with {how}"
                                + ("; stderr:\n    " + text.replace("\n", "\n    ") if text else ""))
        stdout = None
        if capture:
            out.seek(0)
            stdout = out.read()
    return elapsed, maxrss, floor, stdout  # ru_maxrss is in KiB on Linux


def tail(f) -> str:
    f.seek(0)
    return f.read()[-4000:].decode(errors="replace").rstrip()


def check_output(cmd: Command, stdout: bytes, argv_text: str) -> None:
    if cmd.check is None:
        return
    try:
        problem = cmd.check(stdout)
    except Exception as e:  # the check's own way of saying no
        problem = f"{type(e).__name__}: {e}"
    if problem:
        raise CommandFailed(f"{argv_text}\n  printed unexpected output: {problem}")


def show_argv(cmd: Command) -> str:
    if cmd.label:
        return cmd.label
    argv = list(cmd.argv)
    return shlex.join([os.path.basename(argv[0])] + argv[1:])


# --------------------------------------------------------------------------
# Cases

def summarize(times: list[float], rss: list[int], floors: list[int]) -> dict:
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "peak_rss_mib": max(rss) / 1024,
        # At or below the spawner's own resident set: the true peak is at most this.
        "peak_rss_at_floor": max(rss) <= max(floors) + 256,
        "rss_floor_mib": max(floors) / 1024,
        "times_ms": [round(t * 1000, 3) for t in times],
        "peak_rss_kib": [int(r) for r in rss],
    }


def judge(figure: str, value: float | None, limit: float | None, op: str = "<=") -> dict | None:
    if limit is None or value is None:
        return None
    met = value <= limit if op == "<=" else value >= limit
    return {"figure": figure, "value": value, "op": op, "limit": limit, "met": met}


def run_timed(case: Case, tmp: Path, build: Path, repeat: int) -> dict:
    sides = [("ours", case.ours)] + ([("peer", case.peer)] if case.peer else [])
    result: dict = {"kind": "timed", "repeat": repeat}
    for side, cmd in sides:  # warm-up, with the output checked
        _, _, _, stdout = run_once(cmd, tmp, build, capture=True)
        check_output(cmd, stdout, show_argv(cmd))
        result[side] = {"command": show_argv(cmd), "output_bytes": len(stdout)}
    samples = {side: ([], [], []) for side, _ in sides}
    for _ in range(repeat):  # alternate so that drifting load hits both sides alike
        for side, cmd in sides:
            t, r, floor, _ = run_once(cmd, tmp, build)
            samples[side][0].append(t)
            samples[side][1].append(r)
            samples[side][2].append(floor)
    for side, _ in sides:
        result[side].update(summarize(*samples[side]))

    ours, peer = result["ours"], result.get("peer")
    ratio = lambda a, b: a / b if b else float("inf")
    result["time_ratio"] = ratio(ours["median_ms"], peer["median_ms"]) if peer else None
    result["rss_ratio"] = ratio(ours["peak_rss_mib"], peer["peak_rss_mib"]) if peer else None
    t = case.target or Target()
    result["targets"] = [j for j in (
        judge("time_ratio", result["time_ratio"], t.time_ratio),
        judge("rss_ratio", result["rss_ratio"], t.rss_ratio),
        judge("time_ms", ours["median_ms"], t.time_ms),
        judge("rss_mib", ours["peak_rss_mib"], t.rss_mib),
    ) if j]
    return result


def parse_target(target, better: str | None):
    """Returns (op, limit) from 12.5 / "<= 12.5" / ">= 1000", or None."""
    if target is None:
        return None
    if isinstance(target, (int, float)):
        return (">=" if better == "higher" else "<=", float(target))
    text = str(target).strip()
    for op in ("<=", ">="):
        if text.startswith(op):
            return op, float(text[len(op):])
    raise ValueError(f"target {target!r} is not a number, '<= N' or '>= N'")


def run_figures(case: Case, tmp: Path, build: Path, repeat: int) -> dict:
    cmd = case.figures
    values: dict[str, list[float]] = {}
    meta: dict[str, dict] = {}
    times, rss, floors = [], [], []
    for _ in range(repeat):
        t, r, floor, stdout = run_once(cmd, tmp, build, capture=True)
        check_output(cmd, stdout, show_argv(cmd))
        times.append(t)
        rss.append(r)
        floors.append(floor)
        for line in stdout.decode(errors="replace").splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(obj, dict) or "name" not in obj or "value" not in obj:
                continue
            try:
                value = float(obj["value"])
            except (TypeError, ValueError):
                raise CommandFailed(f"{show_argv(cmd)}\n  figure {obj['name']}: value {obj['value']!r} "
                                    "is not a number") from None
            values.setdefault(obj["name"], []).append(value)
            meta[obj["name"]] = obj
    if not values:
        raise CommandFailed(f"{show_argv(cmd)}\n  printed no figure lines "
                            '({"name": ..., "value": ..., "unit": ...})')
    figures = []
    for name, vals in values.items():
        m = meta[name]
        fig = {"name": name, "value": statistics.median(vals), "values": vals,
               "unit": m.get("unit", ""), "target": None}
        try:
            parsed = parse_target(m.get("target"), m.get("better"))
        except ValueError as e:
            raise CommandFailed(f"{show_argv(cmd)}\n  figure {name}: {e}") from None
        if parsed:
            fig["target"] = judge(name, fig["value"], parsed[1], parsed[0])
        figures.append(fig)
    result = {"kind": "figures", "repeat": repeat, "command": show_argv(cmd), "figures": figures}
    result["ours"] = {"command": show_argv(cmd), **summarize(times, rss, floors)}
    t = case.target or Target()
    result["targets"] = [j for j in (
        judge("time_ms", result["ours"]["median_ms"], t.time_ms),
        judge("rss_mib", result["ours"]["peak_rss_mib"], t.rss_mib),
    ) if j] + [f["target"] for f in figures if f["target"]]
    return result


# --------------------------------------------------------------------------
# Report

def fmt_target(j: dict | None) -> str:
    if not j:
        return ""
    limit = f"{j['limit']:.2f}" if j["figure"].endswith("ratio") else f"{j['limit']:g}"
    return f"{j['op']} {limit}  {'met' if j['met'] else 'MISSED'}"


def mib(side: dict, unit: str = " MiB") -> str:
    at_floor = side.get("peak_rss_at_floor")
    return f"{'<=' if at_floor else ''}{side['peak_rss_mib']:.1f}{unit}"


def print_timed(case: Case, res: dict) -> None:
    ours, peer = res["ours"], res.get("peer")
    print(f"   ours: {ours['command']}")
    if peer:
        print(f"   peer: {peer['command']}")
    print(f"   {res['repeat']} runs each after 1 warm-up" + (", alternating" if peer else ""))
    targets = {j["figure"]: j for j in res["targets"]}
    rows = [("", "ours", "peer", "ours/peer", "target")]
    na = "-"
    rows.append(("time median", f"{ours['median_ms']:.1f} ms", f"{peer['median_ms']:.1f} ms" if peer else na,
                 f"{res['time_ratio']:.3f}" if peer else na,
                 fmt_target(targets.get("time_ratio") or targets.get("time_ms"))))
    rows.append(("time min", f"{ours['min_ms']:.1f} ms", f"{peer['min_ms']:.1f} ms" if peer else na,
                 f"{ours['min_ms'] / peer['min_ms']:.3f}" if peer else na, ""))
    rows.append(("peak RSS", mib(ours), mib(peer) if peer else na,
                 f"{res['rss_ratio']:.3f}" if peer else na,
                 fmt_target(targets.get("rss_ratio") or targets.get("rss_mib"))))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("   " + r[0].ljust(widths[0]) + "".join("  " + c.rjust(w) for c, w in zip(r[1:4], widths[1:4]))
              + ("  " + r[4] if r[4] else ""))


def print_figures(case: Case, res: dict) -> None:
    print(f"   command: {res['command']}  ({res['repeat']} run{'s' if res['repeat'] > 1 else ''}, "
          f"median {res['ours']['median_ms']:.1f} ms, peak RSS {mib(res['ours'])})")
    rows = [("figure", "value", "unit", "target")]
    for f in res["figures"]:
        rows.append((f["name"], f"{f['value']:.6g}", f["unit"], fmt_target(f["target"])))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print(f"   {r[0].ljust(widths[0])}  {r[1].rjust(widths[1])}  {r[2].ljust(widths[2])}  {r[3]}".rstrip())


def print_summary(results: list[dict]) -> None:
    rows = [("case", "ours ms", "peer ms", "ratio", "ours MiB", "peer MiB", "ratio", "targets")]
    for res in results:
        if "error" in res:
            rows.append((res["name"], "FAILED", "", "", "", "", "", ""))
            continue
        ours, peer = res["ours"], res.get("peer")
        met = sum(j["met"] for j in res["targets"])
        rows.append((res["name"], f"{ours['median_ms']:.1f}", f"{peer['median_ms']:.1f}" if peer else "-",
                     f"{res['time_ratio']:.3f}" if peer else "-", mib(ours, ""),
                     mib(peer, "") if peer else "-", f"{res['rss_ratio']:.3f}" if peer else "-",
                     f"{met}/{len(res['targets'])} met" if res["targets"] else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print("\nSummary (median wall time, max peak RSS, ours/peer):")
    for r in rows:
        print("   " + r[0].ljust(widths[0]) + "".join("  " + c.rjust(w) for c, w in zip(r[1:], widths[1:])))


# --------------------------------------------------------------------------

def discover(ctx: Context) -> list[tuple[str, Case]]:
    found = []
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not callable(getattr(module, "cases", None)):
            raise SystemExit(f"run.py: {path.name} has no cases(ctx) function")
        group = path.stem[len("bench_"):]
        names = set()
        for case in module.cases(ctx):
            if not isinstance(case, Case):
                raise SystemExit(f"run.py: {path.name}: cases() returned {case!r}, not a benchlib.Case")
            if case.name in names:
                raise SystemExit(f"run.py: {path.name}: two cases named {case.name}")
            names.add(case.name)
            found.append((group, case))
    return found


def selected(group: str, case: Case, patterns: list[str] | None) -> bool:
    if not patterns:
        return True
    return any(fnmatch.fnmatchcase(case.name, p) or fnmatch.fnmatchcase(group, p) for p in patterns)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", required=True, type=Path, help="CMake build dir (Release), with bin/")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="run only cases, or bench_NAME.py modules, matching this glob; repeatable")
    ap.add_argument("--repeat", type=int, default=5, metavar="N", help="timed runs per command (default 5)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--keep-tmp", action="store_true", help="keep each case's temporary directory")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    build = args.build_dir.resolve()
    ctx = Context(build_dir=build, bench_dir=BENCH_DIR)
    cases = [(g, c) for g, c in discover(ctx) if selected(g, c, args.only)]
    if args.list:
        for g, c in cases:
            print(f"{c.name:24} bench_{g}.py  {c.description}")
        return 0
    if not cases:
        ap.error(f"no case matches {args.only}; see --list")
    if not build.is_dir():
        ap.error(f"build dir {build} does not exist")

    started = datetime.datetime.now().astimezone()
    load0 = os.getloadavg()
    print(f"Bramble benchmarks, {started:%Y-%m-%d %H:%M %Z}, {platform.node()}, {os.cpu_count()} CPUs, "
          f"load {load0[0]:.2f}; build dir {build}")
    results = []
    failed = False
    for group, case in cases:
        repeat = case.repeat or (args.repeat if case.figures is None else 1)
        print(f"\n== {case.name}" + (f": {case.description}" if case.description else ""))
        sys.stdout.flush()
        tmp = Path(tempfile.mkdtemp(prefix=f"bramble-bench-{case.name}-"))
        try:
            if case.setup:
                case.setup(tmp)
            if case.figures is not None:
                res = run_figures(case, tmp, build, repeat)
                print_figures(case, res)
            else:
                res = run_timed(case, tmp, build, repeat)
                print_timed(case, res)
        except CommandFailed as e:
            failed = True
            res = {"error": str(e)}
            print(f"   FAILED: {e}", file=sys.stderr)
        finally:
            if case.teardown:
                case.teardown(tmp)
            if args.keep_tmp:
                print(f"   (temporary files kept in {tmp})")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        results.append({"name": case.name, "module": f"bench_{group}.py", "description": case.description, **res})
        sys.stdout.flush()

    print_summary(results)
    judged = [j for r in results for j in r.get("targets", [])]
    missed = [j for j in judged if not j["met"]]
    load1 = os.getloadavg()
    print(f"\n{len(judged) - len(missed)} of {len(judged)} targets met"
          + (f"; missed: {len(missed)} (benchmarks report, they do not gate)" if missed else "")
          + f". Load average {load0[0]:.2f} -> {load1[0]:.2f}.")
    if failed:
        print("Some commands FAILED; see above.", file=sys.stderr)

    if args.json:
        doc = {
            "started": started.isoformat(timespec="seconds"),
            "host": {"node": platform.node(), "cpus": os.cpu_count(), "platform": platform.platform(),
                     "python": platform.python_version(), "loadavg_start": load0, "loadavg_end": load1},
            "build_dir": str(build),
            "repeat": args.repeat,
            "cases": results,
        }
        args.json.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"Results written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
