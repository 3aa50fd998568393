-- Stated purchase intent against a first order within 30 days of answering.
select
    case when intent in ('1', '2') then '1-2' when intent = '3' then '3' else '4-5' end
        as intent_group,
    count(*) as respondents,
    count_if(bought_within_30d_of_intent = 'true') as ordered_within_30_days,
    round(count_if(bought_within_30d_of_intent = 'true') / count(*), 4) as rate,
    round(count_if(first_order_at is null) / count(*), 4) as never_ordered_share
from truth_customers
where intent is not null
group by intent_group
order by intent_group
