-- customer_milestones: one row per customer per reached milestone. A milestone is reached at
-- the n-th event (its `occurrence`, by occurred_at then event_key) matching its rule: the
-- touchpoint's rule, whether or not the event was assigned to another touchpoint by precedence,
-- or the milestone's own event rule.
create or replace table customer_milestones as
with milestone_hits as (
    select
        milestones.map_id,
        matches.customer_id,
        milestones.milestone_index,
        milestones.milestone_id,
        milestones.occurrence,
        matches.event_key,
        matches.occurred_at,
        row_number() over (
            partition by milestones.map_id, milestones.milestone_index, matches.customer_id
            order by matches.occurred_at, matches.event_key
        ) as occurrence_seen
    from map_milestones as milestones
    inner join journey_rule_matches as matches
        on matches.map_id = milestones.map_id
        and matches.rule_id = milestones.rule_id
)

select
    map_id,
    customer_id,
    milestone_index,
    milestone_id,
    occurred_at as reached_at,
    event_key
from milestone_hits
where occurrence_seen = occurrence;
