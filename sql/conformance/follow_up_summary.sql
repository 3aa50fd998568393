-- Expected follow-ups per ideal map: of the occurrences of `after` whose follow-up was needed
-- (no `unless` within the time) and is due (t + within <= as-of), how many got it.
--   done_rate = n_done / n_due, with its Wilson interval; n_not_due are still within their time
--   and are neither done nor missing yet (right-censored, metric-semantics §4).
create or replace table follow_up_summary as
with checks as (
    select * from follow_up_checks
),

follow_ups as (
    select * from map_follow_ups
),

counts as (
    select
        map_id,
        follow_up_id,
        count(*) as n_after,
        count_if(status = 'not_needed') as n_not_needed,
        count_if(status = 'not_due') as n_not_due,
        count_if(status in ('done', 'missing')) as n_due,
        count_if(status = 'done') as n_done,
        count_if(status = 'missing') as n_missing,
        count(distinct customer_id) filter (where status = 'missing') as n_customers_missing
    from checks
    group by map_id, follow_up_id
)

select
    follow_ups.map_id,
    follow_ups.follow_up_id,
    follow_ups.label,
    coalesce(counts.n_after, 0) as n_after,
    coalesce(counts.n_not_needed, 0) as n_not_needed,
    coalesce(counts.n_not_due, 0) as n_not_due,
    coalesce(counts.n_due, 0) as n_due,
    coalesce(counts.n_done, 0) as n_done,
    coalesce(counts.n_missing, 0) as n_missing,
    coalesce(counts.n_customers_missing, 0) as n_customers_missing,
    counts.n_done / nullif(counts.n_due, 0) as done_rate,
    wilson_low(counts.n_done, counts.n_due) as done_rate_low,
    wilson_high(counts.n_done, counts.n_due) as done_rate_high
from follow_ups
inner join journey_maps on journey_maps.map_id = follow_ups.map_id and journey_maps.kind = 'ideal'
left join counts
    on counts.map_id = follow_ups.map_id and counts.follow_up_id = follow_ups.follow_up_id;
