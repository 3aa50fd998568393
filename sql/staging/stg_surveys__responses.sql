-- Survey responses (NPS, CSAT, stated purchase intent) as `survey.response_submitted`.
-- The stated intent and preferred channel are the "say" side of say-versus-do.
create or replace view stg_surveys__responses as
with source as (
    select * from raw_surveys__responses
),

renamed as (
    select
        trim(_record ->> 'Response ID') as response_id,
        trim(_record ->> 'Survey') as survey,
        normalise_email(_record ->> 'Email') as email_norm,
        try_cast(_record ->> 'Score' as double) as score,
        _record ->> 'Comment' as comment,
        try_cast(_record ->> 'How likely are you to buy in the next 30 days?' as integer)
            as purchase_intent,
        nullif(trim(_record ->> 'Preferred channel'), '') as preferred_channel,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        _record ->> 'Submitted At' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed
    from source
)

select
    event_key('surveys', 'responses', response_id) as event_key,
    'surveys' as source_system,
    'survey' as source_category,
    'responses' as source_object,
    response_id as source_event_id,
    raw_file,
    raw_record_locator,
    'survey.response_submitted' as event_type,
    survey as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    's' as time_precision,
    ingested_at,
    email_norm,
    sha256(email_norm) as email_sha256,
    md5(email_norm) as email_md5,
    'survey' as object_type,
    slug(survey) as object_id,
    'survey' as channel,
    score,
    case lower(survey)
        when 'nps' then 'nps_0_10'
        when 'csat' then 'csat_1_5'
        when 'purchase intent' then 'intent_1_5'
    end as score_scale,
    comment as text,
    json_object(
        'survey', survey, 'purchase_intent', purchase_intent,
        'preferred_channel', preferred_channel
    ) as properties
from renamed;
