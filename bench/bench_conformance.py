"""Conformance throughput and peak memory on synthetic journeys (not a test; numbers go in the
README).

    .venv/bin/python bench/bench_conformance.py --journeys 1000000

Writes a generic event file (Parquet, not timed) of journeys through the stages Awareness,
Consideration, Purchase, Onboarding (optional), Renewal (optional, repeatable), with planted
noise: skipped stages, stray events (unexpected touchpoints, stages out of place) and repeated
renewals. Then runs
`journeys conformance --format json` on it in a child process and reports wall time, peak RSS,
events, journeys and distinct variants (the alignment runs once per variant). Results are
appended to bench/results/conformance.jsonl with the machine's size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from recording import REPO, append_result, machine  # run as a script: bench/ is on sys.path

IDEAL = """\
stages:
  - {name: Awareness}
  - {name: Consideration}
  - {name: Purchase}
  - {name: Onboarding, optional: true}
  - {name: Renewal, optional: true, repeatable: true}
"""

# One row per journey, then its events: the ideal path with noise drawn per journey from
# hash-based uniforms, so the file is the same for the same size.
EVENTS_SQL = """
copy (
    with journeys as (
        select
            i,
            'p' || i as person_id,
            timestamp '2026-01-01' + to_seconds((hash(i, 'start') % 31536000)::bigint) as t0,
            (hash(i, 'depth') % 100) as depth_u,
            (hash(i, 'noise') % 100) as noise_u,
            (hash(i, 'renewals') % 4) as renewals
        from range($n) as t(i)
    ),
    stages as (
        select * from (values
            (1, 'Awareness', 0), (2, 'Consideration', 10), (3, 'Purchase', 45),
            (4, 'Onboarding', 60), (5, 'Renewal', 75)) as s(k, name, min_depth)
    ),
    ideal_events as (
        -- deeper journeys are rarer: depth_u below a stage's threshold stops before it
        select j.person_id, j.t0, j.i, s.k, s.name,
            j.t0 + to_hours((s.k * 24 + hash(j.i, s.k) % 24)::bigint) as ts
        from journeys j join stages s on j.depth_u >= s.min_depth
        where not (j.noise_u < 8 and s.k = 2)          -- skipped Consideration
    ),
    renewals as (
        select j.person_id, j.t0, j.i, 5 as k, 'Renewal' as name,
            j.t0 + to_days((365 * r.n)::bigint) as ts
        from journeys j, range(1, 4) as r(n)
        where j.depth_u >= 75 and r.n <= j.renewals
    ),
    noise as (
        -- up to three stray events per journey, anywhere in its first two weeks: unexpected
        -- touchpoints, or stages out of place (loops back, early visits)
        select j.person_id, j.t0, j.i, 0 as k,
            (['Webinar', 'Support Call', 'Newsletter', 'Awareness', 'Consideration',
              'Purchase'])[1 + (hash(j.i, r.n, 'what') % 6)::bigint] as name,
            j.t0 + to_minutes((hash(j.i, r.n, 'when') % (14 * 24 * 60))::bigint) as ts
        from journeys j, range(3) as r(n)
        where hash(j.i, r.n, 'stray') % 100 < 12
    )
    select person_id, name as event, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') as timestamp
    from (select * from ideal_events union all select * from renewals union all
          select * from noise)
) to '{path}' (format parquet)
"""


def bench(journeys: int, workdir: Path) -> dict:
    events = workdir / f"events-{journeys}.parquet"
    ideal = workdir / "ideal.yaml"
    ideal.write_text(IDEAL)
    if not events.exists():
        with duckdb.connect() as conn:
            conn.execute(EVENTS_SQL.replace("{path}", str(events)), {"n": journeys})
    with duckdb.connect() as conn:
        n_events = conn.execute(f"select count(*) from '{events}'").fetchall()[0][0]
    output = workdir / f"report-{journeys}.json"
    started = time.monotonic()
    with output.open("w") as fh:
        subprocess.run([sys.executable, "-m", "pipeline.cli", "conformance", "--events",
                        str(events), "--ideal", str(ideal), "--format", "json"],
                       check=True, cwd=REPO, stdout=fh)
    seconds = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with duckdb.connect() as conn:
        n_journeys, n_variants, log_fitness = conn.execute(
            f"select len(journeys), len(variants), log_fitness "
            f"from read_json('{output}', maximum_object_size = 2000000000)").fetchall()[0]
    return {
        "journeys": n_journeys, "events": n_events, "variants": n_variants,
        "log_fitness": round(log_fitness, 4), "seconds": round(seconds, 1),
        "journeys_per_second": round(n_journeys / seconds),
        "peak_rss_gb": round(peak_kb / 1024 / 1024, 2),
        "json_mb": round(output.stat().st_size / 1e6, 1), **machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "journeys-bench-conformance")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for n in args.journeys:
        result = bench(n, args.workdir)
        print(json.dumps(result))
        append_result("conformance", result)


if __name__ == "__main__":
    main()
