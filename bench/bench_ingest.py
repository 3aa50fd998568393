"""Ingestion + identity throughput and peak memory (not a test; numbers go in the README).

    .venv/bin/python bench/bench_ingest.py --customers 20000 200000

For each size: generate the sample company (not timed), then run `journeys run` in a child
process (loading, staging, weekly events, identity) and report events/s and its peak RSS.
Results are appended to bench/results/ingest.jsonl with the machine's size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent


def machine() -> dict:
    mem_kb = int(next(line.split()[1] for line in open("/proc/meminfo")
                      if line.startswith("MemTotal")))
    return {"cpus": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__}


def bench(customers: int, workdir: Path) -> dict:
    exports = workdir / f"exports-{customers}"
    database = workdir / f"bench-{customers}.duckdb"
    journeys = [sys.executable, "-m", "pipeline.cli"]
    if not exports.exists():
        subprocess.run(journeys + ["generate", "--customers", str(customers), "--out",
                                   str(exports)], check=True, cwd=REPO)
    database.unlink(missing_ok=True)
    env = dict(os.environ, DAGSTER_HOME=str(workdir / "dagster"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    subprocess.run(journeys + ["run", "--exports", str(exports), "--database", str(database)],
                   check=True, cwd=REPO, env=env)
    seconds = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with duckdb.connect(str(database), read_only=True) as conn:
        events, rows_read = conn.execute(
            "select (select count(*) from events), (select sum(rows_read) from load_ledger)"
        ).fetchall()[0]
    return {
        "customers": customers, "events": events, "rows_read": int(rows_read),
        "seconds": round(seconds, 1), "events_per_second": round(events / seconds),
        "peak_rss_gb": round(max(peak_kb, before) / 1024 / 1024, 2),
        **machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "journeys-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    for n in args.customers:
        result = bench(n, args.workdir)
        print(json.dumps(result))
        with (out / "ingest.jsonl").open("a") as fh:
            fh.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
