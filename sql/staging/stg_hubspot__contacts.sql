-- One `crm.contact_created` event per HubSpot contact, from its latest exported snapshot.
create or replace view stg_hubspot__contacts as
with latest as (
    select * from latest_snapshot('raw_hubspot__contacts', 'Record ID', 'Last Modified Date')
),

-- one parse of the record for all its fields
parsed as (
    select
        *,
        json_extract_string(_record, [
            '$."Record ID"', '$."Create Date"', '$."Email"', '$."Lifecycle Stage"', '$."Persona"',
            '$."Original Source"'
        ]) as fields
    from latest
),

renamed as (
    select
        trim(fields[1]) as contact_id,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        fields[2] as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed,
        normalise_email(fields[3]) as email_norm,
        fields[4] as lifecycle_stage,
        fields[5] as persona,
        fields[6] as original_source
    from parsed
)

select
    event_key('hubspot', 'contacts', contact_id) as event_key,
    'hubspot' as source_system,
    'crm' as source_category,
    'contacts' as source_object,
    contact_id as source_event_id,
    raw_file,
    raw_record_locator,
    'crm.contact_created' as event_type,
    'Create Date' as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    'm' as time_precision,
    ingested_at,
    email_norm,
    sha256(email_norm) as email_sha256,
    md5(email_norm) as email_md5,
    contact_id as source_person_id,
    'hubspot_contact' as source_person_type,
    'contact' as object_type,
    contact_id as object_id,
    'crm' as channel,
    lifecycle_stage as stage_to,
    json_object(
        'persona', persona, 'lifecycle_stage', lifecycle_stage, 'original_source', original_source
    ) as properties
from renamed;
