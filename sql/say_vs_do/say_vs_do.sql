-- Say versus do per claim, overall and per persona, stage (where they were when they said it)
-- and weekly cohort (the Monday of the response):
--   said    respondents whose answer matched the say rule
--   open    of those, not kept yet and still before their deadline (right-censored, §4)
--   judged  said - open;  did  kept the claim;  rate = did / judged (Wilson interval, §5)
--   gap     judged - did: customers who said it and did not (listed in say_vs_do_gap_customers)
--   gap_rate = 1 - rate: the distance between the stated (every one of them said it) and the
--           observed rate
--   small_group  judged < 30: shown, flagged, not to be over-read
create or replace table say_vs_do as
with said as (
    select
        outcomes.*,
        persona as persona_value,
        coalesce(stage_at_response, '(no stage yet)') as stage_value,
        cast(cohort_week as varchar) as cohort_value
    from int_claim_outcomes as outcomes
    where said
),

grouped as (
    select
        map_id,
        claim_id,
        any_value(label) as label,
        case
            when grouping(persona_value) = 0 then 'persona'
            when grouping(stage_value) = 0 then 'stage'
            when grouping(cohort_value) = 0 then 'cohort_week'
            else 'all'
        end as grouping,
        case
            when grouping(persona_value) = 0 then coalesce(persona_value, '(no persona)')
            when grouping(stage_value) = 0 then stage_value
            when grouping(cohort_value) = 0 then cohort_value
            else 'all'
        end as group_value,
        count(*) as said,
        count_if(not mature) as open,
        count_if(mature) as judged,
        count_if(mature and kept) as did
    from said
    group by grouping sets (
        (map_id, claim_id),
        (map_id, claim_id, persona_value),
        (map_id, claim_id, stage_value),
        (map_id, claim_id, cohort_value)
    )
)

select
    map_id,
    claim_id,
    label,
    grouping,
    group_value,
    said,
    open,
    judged,
    did,
    did / nullif(judged, 0) as rate,
    wilson_low(did, judged) as rate_low,
    wilson_high(did, judged) as rate_high,
    judged - did as gap,
    1 - did / nullif(judged, 0) as gap_rate,
    judged < 30 as small_group
from grouped;

create or replace table say_vs_do_gap_customers as
select
    map_id,
    claim_id,
    customer_id,
    said_at,
    deadline,
    score,
    persona,
    stage_at_response,
    cohort_week
from int_claim_outcomes
where said and mature and not kept;
