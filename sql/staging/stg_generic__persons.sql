-- Person properties from a generic persons file: one row per person_id and file version.
create or replace view stg_{{source}}__persons as
with source as (
    select * from raw_{{source}}__persons
),

settings as (
    select * from source_settings where source = '{{source}}'
)

select
    case settings.person_id_type
        when 'email' then 'email'
        else settings.person_id_type
    end as identifier_type,
    case settings.person_id_type
        when 'email' then normalise_email(source._record ->> 'person_id')
        else trim(source._record ->> 'person_id')
    end as identifier_value,
    settings.source as source_system,
    json_merge_patch(source._record, '{"person_id": null}') as properties,
    source._loaded_at as observed_at
from source
cross join settings;
