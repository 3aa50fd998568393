-- HubSpot UI export of contacts: property labels as headers, wall-clock times of the exporting
-- user (America/New_York) without an offset.
select
    vid::varchar as "Record ID",
    first_name as "First Name",
    last_name as "Last Name",
    email as "Email",
    phone as "Phone Number",
    persona as "Persona",
    lifecycle as "Lifecycle Stage",
    original_source as "Original Source",
    local_minute(created, created_off) as "Create Date",
    local_minute(modified, modified_off) as "Last Modified Date",
    merged as "Merged Contact IDs",
    _fields
from rows
