-- journey_events: one row per event of a map's customers (up to the as-of time), with the
-- touchpoint it is assigned to, or null when no touchpoint rule matches it.
-- When several touchpoint rules match one event, the event goes to the rule with the highest
-- priority, then the most specific rule (most tests: source, event_type, event_name and each
-- condition count one), then the rule written first in the map file
-- (journey_rule_matches.touchpoint_precedence = 1). n_matches says how many
-- touchpoint rules matched. event_seq orders a customer's events by (occurred_at, event_key).
create or replace table journey_events as
with scope as (
    select * from int_journey_scope
),

assigned as (
    select
        map_id,
        event_key,
        owner_id as touchpoint_id,
        count(*) over (partition by map_id, event_key) as n_matches
    from journey_rule_matches
    where rule_kind = 'touchpoint'
    qualify touchpoint_precedence = 1
)

select
    scope.map_id,
    scope.customer_id,
    scope.event_key,
    scope.occurred_at,
    scope.event_week,
    row_number() over (
        partition by scope.map_id, scope.customer_id
        order by scope.occurred_at, scope.event_key
    ) as event_seq,
    scope.source_system,
    scope.event_type,
    scope.event_name_raw,
    scope.campaign_name,
    assigned.touchpoint_id,
    touchpoints.stage,
    touchpoints.stage_index,
    touchpoints.department,
    touchpoints.channel,
    scope.event_channel,
    scope.score,
    scope.score_scale,
    coalesce(assigned.n_matches, 0) as n_matches,
    scope.properties
from scope
left join assigned
    on assigned.map_id = scope.map_id
    and assigned.event_key = scope.event_key
left join map_touchpoints as touchpoints
    on touchpoints.map_id = assigned.map_id
    and touchpoints.touchpoint_id = assigned.touchpoint_id;
