-- Point-of-sale events: ISO-8601 with the store's UTC offset.
select
    event_id,
    person_id,
    event,
    iso_offset_s("at", off) as "timestamp",
    store_id,
    bike_model
from rows
