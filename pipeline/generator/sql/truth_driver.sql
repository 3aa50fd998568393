-- Planted driver: test-ride booking rate of sign-ups who clicked a nurture email or not.
with g as (
    select
        case when clicked_nurture = 'true' then 'clicked_nurture' else 'no_nurture_click' end
            as touchpoint,
        count(*) as signed_up,
        count_if(test_ride_booked_at is not null) as test_ride_booked,
        count_if(booked_because_of_click = 'true') as booked_because_of_click
    from truth_customers
    where signed_up_at is not null
    group by touchpoint
)

select
    *,
    round(test_ride_booked / signed_up, 4) as rate,
    round((test_ride_booked / signed_up) / max(case when touchpoint = 'no_nurture_click'
        then test_ride_booked / signed_up end) over (), 4) as lift
from g
order by touchpoint
