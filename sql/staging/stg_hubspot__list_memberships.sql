-- A contact added to or removed from a HubSpot list.
create or replace view stg_hubspot__list_memberships as
with source as (
    select * from raw_hubspot__list_memberships
),

-- one parse of the record for all its fields
parsed as (
    select
        *,
        json_extract_string(
            _record, ['$.contact_id', '$.list_id', '$.list_name', '$.change', '$.timestamp']
        ) as fields
    from source
),

renamed as (
    select
        _natural_key as source_event_id,
        trim(fields[1]) as contact_id,
        fields[2] as list_id,
        fields[3] as list_name,
        lower(trim(fields[4])) as change,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        fields[5] as occurred_at_raw
    from parsed
)

select
    event_key('hubspot', 'list_memberships', source_event_id) as event_key,
    'hubspot' as source_system,
    'crm' as source_category,
    'list_memberships' as source_object,
    source_event_id,
    raw_file,
    raw_record_locator,
    case change
        when 'added' then 'crm.list_joined'
        when 'removed' then 'crm.list_left'
        else 'crm.other'
    end as event_type,
    change as event_name_raw,
    occurred_at,
    occurred_at_raw,
    'ms' as time_precision,
    ingested_at,
    contact_id as source_person_id,
    'hubspot_contact' as source_person_type,
    'list' as object_type,
    list_id as object_id,
    list_id as campaign_id,
    list_name as campaign_name,
    'crm' as channel,
    json_object('list_name', list_name) as properties
from renamed;
