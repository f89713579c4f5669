"""Benchmark the build stages and the end-to-end time of ``kg query NAME`` as a process.

The peer is the floor for any Python CLI over the same store: a bare ``python -c`` that imports pyoxigraph, opens
the same store read-only, runs the same (bound) query text and writes CSV. Both are run alternately in the same
session, and the script prints medians and the ratio (target: kg within 1.5x of the floor).

    .venv/bin/python benchmarks/query_bench.py [--runs 30] [--query participants]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.catalog import find_query  # noqa: E402
from kg.config import Settings  # noqa: E402

FLOOR = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
result = store.query(sys.argv[2], use_default_graph_as_union=True)
result.serialize(sys.stdout.buffer, ox.QueryResultsFormat.CSV)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--query", default="participants")
    args = ap.parse_args()

    # An installed package has its bytecode compiled; make sure ours is too, even where the environment sets
    # PYTHONDONTWRITEBYTECODE (compiling kg's modules on every run would cost ~10 ms and measure nothing useful).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kg")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(root=ROOT, build_dir=Path(tmp) / "build")
        print("build stages:")
        report = build(settings)
        for name, took, counts in report.stages:
            print(f"  {name:<10} {took * 1000:8.1f} ms  {counts}")
        print(f"  {'total':<10} {sum(t for _n, t, _c in report.stages) * 1000:8.1f} ms")

        text = find_query(settings, args.query).bind({}, settings.prefixes)
        kg_bin = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"
        env = {**os.environ, "KG_ROOT": str(ROOT), "KG_BUILD_DIR": str(settings.build_dir)}
        kg_cmd = [kg_bin, "query", args.query, "--format", "csv"]
        floor_cmd = [sys.executable, "-c", FLOOR, str(settings.store_dir), text]
        for cmd in (kg_cmd, floor_cmd):  # warm the page cache and the catalog cache
            timed(cmd, env)
        kg_times, floor_times = [], []
        for _ in range(args.runs):
            kg_times.append(timed(kg_cmd, env))
            floor_times.append(timed(floor_cmd, env))

    def show(label: str, xs: list[float]) -> None:
        xs = sorted(xs)
        p90 = xs[int(0.9 * (len(xs) - 1))]
        print(f"  {label:<34} median {statistics.median(xs) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms")

    print(f"\nend to end, {args.runs} runs each, alternating:")
    show(f"kg query {args.query}", kg_times)
    show("python -c (pyoxigraph floor)", floor_times)
    ratio = statistics.median(kg_times) / statistics.median(floor_times)
    print(f"  ratio kg / floor: {ratio:.2f}x (target <= 1.50x) -> {'OK' if ratio <= 1.5 else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
