-- Share of each conversion that happened within 14 days of the previous milestone.
with c as (
    select
        first_visit_at::timestamp as visit_at,
        nullif(signed_up_at, '')::timestamp as signup_at,
        nullif(test_ride_booked_at, '')::timestamp as ride_at,
        nullif(first_order_at, '')::timestamp as order_at
    from truth_customers
)

select
    round(count_if(signup_at - visit_at <= interval 14 day) / nullif(count(signup_at), 0), 4)
        as signed_up,
    round(count_if(ride_at - signup_at <= interval 14 day) / nullif(count(ride_at), 0), 4)
        as test_ride_booked,
    round(count_if(order_at - ride_at <= interval 14 day) / nullif(count(order_at), 0), 4)
        as first_order
from c
