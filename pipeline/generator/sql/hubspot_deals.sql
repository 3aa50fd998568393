-- HubSpot UI export of deals (labels, New York wall-clock times).
select
    deal_id::varchar as "Record ID",
    deal_name as "Deal Name",
    'Sales Pipeline' as "Pipeline",
    stage as "Deal Stage",
    printf('%.2f', amount) as "Amount",
    local_minute(created, created_off) as "Create Date",
    case when closed >= 0 then local_minute(closed, closed_off) end as "Close Date",
    local_minute(modified, modified_off) as "Last Modified Date",
    contact::varchar as "Associated Contact IDs",
    _fields
from rows
