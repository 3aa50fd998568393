-- Zendesk CSAT: a good/bad rating is `survey.csat_submitted` (score 1 = good, 0 = bad),
-- an offered survey is `survey.csat_offered`. `unoffered` is not an event.
create or replace view stg_zendesk__satisfaction_ratings as
with latest as (
    select * from latest_snapshot('raw_zendesk__satisfaction_ratings', 'id', 'updated_at')
),

renamed as (
    select
        trim(_record ->> 'id') as rating_id,
        trim(_record ->> 'ticket_id') as ticket_id,
        trim(_record ->> 'requester_id') as requester_id,
        lower(_record ->> 'score') as rating,
        _record ->> 'comment' as comment,
        _record ->> 'reason' as reason,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        _record ->> 'created_at' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed
    from latest
)

select
    event_key('zendesk', 'satisfaction_ratings', rating_id) as event_key,
    'zendesk' as source_system,
    'survey' as source_category,
    'satisfaction_ratings' as source_object,
    rating_id as source_event_id,
    raw_file,
    raw_record_locator,
    case rating
        when 'offered' then 'survey.csat_offered'
        else 'survey.csat_submitted'
    end as event_type,
    rating as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    's' as time_precision,
    ingested_at,
    requester_id as source_person_id,
    'zendesk_user' as source_person_type,
    'ticket' as object_type,
    ticket_id as object_id,
    'support' as channel,
    case rating when 'good' then 1.0 when 'bad' then 0.0 end as score,
    'zendesk_good_bad' as score_scale,
    comment as text,
    json_object('rating', rating, 'reason', reason) as properties
from renamed
where rating in ('good', 'bad', 'offered');
