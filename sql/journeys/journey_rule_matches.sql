-- journey_rule_matches: every (rule, event) pair where the rule matches the event, for every
-- rule of every map (touchpoints, event milestones, claims). Set-based: events join the rules
-- on event type (a hash join; rules without a type join every event of the map), the source
-- and raw-name lists filter, then each rule's conditions are evaluated on the candidate pairs
-- and must all hold. All map values come from map_rules / map_rule_conditions as data.
-- touchpoint_precedence ranks the touchpoint rules that matched one event: priority desc, then
-- specificity desc, then rule_order (file order); rank 1 gets the event in journey_events.
create or replace table journey_rule_matches as
with scope as (
    select
        map_id,
        customer_id,
        event_key,
        occurred_at,
        source_system,
        event_type,
        event_name_raw
    from int_journey_scope
),

rules as (
    select * from map_rules
),

rule_event_types as (
    select
        map_id,
        rule_id,
        unnest(event_types) as event_type
    from rules
    where event_types is not null
),

typed_candidates as (
    select
        scope.*,
        rule_event_types.rule_id
    from scope
    inner join rule_event_types
        on rule_event_types.map_id = scope.map_id
        and rule_event_types.event_type = scope.event_type
),

untyped_candidates as (
    select
        scope.*,
        rules.rule_id
    from scope
    inner join rules on rules.map_id = scope.map_id
    where rules.event_types is null
),

candidates as (
    select
        candidate.*,
        rules.rule_kind,
        rules.owner_id,
        rules.n_conditions,
        rules.priority,
        rules.specificity,
        rules.rule_order
    from (
        select * from typed_candidates
        union all
        select * from untyped_candidates
    ) as candidate
    inner join rules
        on rules.map_id = candidate.map_id
        and rules.rule_id = candidate.rule_id
    where (rules.sources is null or list_contains(rules.sources, candidate.source_system))
        and (rules.event_names is null
             or list_contains(rules.event_names, candidate.event_name_raw))
),

condition_results as (
    select
        candidates.map_id,
        candidates.rule_id,
        candidates.event_key,
        bool_and(journeys_condition_holds(
            conditions.op,
            case conditions.property
                when 'source_system' then events.source_system
                when 'source_category' then events.source_category
                when 'source_object' then events.source_object
                when 'event_type' then events.event_type
                when 'event_name_raw' then events.event_name_raw
                when 'email_norm' then events.email_norm
                when 'user_id' then events.user_id
                when 'anonymous_id' then events.anonymous_id
                when 'account_id' then events.account_id
                when 'session_id' then events.session_id
                when 'object_type' then events.object_type
                when 'object_id' then events.object_id
                when 'campaign_id' then events.campaign_id
                when 'campaign_name' then events.campaign_name
                when 'utm_source' then events.utm_source
                when 'utm_medium' then events.utm_medium
                when 'utm_campaign' then events.utm_campaign
                when 'utm_term' then events.utm_term
                when 'utm_content' then events.utm_content
                when 'url' then events.url
                when 'referrer' then events.referrer
                when 'channel' then events.channel
                when 'stage_from' then events.stage_from
                when 'stage_to' then events.stage_to
                when 'value_numeric' then cast(events.value_numeric as varchar)
                when 'currency' then events.currency
                when 'score' then cast(events.score as varchar)
                when 'score_scale' then events.score_scale
                when 'text' then events.text
                else json_extract_string(events.properties, conditions.json_pointer)
            end,
            conditions.text_values,
            conditions.number_values,
            conditions.pattern,
            conditions.bound,
            conditions.flag
        )) as holds
    from candidates
    inner join map_rule_conditions as conditions
        on conditions.map_id = candidates.map_id
        and conditions.rule_id = candidates.rule_id
    inner join events on events.event_key = candidates.event_key
    group by all
)

select
    candidates.map_id,
    candidates.rule_id,
    candidates.rule_kind,
    candidates.owner_id,
    candidates.customer_id,
    candidates.event_key,
    candidates.occurred_at,
    case when candidates.rule_kind = 'touchpoint' then row_number() over (
        partition by candidates.map_id, candidates.event_key, candidates.rule_kind
        order by candidates.priority desc, candidates.specificity desc, candidates.rule_order
    ) end as touchpoint_precedence
from candidates
left join condition_results
    on condition_results.map_id = candidates.map_id
    and condition_results.rule_id = candidates.rule_id
    and condition_results.event_key = candidates.event_key
where candidates.n_conditions = 0
    or condition_results.holds;
