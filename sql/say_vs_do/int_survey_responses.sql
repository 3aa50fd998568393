-- Every survey answer of a map's customers with the stage they had reached when answering.
-- A response is a mapped or unmapped journey event with a score (NPS, CSAT, intent, Zendesk
-- good/bad) or a stated preferred channel. stage_at_response is the furthest stage (in map
-- order) of the customer's mapped events up to the response: "where they were" when they spoke.
create or replace table int_survey_responses as
with responses as (
    select
        map_id,
        customer_id,
        event_key,
        occurred_at as responded_at,
        touchpoint_id,
        event_type,
        event_name_raw,
        score,
        score_scale,
        properties ->> 'preferred_channel' as preferred_channel
    from journey_events
    where score is not null or (properties ->> 'preferred_channel') is not null
),

reached as (
    select
        responses.map_id,
        responses.event_key,
        arg_max(mapped.stage, mapped.stage_index) as stage_at_response
    from responses
    inner join journey_events as mapped
        on mapped.map_id = responses.map_id
        and mapped.customer_id = responses.customer_id
        and mapped.touchpoint_id is not null
        and mapped.occurred_at <= responses.responded_at
    group by all
)

select
    responses.*,
    reached.stage_at_response,
    journeys.persona
from responses
left join reached
    on reached.map_id = responses.map_id and reached.event_key = responses.event_key
inner join customer_journeys as journeys
    on journeys.map_id = responses.map_id and journeys.customer_id = responses.customer_id;
