-- NPS category against what the respondent did afterwards, per map. Each customer's first NPS
-- answer (score_scale nps_0_10): detractor 0-6, passive 7-8, promoter 9-10.
--   repurchased  reached, after answering, the map's endpoint milestone or any milestone after
--                it (for a shop: ordered again), by as-of
--   renewed      reached, after answering, any milestone at all: progressed in the journey
--   churned      no mapped event of the customer in the $horizon_days days after answering,
--                judged only when those days have passed (otherwise open)
-- Rates are over respondents (churn: over judged ones), with Wilson intervals.
create or replace table nps_vs_behaviour as
with answers as (
    select
        map_id,
        customer_id,
        arg_min(score, (responded_at, event_key)) as score,
        min(responded_at) as responded_at
    from int_survey_responses
    where score_scale = 'nps_0_10'
    group by map_id, customer_id
),

categorised as (
    select
        answers.*,
        case when score >= 9 then 'promoter' when score >= 7 then 'passive'
            else 'detractor' end as nps_category,
        journey_maps.as_of
    from answers
    inner join journey_maps using (map_id)
),

endpoints as (
    select map_id, min(milestone_index) as endpoint_index
    from map_milestones where is_endpoint group by map_id
),

after_answer as (
    select
        c.map_id,
        c.customer_id,
        bool_or(m.milestone_index >= e.endpoint_index) as repurchased,
        count(*) > 0 as renewed
    from categorised as c
    inner join customer_milestones as m
        on m.map_id = c.map_id and m.customer_id = c.customer_id and m.reached_at > c.responded_at
    left join endpoints as e on e.map_id = c.map_id
    group by all
),

later_activity as (
    select distinct c.map_id, c.customer_id
    from categorised as c
    inner join journey_events as e
        on e.map_id = c.map_id and e.customer_id = c.customer_id
        and e.touchpoint_id is not null
        and e.occurred_at > c.responded_at
        and e.occurred_at <= c.responded_at + to_days(cast($horizon_days as integer))
),

outcomes as (
    select
        c.map_id,
        c.nps_category,
        coalesce(a.repurchased, false) as repurchased,
        coalesce(a.renewed, false) as renewed,
        c.responded_at + to_days(cast($horizon_days as integer)) <= c.as_of as churn_judged,
        l.customer_id is null as inactive
    from categorised as c
    left join after_answer as a using (map_id, customer_id)
    left join later_activity as l using (map_id, customer_id)
)

select
    map_id,
    nps_category,
    count(*) as respondents,
    count_if(repurchased) as repurchased,
    count_if(repurchased) / count(*) as repurchase_rate,
    wilson_low(count_if(repurchased), count(*)) as repurchase_rate_low,
    wilson_high(count_if(repurchased), count(*)) as repurchase_rate_high,
    count_if(renewed) as renewed,
    count_if(renewed) / count(*) as renewal_rate,
    count_if(churn_judged) as churn_judged,
    count_if(churn_judged and inactive) as churned,
    count_if(churn_judged and inactive) / nullif(count_if(churn_judged), 0) as churn_rate,
    wilson_low(count_if(churn_judged and inactive), count_if(churn_judged)) as churn_rate_low,
    wilson_high(count_if(churn_judged and inactive), count_if(churn_judged)) as churn_rate_high,
    count(*) < 30 as small_group
from outcomes
group by map_id, nps_category;
