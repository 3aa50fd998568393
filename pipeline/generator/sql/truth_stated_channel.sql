-- Stated preferred channel against where the person actually engages after sign-up
-- (web events against email opens and clicks).
select
    preferred_channel,
    count(*) as respondents,
    count_if(engages_mostly_on = 'web') as mostly_web,
    round(count_if(engages_mostly_on = 'web') / count(*), 4) as mostly_web_share,
    round(count_if(engagement_style = 'web') / count(*), 4) as web_leaning_style_share
from truth_customers
where preferred_channel is not null
group by preferred_channel
order by preferred_channel
