-- Deal stage changes from HubSpot's deal property history. Only `dealstage` rows are events;
-- other properties stay in the raw table. Moving into closedwon / closedlost is a win / loss.
create or replace view stg_hubspot__deal_property_history as
with source as (
    select * from raw_hubspot__deal_property_history
),

deals as (
    select
        json_extract_string(_record, ['$."Record ID"', '$."Associated Contact IDs"']) as fields
    from latest_snapshot('raw_hubspot__deals', 'Record ID', 'Last Modified Date')
),

deal_contacts as (
    select
        trim(fields[1]) as deal_id,
        nullif(trim(split_part(fields[2], ';', 1)), '') as contact_id
    from deals
),

-- one parse of the record for all its fields
parsed as (
    select
        *,
        json_extract_string(
            _record, ['$.name', '$.deal_id', '$.value', '$.source', '$.timestamp']
        ) as fields
    from source
),

stage_changes as (
    select
        _natural_key as source_event_id,
        trim(fields[2]) as deal_id,
        fields[3] as stage_to,
        fields[4] as change_source,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,
        _occurred_at as occurred_at,
        fields[5] as occurred_at_raw
    from parsed
    where fields[1] = 'dealstage'
),

with_previous as (
    select
        *,
        lag(stage_to) over (partition by deal_id order by occurred_at, source_event_id)
            as stage_from
    from stage_changes
)

select
    event_key('hubspot', 'deal_property_history', c.source_event_id) as event_key,
    'hubspot' as source_system,
    'crm' as source_category,
    'deal_property_history' as source_object,
    c.source_event_id,
    c.raw_file,
    c.raw_record_locator,
    case lower(c.stage_to)
        when 'closedwon' then 'crm.deal_won'
        when 'closedlost' then 'crm.deal_lost'
        else 'crm.deal_stage_changed'
    end as event_type,
    'dealstage' as event_name_raw,
    c.occurred_at,
    c.occurred_at_raw,
    'ms' as time_precision,
    c.ingested_at,
    d.contact_id as source_person_id,
    case when d.contact_id is not null then 'hubspot_contact' end as source_person_type,
    'deal' as object_type,
    c.deal_id as object_id,
    'sales' as channel,
    c.stage_from,
    c.stage_to,
    json_object('source', c.change_source) as properties
from with_previous as c
left join deal_contacts as d on d.deal_id = c.deal_id;
