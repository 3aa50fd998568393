-- Realised milestone conversions and median delays, per persona and overall.
with c as (
    select
        persona,
        first_visit_at::timestamp as visit_at,
        nullif(signed_up_at, '')::timestamp as signup_at,
        nullif(test_ride_booked_at, '')::timestamp as ride_at,
        nullif(first_order_at, '')::timestamp as order_at,
        nullif(repeat_order_at, '')::timestamp as repeat_at
    from truth_customers
)

select
    coalesce(persona, 'All') as persona,
    count(*) as persons,
    count(signup_at) as signed_up,
    count(ride_at) as test_ride_booked,
    count(order_at) as first_order,
    count(repeat_at) as repeat_order,
    round(count(signup_at) / count(*), 4) as rate_signup,
    round(count(ride_at) / nullif(count(signup_at), 0), 4) as rate_test_ride_given_signup,
    round(count(order_at) / nullif(count(ride_at), 0), 4) as rate_order_given_test_ride,
    round(count(repeat_at) / nullif(count(order_at), 0), 4) as rate_repeat_given_order,
    round(median(epoch(signup_at - visit_at)) / 86400, 3) as median_days_visit_to_signup,
    round(median(epoch(ride_at - signup_at)) / 86400, 3) as median_days_signup_to_test_ride,
    round(median(epoch(order_at - ride_at)) / 86400, 3) as median_days_test_ride_to_order,
    round(median(epoch(repeat_at - order_at)) / 86400, 3) as median_days_order_to_repeat
from c
group by grouping sets ((persona), ())
order by persona nulls last
