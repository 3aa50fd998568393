-- One `crm.deal_created` event per HubSpot deal, from its latest exported snapshot. The deal's
-- first associated contact is the person it belongs to.
create or replace view stg_hubspot__deals as
with latest as (
    select * from latest_snapshot('raw_hubspot__deals', 'Record ID', 'Last Modified Date')
),

-- one parse of the record for all its fields
parsed as (
    select
        *,
        json_extract_string(_record, [
            '$."Record ID"', '$."Create Date"', '$."Associated Contact IDs"', '$."Deal Name"',
            '$."Pipeline"', '$."Deal Stage"', '$."Amount"'
        ]) as fields
    from latest
),

renamed as (
    select
        trim(fields[1]) as deal_id,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        fields[2] as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed,
        nullif(trim(split_part(fields[3], ';', 1)), '') as contact_id,
        fields[3] as contact_ids,
        fields[4] as deal_name,
        fields[5] as pipeline,
        fields[6] as deal_stage,
        try_cast(fields[7] as double) as amount
    from parsed
)

select
    event_key('hubspot', 'deals', deal_id) as event_key,
    'hubspot' as source_system,
    'crm' as source_category,
    'deals' as source_object,
    deal_id as source_event_id,
    raw_file,
    raw_record_locator,
    'crm.deal_created' as event_type,
    'Create Date' as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    'm' as time_precision,
    ingested_at,
    contact_id as source_person_id,
    case when contact_id is not null then 'hubspot_contact' end as source_person_type,
    'deal' as object_type,
    deal_id as object_id,
    'sales' as channel,
    amount as value_numeric,
    json_object(
        'deal_name', deal_name, 'pipeline', pipeline, 'current_stage', deal_stage,
        'contact_ids', contact_ids
    ) as properties
from renamed;
