"""Pick up export files dropped into the inbox folder (the exports folder by default).

The cursor remembers every file's modification time, so a file is picked up once, and again
only if it changes. New files can hold events of any past week (exports arrive late). A file of
an object whose events are its own rows, dated by the row's own time (web, email, survey and
generic events), changes only the weeks its rows fall in: the sensor parses it (in memory,
exactly as the load will) and the run rebuilds from its first to its last week. A snapshot
export (CRM contacts and deals, Zendesk tickets, ...) can move a record's events to another
week, and a file the sensor cannot read is the load's to report, so those rebuild every week.
"""


import json
from pathlib import Path

import dagster as dg

from pipeline.jobs import journeys_job, week_range_tags
from pipeline.loading import event_weeks_in_file
from pipeline.partitions import events_weekly_partition
from pipeline.project import JourneysProject


#: (kind, object) pairs whose staged events are their own rows at their own time.
ROW_DATED_OBJECTS = {("sendgrid", "events"), ("segment", "events"), ("surveys", "responses"),
                     ("generic", "events")}


def weeks_to_rebuild(project: JourneysProject, names: list[str], keys: list[str]) -> list[str]:
    """The partition keys the new files touch: a contiguous range of `keys`."""
    objects = project.objects()
    touched = set()
    for name in names:
        path = project.exports_path / name
        owner = next((o for o in objects if path in o.find_files()), None)
        if owner is None:
            continue  # not an export of any source: loads nothing
        if (owner.kind, owner.spec.name) not in ROW_DATED_OBJECTS:
            return keys
        try:
            touched.update(monday.isoformat() for monday in event_weeks_in_file(owner, path))
        except Exception:  # the load will name the problem; rebuild everything meanwhile
            return keys
    inside = [k for k in keys if k in touched]
    return keys[keys.index(inside[0]):keys.index(inside[-1]) + 1] if inside else []


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
    weeks = weeks_to_rebuild(project, changed, keys)
    if not weeks:
        # Nothing to rebuild weekly, but the new files still need loading (ingest + identity).
        weeks = keys[-1:]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags=week_range_tags(weeks[0], weeks[-1]))],
        cursor=json.dumps(current, sort_keys=True),
    )
