"""Run every benchmark in bench/ and print one table.

Usage: .venv/bin/python bench/run.py [--quick] [NAME ...]
Each `bench/bench_<name>.py` has `main(quick: bool = False) -> dict[str, float]`.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.3f}".rstrip("0")


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("names", nargs="*", help="only these (e.g. classifier poll)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))
    paths = sorted(HERE.glob("bench_*.py"))
    if args.names:
        paths = [p for p in paths if p.stem.removeprefix("bench_") in args.names]
    rows: list[tuple[str, str, str]] = []
    failed = 0
    for path in paths:
        started = time.perf_counter()
        try:
            bench = load(path).main  # type: ignore[attr-defined]
            quick = (
                {"quick": True}
                if args.quick and "quick" in inspect.signature(bench).parameters
                else {}
            )
            results: dict[str, float] = bench(**quick)
        except Exception as exc:  # one broken benchmark must not hide the others' numbers
            failed += 1
            rows.append((path.stem, "FAILED", f"{type(exc).__name__}: {exc}"))
            continue
        for key, value in results.items():
            rows.append((path.stem.removeprefix("bench_"), key, _number(value)))
        print(f"  {path.stem} done in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    print(f"machine: {machine()}")
    width = max((len(r[0]) for r in rows), default=5), max((len(r[1]) for r in rows), default=6)
    print(f"| {'bench':<{width[0]}} | {'metric':<{width[1]}} | value |")
    print(f"|{'-' * (width[0] + 2)}|{'-' * (width[1] + 2)}|-------|")
    for bench_name, metric, value in rows:
        print(f"| {bench_name:<{width[0]}} | {metric:<{width[1]}} | {value} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
