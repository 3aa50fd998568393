"""Every Monday, build last week (the last complete ISO week) and everything that depends on it."""

import dagster as dg

from pipeline.jobs import journeys_job

# Monday 06:00 UTC ("0 6 * * 1"): Sunday's late events have had six hours to arrive.
journeys_weekly_schedule = dg.build_schedule_from_partitioned_job(
    journeys_job,
    day_of_week=1,
    hour_of_day=6,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
