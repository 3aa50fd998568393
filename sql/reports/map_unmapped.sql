-- Event types of one map's customers that no touchpoint matches, biggest first, with their raw
-- names (at most five shown).
select
    source_system,
    event_type,
    source_system || ' · ' || event_type as event,
    n_events,
    n_customers,
    share_of_events,
    array_to_string(event_names[1:5], ', ')
        || case when len(event_names) > 5 then ', …' else '' end as event_names,
    last_seen_at,
from map_coverage_unmapped
where map_id = $map_id
order by n_events desc, source_system, event_type;
