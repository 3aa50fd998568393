-- Stated channel preference against the channel actually engaged, per map. Each customer's
-- first stated preferred_channel; engaged channel = the channel of most of their engagement
-- events after answering (mapped events except what the company sends: email.sent, processed,
-- delivered, deferred, bounced, dropped). Ties go to the stated channel if it is among the top,
-- else to the first alphabetically; no engagement at all = '(none)'.
-- A stated value matches a channel when lower-cased with spaces as underscores they are equal
-- ("In store" = in_store).
create or replace table stated_vs_actual_channel as
with stated as (
    select
        map_id,
        customer_id,
        arg_min(preferred_channel, (responded_at, event_key)) as stated_channel,
        min(responded_at) as responded_at
    from int_survey_responses
    where preferred_channel is not null
    group by map_id, customer_id
),

engagement as (
    select s.map_id, s.customer_id, e.channel, count(*) as n_events
    from stated as s
    inner join journey_events as e
        on e.map_id = s.map_id and e.customer_id = s.customer_id
        and e.touchpoint_id is not null
        and is_engagement(e.event_type)
        and e.occurred_at > s.responded_at
    group by all
),

top_channel as (
    select
        s.map_id,
        s.customer_id,
        s.stated_channel,
        replace(lower(s.stated_channel), ' ', '_') as stated_key,
        arg_max(e.channel, (e.n_events,
                            e.channel = replace(lower(s.stated_channel), ' ', '_'),
                            -ascii(e.channel))) as engaged_channel
    from stated as s
    left join engagement as e using (map_id, customer_id)
    group by all
)

select
    map_id,
    stated_channel,
    coalesce(engaged_channel, '(none)') as engaged_channel,
    count(*) as customers,
    count(*) / sum(count(*)) over (partition by map_id, stated_channel) as share_of_stated,
    any_value(stated_key) = coalesce(engaged_channel, '') as matches_stated
from top_channel
group by map_id, stated_channel, engaged_channel;
