-- Events per source system and week (Monday, UTC): is every source arriving, every week?
select
    source_system,
    event_week::date as week_start,
    count(*) as n_events,
from events
group by all
order by week_start, source_system;
