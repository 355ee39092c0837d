#!/usr/bin/env python3
"""House rules every production source file must keep.

  format   clang-format (the repo's .clang-format) changes nothing;
  length   no production file is longer than 700 lines.

Production files are the C++ sources under app/, ui/, models/ and services/.
Exit 0 when clean; 1 with one line per offending file; 77 (ctest: skipped)
for the format check when no clang-format is installed.
"""
import argparse
import os
import shutil
import subprocess
import sys

PRODUCTION_DIRS = ("app", "ui", "models", "services")
MAX_LINES = 700


def production_files(root):
    for top in PRODUCTION_DIRS:
        for dirpath, _dirs, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if name.endswith((".cpp", ".h")):
                    yield os.path.join(dirpath, name)


def check_format(root, files):
    tool = shutil.which("clang-format")
    if not tool:
        print("check_sources: clang-format is not installed (installers/setup.sh installs it); skipped")
        return 77
    # One clang-format process for all the files (a process per file took
    # two minutes on a loaded 2-core machine); it names each file it would change.
    proc = subprocess.run([tool, "--dry-run", "--Werror", "--style=file", *files],
                          cwd=root, capture_output=True, text=True)
    flagged = set()
    for line in proc.stderr.splitlines():
        if "error: code should be clang-formatted" in line:
            flagged.add(line.split(":", 1)[0])
    if proc.returncode != 0 and not flagged:
        print(f"check_sources: clang-format failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")
        return 1
    bad = sorted(os.path.relpath(f, root) for f in flagged)
    for rel in bad:
        print(f"{rel}: not formatted with the repo's .clang-format (run: clang-format -i {rel})")
    return 1 if bad else 0


def check_length(root, files):
    bad = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = sum(1 for _ in f)
        if lines > MAX_LINES:
            bad += 1
            print(f"{os.path.relpath(path, root)}: {lines} lines, more than {MAX_LINES}: split it by responsibility")
    return 1 if bad else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("check", choices=("format", "length"))
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    root = os.path.abspath(args.source)
    files = list(production_files(root))
    if not files:
        print(f"check_sources: no production files under {root}")
        return 1
    return (check_format if args.check == "format" else check_length)(root, files)


if __name__ == "__main__":
    sys.exit(main())
