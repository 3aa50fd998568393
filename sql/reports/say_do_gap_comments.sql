-- In their words: the survey comments of customers who said a claim and did not do it (the
-- answer that made them say it), ten most recent per claim. Only survey answers: support
-- messages carry agents' and customers' names.
with gap as (
    select
        map_id,
        claim_id,
        customer_id,
        said_at,
    from say_vs_do_gap_customers
),

answers as (
    select
        gap.claim_id,
        events.occurred_at,
        events.event_name_raw as survey,
        events.score,
        events.text,
    from gap
    inner join event_customers using (customer_id)
    inner join events using (event_key)
    where events.event_type = 'survey.response_submitted'
        and events.occurred_at = gap.said_at
        and nullif(trim(events.text), '') is not null
),

ranked as (
    select
        *,
        row_number() over (partition by claim_id order by occurred_at desc, text) as n,
    from answers
)

select
    r.claim_id,
    coalesce(l.label, r.claim_id) as label,
    r.occurred_at,
    r.survey,
    r.score,
    r.text,
from ranked as r
left join (select distinct claim_id, label from say_vs_do) as l using (claim_id)
where r.n <= 10
order by r.claim_id, r.occurred_at desc;
