-- A contact enrolled in a HubSpot workflow (an automated sequence, e.g. a nurture series).
create or replace view stg_hubspot__workflow_enrollments as
with source as (
    select * from raw_hubspot__workflow_enrollments
),

-- one parse of the record for all its fields
parsed as (
    select
        *,
        json_extract_string(
            _record, ['$.contact_id', '$.workflow_id', '$.workflow_name', '$.enrolled_at']
        ) as fields
    from source
),

renamed as (
    select
        _natural_key as source_event_id,
        trim(fields[1]) as contact_id,
        fields[2] as workflow_id,
        fields[3] as workflow_name,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        fields[4] as occurred_at_raw
    from parsed
)

select
    event_key('hubspot', 'workflow_enrollments', source_event_id) as event_key,
    'hubspot' as source_system,
    'crm' as source_category,
    'workflow_enrollments' as source_object,
    source_event_id,
    raw_file,
    raw_record_locator,
    'crm.workflow_enrolled' as event_type,
    workflow_name as event_name_raw,
    occurred_at,
    occurred_at_raw,
    'ms' as time_precision,
    ingested_at,
    contact_id as source_person_id,
    'hubspot_contact' as source_person_type,
    'workflow' as object_type,
    workflow_id as object_id,
    workflow_id as campaign_id,
    workflow_name as campaign_name,
    'crm' as channel,
    json_object('workflow_name', workflow_name) as properties
from renamed;
