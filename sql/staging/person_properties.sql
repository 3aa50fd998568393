-- Person attributes observed in CRM contacts; generic persons files are added by
-- insert_person_properties. The identity layer merges them per customer, latest wins.
create or replace table person_properties as
select
    'hubspot_contact' as identifier_type,
    trim(_record ->> 'Record ID') as identifier_value,
    'hubspot' as source_system,
    json_object(
        'persona', _record ->> 'Persona',
        'lifecycle_stage', _record ->> 'Lifecycle Stage',
        'original_source', _record ->> 'Original Source'
    ) as properties,
    coalesce(
        any_to_utc(_record ->> 'Last Modified Date', coalesce(_tz_assumed, 'UTC')), _loaded_at
    ) as observed_at
from raw_hubspot__contacts;
