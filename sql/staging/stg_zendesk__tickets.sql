-- One `support.ticket_created` event per Zendesk ticket, from its latest snapshot.
create or replace view stg_zendesk__tickets as
with latest as (
    select * from latest_snapshot('raw_zendesk__tickets', 'id', 'updated_at')
),

renamed as (
    select
        trim(_record ->> 'id') as ticket_id,
        trim(_record ->> 'requester_id') as requester_id,
        _record ->> 'status' as status,
        _record ->> '$.via.channel' as via_channel,
        _record ->> 'priority' as priority,
        _record ->> 'type' as ticket_type,
        _record -> 'tags' as tags,
        -- satisfaction_rating is an object in the API and a plain string in some exports.
        coalesce(_record ->> '$.satisfaction_rating.score', _record ->> 'satisfaction_rating')
            as satisfaction_score,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        _record ->> 'created_at' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed
    from latest
)

select
    event_key('zendesk', 'tickets', ticket_id) as event_key,
    'zendesk' as source_system,
    'support' as source_category,
    'tickets' as source_object,
    ticket_id as source_event_id,
    raw_file,
    raw_record_locator,
    'support.ticket_created' as event_type,
    'created' as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    's' as time_precision,
    ingested_at,
    requester_id as source_person_id,
    'zendesk_user' as source_person_type,
    'ticket' as object_type,
    ticket_id as object_id,
    coalesce(via_channel, 'support') as channel,
    status as stage_to,
    json_object(
        'status', status, 'priority', priority, 'type', ticket_type, 'tags', tags,
        'satisfaction_score', satisfaction_score
    ) as properties
from renamed;
