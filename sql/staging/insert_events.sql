-- Add one staging view's events for the weeks being built. Columns are matched by name, so a
-- view supplies only the canonical columns it knows; the rest stay NULL.
insert into events by name
select
    *,
    week_of(occurred_at) as event_week
from {{view}}
where occurred_at >= $start_at and occurred_at < $end_at;
