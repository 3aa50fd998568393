-- map_coverage_unmeasured: touchpoints of a map that no event was assigned to. reason says
-- whether no event matched the rule at all, or every match went to a higher-precedence rule.
create or replace table map_coverage_unmeasured as
with rule_matches as (
    select
        map_id,
        owner_id as touchpoint_id,
        count(*) as n_rule_matches
    from journey_rule_matches
    where rule_kind = 'touchpoint'
    group by all
),

assigned as (
    select
        map_id,
        touchpoint_id,
        count(*) as n_assigned
    from journey_events
    where touchpoint_id is not null
    group by all
)

select
    touchpoints.map_id,
    touchpoints.touchpoint_id,
    touchpoints.label,
    touchpoints.stage,
    touchpoints.department,
    touchpoints.channel,
    coalesce(rule_matches.n_rule_matches, 0) as n_rule_matches,
    case
        when rule_matches.n_rule_matches is null then 'no event matches its rule'
        else 'every matching event went to a higher-precedence touchpoint'
    end as reason
from map_touchpoints as touchpoints
left join rule_matches
    on rule_matches.map_id = touchpoints.map_id
    and rule_matches.touchpoint_id = touchpoints.touchpoint_id
left join assigned
    on assigned.map_id = touchpoints.map_id
    and assigned.touchpoint_id = touchpoints.touchpoint_id
where assigned.n_assigned is null;
