-- A generic event file: person_id, event, timestamp, and every other column as a property.
-- {{source}} is the configured source name (a checked identifier). Its settings come from
-- `source_settings`: person_id_type says what the person id is (email, user_id, anonymous_id,
-- or a system key); event_type_prefix and category name the events.
create or replace view stg_{{source}}__events as
with source as (
    select * from raw_{{source}}__events
),

renamed as (
    select
        _natural_key as source_event_id,
        trim(_record ->> 'person_id') as person_id,
        _record ->> 'event' as event_name,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        _record ->> 'timestamp' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed,
        json_merge_patch(_record, '{"person_id": null, "event": null, "timestamp": null}')
            as event_properties
    from source
),

settings as (
    select * from source_settings where source = '{{source}}'
)

select
    event_key(settings.source, 'events', source_event_id) as event_key,
    settings.source as source_system,
    settings.category as source_category,
    'events' as source_object,
    source_event_id,
    raw_file,
    raw_record_locator,
    settings.event_type_prefix || '.' || coalesce(nullif(slug(event_name), ''), 'other') as event_type,
    event_name as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    's' as time_precision,
    ingested_at,
    case when settings.person_id_type = 'email' then normalise_email(person_id) end as email_norm,
    case when settings.person_id_type = 'email' then sha256(normalise_email(person_id)) end
        as email_sha256,
    case when settings.person_id_type = 'email' then md5(normalise_email(person_id)) end as email_md5,
    case when settings.person_id_type = 'user_id' then person_id end as user_id,
    case when settings.person_id_type = 'anonymous_id' then person_id end as anonymous_id,
    case when settings.person_id_type not in ('email', 'user_id', 'anonymous_id') then person_id end
        as source_person_id,
    case when settings.person_id_type not in ('email', 'user_id', 'anonymous_id') then settings.person_id_type end
        as source_person_type,
    settings.channel as channel,
    event_properties as properties
from renamed
cross join settings;
