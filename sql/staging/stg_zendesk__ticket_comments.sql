-- Zendesk ticket comments: from the requester a message received, from anyone else (an agent)
-- a message sent. Private notes are sent messages flagged `public = false`.
create or replace view stg_zendesk__ticket_comments as
with source as (
    select * from raw_zendesk__ticket_comments
),

tickets as (
    select trim(_record ->> 'id') as ticket_id, trim(_record ->> 'requester_id') as requester_id
    from latest_snapshot('raw_zendesk__tickets', 'id', 'updated_at')
),

renamed as (
    select
        _natural_key as source_event_id,
        trim(_record ->> 'ticket_id') as ticket_id,
        trim(_record ->> 'author_id') as author_id,
        try_cast(_record ->> 'public' as boolean) as is_public,
        _record ->> 'body' as body,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        _record ->> 'created_at' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed
    from source
)

select
    event_key('zendesk', 'ticket_comments', c.source_event_id) as event_key,
    'zendesk' as source_system,
    'support' as source_category,
    'ticket_comments' as source_object,
    c.source_event_id,
    c.raw_file,
    c.raw_record_locator,
    case
        when c.author_id = t.requester_id then 'support.message_received'
        else 'support.message_sent'
    end as event_type,
    'comment' as event_name_raw,
    c.occurred_at,
    c.occurred_at_raw,
    c.occurred_at_tz_assumed,
    's' as time_precision,
    c.ingested_at,
    -- The event belongs to the ticket's requester, whoever wrote the comment.
    coalesce(t.requester_id, c.author_id) as source_person_id,
    'zendesk_user' as source_person_type,
    'ticket' as object_type,
    c.ticket_id as object_id,
    'support' as channel,
    c.body as text,
    json_object('public', c.is_public, 'author_id', c.author_id) as properties
from renamed as c
left join tickets as t on t.ticket_id = c.ticket_id;
