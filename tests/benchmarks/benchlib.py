"""What a benchmark module returns to tests/benchmarks/run.py.

A module tests/benchmarks/bench_NAME.py defines

    def cases(ctx: Context) -> list[Case]

and run.py measures every case it returns. Stdlib only.

Placeholders: in a Command's argv and env values, "{tmp}" is replaced by the
case's own temporary directory (created fresh, passed to setup, removed at the
end) and "{build}" by the --build-dir given to run.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence


@dataclasses.dataclass(frozen=True)
class Context:
    build_dir: Path  # absolute
    bench_dir: Path  # tests/benchmarks

    def binary(self, name: str) -> Path:
        """A program built by the project, e.g. ctx.binary("bramblectl")."""
        return self.build_dir / "bin" / name


@dataclasses.dataclass(frozen=True)
class Command:
    argv: Sequence[str]
    # Added to a minimal base environment (PATH, LANG=C.UTF-8); nothing else
    # is inherited from the caller, so both sides of a comparison see the same.
    env: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Called once with the stdout of the warm-up run (bytes); raise or return
    # a message (str) when the output is wrong. None: not checked.
    check: Optional[Callable[[bytes], Optional[str]]] = None
    label: str = ""  # shown in the report, e.g. "kubectl 1.32"


@dataclasses.dataclass(frozen=True)
class Target:
    """Limits the figures should stay within; a missed one is reported, never fatal."""

    time_ratio: Optional[float] = None  # ours/peer median wall time <= this
    rss_ratio: Optional[float] = None   # ours/peer max peak RSS <= this
    time_ms: Optional[float] = None     # ours median wall time <= this (no-peer cases)
    rss_mib: Optional[float] = None     # ours max peak RSS <= this


@dataclasses.dataclass(frozen=True)
class Case:
    """Either ours (+ optional peer) is timed, or figures reports its own numbers.

    Timed case: `ours` and usually `peer` (a tool written by others doing the
    same job) are each run once to warm up, then `repeat` times, alternately.

    Figure case: `figures` is run (once by default) and each line of its stdout
    that is a JSON object {"name", "value", "unit", "target"?, "better"?} is a
    figure. "target" is a number or a string "<= 12.5" / ">= 1000"; a bare
    number is an upper bound unless "better" is "higher".
    """

    name: str
    ours: Optional[Command] = None
    peer: Optional[Command] = None
    figures: Optional[Command] = None
    setup: Optional[Callable[[Path], None]] = None  # gets the case's temp dir
    teardown: Optional[Callable[[Path], None]] = None  # always called after the case (stop servers)
    target: Optional[Target] = None
    description: str = ""
    repeat: Optional[int] = None  # overrides --repeat for this case

    def __post_init__(self) -> None:
        if (self.ours is None) == (self.figures is None):
            raise ValueError(f"case {self.name}: give exactly one of ours= or figures=")
        if self.peer is not None and self.ours is None:
            raise ValueError(f"case {self.name}: a peer needs ours=")
