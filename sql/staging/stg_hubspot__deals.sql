-- One `crm.deal_created` event per HubSpot deal, from its latest exported snapshot. The deal's
-- first associated contact is the person it belongs to.
create or replace view stg_hubspot__deals as
with latest as (
    select * from latest_snapshot('raw_hubspot__deals', 'Record ID', 'Last Modified Date')
),

renamed as (
    select
        trim(_record ->> 'Record ID') as deal_id,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        _record ->> 'Create Date' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed,
        nullif(trim(split_part(_record ->> 'Associated Contact IDs', ';', 1)), '') as contact_id,
        _record ->> 'Associated Contact IDs' as contact_ids,
        _record ->> 'Deal Name' as deal_name,
        _record ->> 'Pipeline' as pipeline,
        _record ->> 'Deal Stage' as deal_stage,
        try_cast(_record ->> 'Amount' as double) as amount
    from latest
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
