"""Weekly partitions that start on Monday (ISO weeks), in UTC.

Dagster's weekly partitions start on Sunday unless told otherwise; day_offset=1 makes every
key a Monday, matching `events.event_week`.
"""

import dagster as dg

from pipeline import settings

events_weekly_partition = dg.WeeklyPartitionsDefinition(
    start_date=settings.first_week(), day_offset=1, timezone="UTC"
)
