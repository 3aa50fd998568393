-- Workflow enrollments (epoch ms).
select
    contact_id::varchar as contact_id,
    workflow_id::varchar as workflow_id,
    workflow_name,
    ts::varchar as enrolled_at
from rows
