-- Lifecycle-stage changes from HubSpot's contact property history. Only `lifecyclestage` rows
-- are events; other properties stay in the raw table.
create or replace view stg_hubspot__contact_property_history as
with source as (
    select * from raw_hubspot__contact_property_history
),

-- one parse of the record for all its fields
parsed as (
    select
        *,
        json_extract_string(
            _record, ['$.name', '$.contact_id', '$.value', '$.source', '$.timestamp']
        ) as fields
    from source
),

stage_changes as (
    select
        _natural_key as source_event_id,
        trim(fields[2]) as contact_id,
        fields[3] as stage_to,
        fields[4] as change_source,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        fields[5] as occurred_at_raw
    from parsed
    where fields[1] = 'lifecyclestage'
)

select
    event_key('hubspot', 'contact_property_history', source_event_id) as event_key,
    'hubspot' as source_system,
    'crm' as source_category,
    'contact_property_history' as source_object,
    source_event_id,
    raw_file,
    raw_record_locator,
    'crm.lifecycle_changed' as event_type,
    'lifecyclestage' as event_name_raw,
    occurred_at,
    occurred_at_raw,
    'ms' as time_precision,
    ingested_at,
    contact_id as source_person_id,
    'hubspot_contact' as source_person_type,
    'contact' as object_type,
    contact_id as object_id,
    'crm' as channel,
    lag(stage_to) over (partition by contact_id order by occurred_at, source_event_id)
        as stage_from,
    stage_to,
    json_object('source', change_source) as properties
from stage_changes;
