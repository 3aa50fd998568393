-- int_attribution_journeys: the journeys attribution learns from, one per customer per map:
-- every customer who entered the journey (reached milestone 1) and is not in progress.
-- Converted = reached the map's endpoint within its window; outcome_at is then the endpoint's
-- reach time, otherwise the end of the window (when the journey counted as not converting).
-- Journeys still in progress are left out: they may yet convert, and counting them as null
-- paths would understate every touchpoint.
create or replace table int_attribution_journeys as
select
    map_id,
    customer_id,
    persona,
    endpoint_reached as is_converted,
    case when endpoint_reached then endpoint_at else window_ends_at end as outcome_at
from customer_journeys
where journey_start_at is not null
    and (endpoint_reached or not in_progress);
