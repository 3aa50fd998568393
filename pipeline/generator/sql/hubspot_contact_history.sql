-- Contact property history, API/Fivetran shape: epoch-millisecond timestamps.
select
    contact_id::varchar as contact_id,
    name,
    value,
    source,
    source_id,
    coalesce(bad_ts, ts::varchar) as timestamp,
    _fields
from rows
