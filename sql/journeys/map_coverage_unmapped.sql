-- map_coverage_unmapped: event types of a map's customers that no touchpoint matches, with
-- their volume, customers, share of the map's events and their raw names (most frequent first).
create or replace table map_coverage_unmapped as
with events as (
    select * from journey_events
),

map_totals as (
    select
        map_id,
        count(*) as map_events
    from events
    group by all
),

unmapped_names as (
    select
        map_id,
        source_system,
        event_type,
        event_name_raw,
        count(*) as n_events
    from events
    where touchpoint_id is null
    group by all
),

unmapped as (
    select
        map_id,
        source_system,
        event_type,
        count(*) as n_events,
        count(distinct customer_id) as n_customers,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events
    where touchpoint_id is null
    group by all
),

names as (
    select
        map_id,
        source_system,
        event_type,
        list(event_name_raw order by n_events desc, event_name_raw) as event_names
    from unmapped_names
    group by all
)

select
    unmapped.map_id,
    unmapped.source_system,
    unmapped.event_type,
    unmapped.n_events,
    unmapped.n_customers,
    unmapped.n_events / map_totals.map_events as share_of_events,
    names.event_names,
    unmapped.first_seen_at,
    unmapped.last_seen_at
from unmapped
inner join map_totals on map_totals.map_id = unmapped.map_id
inner join names
    on names.map_id = unmapped.map_id
    and names.source_system = unmapped.source_system
    and names.event_type = unmapped.event_type;
