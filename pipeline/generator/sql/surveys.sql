-- Survey tool export: America/Chicago wall-clock times without an offset.
select
    response_id as "Response ID",
    survey as "Survey",
    email as "Email",
    local_second("at", off) as "Submitted At",
    score::varchar as "Score",
    nullif(comment, '') as "Comment",
    intent::varchar as "How likely are you to buy in the next 30 days?",
    channel as "Preferred channel",
    _fields
from rows
