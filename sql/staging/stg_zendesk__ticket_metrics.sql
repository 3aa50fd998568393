-- `support.ticket_solved` at the time Zendesk's ticket metrics say the ticket was solved.
create or replace view stg_zendesk__ticket_metrics as
with latest as (
    select * from latest_snapshot('raw_zendesk__ticket_metrics', 'id', 'updated_at')
),

tickets as (
    select trim(_record ->> 'id') as ticket_id, trim(_record ->> 'requester_id') as requester_id
    from latest_snapshot('raw_zendesk__tickets', 'id', 'updated_at')
),

renamed as (
    select
        trim(_record ->> 'id') as metric_id,
        trim(_record ->> 'ticket_id') as ticket_id,
        any_to_utc(_record ->> 'solved_at', 'UTC') as solved_at,
        _record ->> 'solved_at' as solved_at_raw,
        try_cast(_record ->> '$.reply_time_in_minutes.calendar' as double) as reply_minutes,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at
    from latest
)

select
    event_key('zendesk', 'ticket_metrics', m.metric_id) as event_key,
    'zendesk' as source_system,
    'support' as source_category,
    'ticket_metrics' as source_object,
    m.metric_id as source_event_id,
    m.raw_file,
    m.raw_record_locator,
    'support.ticket_solved' as event_type,
    'solved_at' as event_name_raw,
    m.solved_at as occurred_at,
    m.solved_at_raw as occurred_at_raw,
    's' as time_precision,
    m.ingested_at,
    t.requester_id as source_person_id,
    'zendesk_user' as source_person_type,
    'ticket' as object_type,
    m.ticket_id as object_id,
    'support' as channel,
    'solved' as stage_to,
    json_object('reply_time_minutes', m.reply_minutes) as properties
from renamed as m
left join tickets as t on t.ticket_id = m.ticket_id
where m.solved_at is not null;
