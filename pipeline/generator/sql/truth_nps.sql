-- Repeat orders per NPS bucket: all respondents (repeats observed by as_of), and the mature
-- cohort whose first order is at least 120 days old, so most repeats have had time to happen.
select
    case when nps_score::int >= 9 then 'promoter' when nps_score::int >= 7 then 'passive'
        else 'detractor' end as bucket,
    count(*) as respondents,
    count_if(repeat_order_at is not null) as repeated,
    round(count_if(repeat_order_at is not null) / count(*), 4) as rate,
    count_if(first_order_at::timestamp <= timestamp '2026-07-04') as mature_respondents,
    round(count_if(repeat_order_at is not null
        and first_order_at::timestamp <= timestamp '2026-07-04')
        / nullif(count_if(first_order_at::timestamp <= timestamp '2026-07-04'), 0), 4)
        as mature_rate
from truth_customers
where nps_score is not null
group by bucket
order by bucket
