"""Pick up export files dropped into the inbox folder (the exports folder by default).

The cursor remembers every file's modification time, so a file is picked up once, and again
only if it changes. New files can hold events of any past week (exports arrive late), so the
run rebuilds every week: events are idempotent per week, so this only costs time.
"""


import json
from pathlib import Path

import dagster as dg

from pipeline.jobs import journeys_job, week_range_tags
from pipeline.partitions import events_weekly_partition
from pipeline.project import JourneysProject


def scan_inbox(inbox: Path) -> dict[str, float]:
    if not inbox.is_dir():
        return {}
    return {str(p.relative_to(inbox)): p.stat().st_mtime
            for p in sorted(inbox.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@dg.sensor(
    job=journeys_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs the pipeline when new or changed export files appear in the inbox.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, project: JourneysProject):
    seen: dict[str, float] = json.loads(context.cursor) if context.cursor else {}
    current = scan_inbox(project.exports_path)
    changed = sorted(name for name, mtime in current.items() if seen.get(name) != mtime)
    if not changed:
        return dg.SkipReason(f"no new files in {project.exports_path}")
    keys = events_weekly_partition.get_partition_keys(dynamic_partitions_store=None)
    if not keys:
        return dg.SkipReason("no complete weekly partition yet")
    run_key = "inbox:" + ",".join(f"{n}@{current[n]}" for n in changed)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags=week_range_tags(keys[0], keys[-1]))],
        cursor=json.dumps(current, sort_keys=True),
    )
