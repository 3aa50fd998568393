-- Stated purchase intent against a first order within 30 days of answering. The rate is over
-- the closed cohort, as the pipeline judges a claim (docs/metrics.md, Say versus do): answers
-- whose 30 days are over by as-of, or that already led to an order. The others are open.
with answers as (
    select
        case when intent in ('1', '2') then '1-2' when intent = '3' then '3' else '4-5' end
            as intent_group,
        bought_within_30d_of_intent = 'true' as bought,
        bought_within_30d_of_intent = 'true'
            or intent_responded_at::timestamp + interval 30 day <= getvariable('as_of')
            as judged,
        first_order_at is null as never_ordered
    from truth_customers
    where intent is not null
)

select
    intent_group,
    count(*) as respondents,
    count_if(not judged) as open,
    count_if(judged) as judged,
    count_if(bought) as ordered_within_30_days,
    round(count_if(bought) / nullif(count_if(judged), 0), 4) as rate,
    round(count_if(never_ordered) / count(*), 4) as never_ordered_share
from answers
group by intent_group
order by intent_group
