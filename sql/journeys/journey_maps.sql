-- journey_maps: one row per map file in the maps folder, with the as-of time every journeys
-- table is computed for: JOURNEYS_AS_OF when set, else the latest event (docs/metrics.md).
create or replace table journey_maps as
with maps as (
    select unnest(cast($rows as struct(
        map_id varchar, kind varchar, title varchar, persona_name varchar, ideal_of varchar,
        window_seconds bigint, max_milestones integer, endpoint_milestone varchar, file varchar
    )[]), recursive := true)
),

as_of as (
    select coalesce(
        cast(cast($as_of_override as timestamptz) as timestamp),
        (select max(occurred_at) from events)
    ) as as_of
)

select
    maps.*,
    as_of.as_of
from maps
cross join as_of;
