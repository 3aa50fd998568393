"""Weekly partitions that start on Monday (ISO weeks), in UTC.

Dagster's weekly partitions start on Sunday unless told otherwise; day_offset=1 makes every
key a Monday, matching `events.event_week`.
"""

from datetime import date, timedelta

import dagster as dg

from pipeline import settings

events_weekly_partition = dg.WeeklyPartitionsDefinition(
    start_date=settings.first_week(), day_offset=1, timezone="UTC"
)


def week_keys(first: date, last: date) -> list[str]:
    """Partition keys (Mondays) from the week of `first` through the week of `last`."""
    start = first - timedelta(days=first.weekday())
    keys = []
    while start <= last:
        keys.append(start.isoformat())
        start += timedelta(days=7)
    return keys
