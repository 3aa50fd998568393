-- List membership changes (epoch ms).
select
    contact_id::varchar as contact_id,
    list_id::varchar as list_id,
    list_name,
    change,
    ts::varchar as timestamp
from rows
