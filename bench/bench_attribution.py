"""Attribution layer time and peak memory on a database the pipeline already built (not a test).

    .venv/bin/python bench/bench_attribution.py data/warehouse/journeys.duckdb

Copies the database, then rebuilds the attribution tables in a child process per step
(attribution, branches, opportunity) and reports seconds, peak RSS, journeys and distinct paths.
Results are appended to bench/results/attribution.jsonl with the machine's size.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from recording import REPO, append_result, machine  # bench/ is on sys.path

STEP = """
import sys
from pipeline import settings
from pipeline.attribution import (build_attribution_tables, build_branch_tables,
                                  build_opportunity_tables, load_settings)
from pipeline.journey_map import load_maps
from pipeline.resources import connect
config = load_settings(settings.attribution_config_path())
maps = load_maps(settings.maps_dir())
with connect(sys.argv[1]) as conn:
    {call}
"""
CALLS = {
    "attribution": "build_attribution_tables(conn, config, maps)",
    "branches": "build_branch_tables(conn, config)",
    "opportunity": "build_opportunity_tables(conn, config)",
}


def bench(database: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.duckdb"
        shutil.copy(database, copy)
        result = {}
        for step, call in CALLS.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", STEP.format(call=call), str(copy)],
                           check=True, cwd=REPO)
            peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
            result[step] = {"seconds": round(time.monotonic() - started, 1),
                            "peak_rss_gb": round(peak / 1024 / 1024, 2)}
        with duckdb.connect(str(copy), read_only=True) as conn:
            journeys, paths, anchors = conn.execute("""
                select (select count(*) from int_attribution_journeys),
                       (select count(distinct (map_id, level, grain, path))
                        from int_attribution_paths where level = 'touchpoint'),
                       (select count(*) from int_branch_anchors)""").fetchall()[0]
    return {"database": str(database), "journeys": journeys, "distinct_paths": paths,
            "branch_anchors": anchors, **result, **machine()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path)
    args = parser.parse_args()
    row = bench(args.database)
    print(json.dumps(row))
    append_result("attribution", row)


if __name__ == "__main__":
    main()
