-- Repeat orders per NPS bucket: all respondents (repeats observed by as_of), and the mature
-- cohort whose first order is at least 120 days old, so most repeats have had time to happen.
with answers as (
    select
        case when nps_score::int >= 9 then 'promoter' when nps_score::int >= 7 then 'passive'
            else 'detractor' end as bucket,
        repeat_order_at is not null as repeated,
        first_order_at::timestamp <= getvariable('as_of') - interval 120 day as mature
    from truth_customers
    where nps_score is not null
)

select
    bucket,
    count(*) as respondents,
    count_if(repeated) as repeated,
    round(count_if(repeated) / count(*), 4) as rate,
    count_if(mature) as mature_respondents,
    round(count_if(repeated and mature) / nullif(count_if(mature), 0), 4) as mature_rate
from answers
group by bucket
order by bucket
