-- Rows a staging view holds outside every weekly partition: before the first week
-- (JOURNEYS_FIRST_WEEK) or from the start of the current, unfinished week. No run of `events`
-- builds them, so the asset check staged_events_outside_partitions reports them.
select
    count(*) filter (where occurred_at < $partitions_start) as before_first_week,
    count(*) filter (where occurred_at >= $partitions_end) as in_unfinished_week,
    min(occurred_at) filter (where occurred_at < $partitions_start) as earliest,
    max(occurred_at) filter (where occurred_at >= $partitions_end) as latest
from {{view}}
where occurred_at < $partitions_start or occurred_at >= $partitions_end;
