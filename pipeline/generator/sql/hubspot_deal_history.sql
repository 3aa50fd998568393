-- Deal property history, API/Fivetran shape: epoch-millisecond timestamps.
select
    deal_id::varchar as deal_id,
    name,
    value,
    source,
    source_id,
    coalesce(bad_ts, ts::varchar) as timestamp,
    _fields
from rows
