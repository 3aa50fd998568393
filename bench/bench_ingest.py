"""Ingestion + identity throughput and peak memory (not a test; numbers go in the README).

    .venv/bin/python bench/bench_ingest.py --customers 20000 200000

For each size: generate the sample company (not timed), then, in a child process, materialise
the ingestion and identity assets through Dagster exactly as `journeys run` does (raw loads with
their reconciliation checks, staged views, identity inputs, every week of `events` in one run,
identity), but not the layers other issues build on top (journeys, metrics, reports). Reports
events/s, the child's peak RSS and CPU seconds, the seconds of every Dagster step, and the machine's load
average before and after (the machine is shared: a high load means slower numbers).
Results are appended to bench/results/ingest.jsonl with the machine's size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from recording import REPO, append_result, machine  # run as a script: bench/ is on sys.path

IDENTITY_ASSETS = ["identifiers", "identity_edges", "person_map", "event_customers",
                   "customers", "identity_audit_sources"]


def run_child(exports: Path, database: Path) -> None:
    """Materialise ingestion + identity; print each step's seconds as one JSON line."""
    import dagster as dg

    from pipeline import staging
    from pipeline.definitions import defs
    from pipeline.jobs import week_range_tags
    from pipeline.partitions import events_weekly_partition, week_keys
    from pipeline.project import JourneysProject
    from pipeline.resources import JourneysDuckDB, connect
    from pipeline.settings import sources_config_path
    from pipeline.sources import load_sources_config

    config = sources_config_path()
    resources = {
        "duckdb": JourneysDuckDB(database=str(database)),
        "project": JourneysProject(exports_dir=str(exports), sources_config=str(config)),
    }
    everything = list(defs.assets or []) + list(defs.asset_checks or [])
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    instance = dg.DagsterInstance.ephemeral()
    steps: dict[str, float] = {}

    def materialize(selection, **kwargs) -> None:
        result = dg.materialize(everything, instance=instance, resources=resources,
                                run_config=quiet, selection=selection, raise_on_error=True,
                                **kwargs)
        for stat in instance.get_run_step_stats(result.run_id):
            steps[stat.step_key] = round(stat.end_time - stat.start_time, 2)

    materialize(dg.AssetSelection.groups("raw")
                | dg.AssetSelection.assets("staged_views", "identity_inputs"))
    with connect(database, read_only=True) as conn:
        span = staging.week_span(conn, staging.event_views(load_sources_config(config)))
    available = set(events_weekly_partition.get_partition_keys())
    weeks = [k for k in week_keys(*span) if k in available]
    materialize(dg.AssetSelection.assets("events", *IDENTITY_ASSETS),
                tags=week_range_tags(weeks[0], weeks[-1]))
    print(json.dumps({"steps": steps, "weeks": len(weeks)}))


def bench(customers: int, workdir: Path) -> dict:
    exports = workdir / f"exports-{customers}"
    database = workdir / f"bench-{customers}.duckdb"
    if not exports.exists():
        subprocess.run([sys.executable, "-m", "pipeline.cli", "generate", "--customers",
                        str(customers), "--out", str(exports)], check=True, cwd=REPO)
    database.unlink(missing_ok=True)
    load_before = os.getloadavg()
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage_before.ru_maxrss
    started = time.monotonic()
    child = subprocess.run([sys.executable, __file__, "--child", str(exports), str(database)],
                           check=True, cwd=REPO, capture_output=True, text=True)
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss
    cpu_seconds = (usage.ru_utime + usage.ru_stime
                   - usage_before.ru_utime - usage_before.ru_stime)
    report = json.loads(child.stdout.strip().splitlines()[-1])
    with duckdb.connect(str(database), read_only=True) as conn:
        events, rows_read = conn.execute(
            "select (select count(*) from events), (select sum(rows_read) from load_ledger)"
        ).fetchall()[0]
    return {
        "customers": customers, "events": events, "rows_read": int(rows_read),
        "seconds": round(seconds, 1), "events_per_second": round(events / seconds),
        "peak_rss_gb": round(max(peak_kb, before) / 1024 / 1024, 2),
        # CPU time is what a busy shared machine inflates least: events per CPU-second times
        # the cores is the rate an idle machine could reach at best.
        "cpu_seconds": round(cpu_seconds, 1),
        "events_per_cpu_second": round(events / cpu_seconds),
        "step_seconds": report["steps"],
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        **machine(),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.insert(0, str(REPO))
        run_child(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "journeys-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for n in args.customers:
        result = bench(n, args.workdir)
        print(json.dumps(result))
        append_result("ingest", result)


if __name__ == "__main__":
    main()
