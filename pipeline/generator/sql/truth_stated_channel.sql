-- Stated preferred channel against where the person actually engages after sign-up
-- (web events against email opens and clicks), over everyone who answered and over the
-- mature respondents: those who answered at least 30 days before as-of, so that a recent
-- answer, followed by little but web visits so far, does not count.
with answers as (
    select
        preferred_channel,
        engages_mostly_on = 'web' as mostly_web,
        engagement_style = 'web' as web_leaning,
        intent_responded_at::timestamp + interval 30 day <= getvariable('as_of') as mature
    from truth_customers
    where preferred_channel is not null
)

select
    preferred_channel,
    count(*) as respondents,
    count_if(mostly_web) as mostly_web,
    round(count_if(mostly_web) / count(*), 4) as mostly_web_share,
    round(count_if(web_leaning) / count(*), 4) as web_leaning_style_share,
    count_if(mature) as mature_respondents,
    round(count_if(mostly_web and mature) / nullif(count_if(mature), 0), 4)
        as mature_mostly_web_share
from answers
group by preferred_channel
order by preferred_channel
