-- CSAT per stage against progression from that stage ("satisfied but stalled"), per map.
-- Each CSAT answer: csat_1_5 (satisfied = 4-5) or Zendesk good/bad (satisfied = good, score 1).
-- Stage = where the customer was when answering (int_survey_responses.stage_at_response).
-- progressed = reached, within $horizon_days days after answering, the milestone after the
-- furthest one reached by then; judged only once those days have passed or it happened.
-- satisfied_but_stalled = satisfied and judged and not progressed.
create or replace table csat_vs_progression as
with answers as (
    select
        r.*,
        case when r.score_scale = 'csat_1_5' then r.score >= 4 else r.score >= 1 end
            as satisfied,
        journey_maps.as_of
    from int_survey_responses as r
    inner join journey_maps using (map_id)
    where r.score_scale in ('csat_1_5', 'zendesk_good_bad')
),

reached_before as (
    select a.map_id, a.event_key, max(m.milestone_index) as furthest_before
    from answers as a
    inner join customer_milestones as m
        on m.map_id = a.map_id and m.customer_id = a.customer_id
        and m.reached_at <= a.responded_at
    group by all
),

progress as (
    select distinct a.map_id, a.event_key
    from answers as a
    left join reached_before as b using (map_id, event_key)
    inner join customer_milestones as m
        on m.map_id = a.map_id and m.customer_id = a.customer_id
        and m.milestone_index = coalesce(b.furthest_before, 0) + 1
        and m.reached_at > a.responded_at
        and m.reached_at <= a.responded_at + to_days(cast($horizon_days as integer))
),

judged as (
    select
        a.map_id,
        coalesce(a.stage_at_response, '(no stage yet)') as stage,
        a.satisfied,
        p.event_key is not null as progressed,
        p.event_key is not null
            or a.responded_at + to_days(cast($horizon_days as integer)) <= a.as_of
            as is_judged
    from answers as a
    left join progress as p using (map_id, event_key)
)

select
    map_id,
    stage,
    satisfied,
    count(*) as answers,
    count_if(is_judged) as judged,
    count_if(is_judged and progressed) as progressed,
    count_if(is_judged and progressed) / nullif(count_if(is_judged), 0) as progression_rate,
    wilson_low(count_if(is_judged and progressed), count_if(is_judged)) as progression_rate_low,
    wilson_high(count_if(is_judged and progressed), count_if(is_judged))
        as progression_rate_high,
    count_if(satisfied and is_judged and not progressed) as satisfied_but_stalled,
    count_if(is_judged) < 30 as small_group
from judged
group by map_id, stage, satisfied;
