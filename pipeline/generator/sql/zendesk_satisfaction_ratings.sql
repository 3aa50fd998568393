-- Zendesk satisfaction ratings: offered, or answered good / bad.
select
    to_json({
        'id': id,
        'ticket_id': ticket_id,
        'requester_id': requester_id,
        'assignee_id': assignee_id,
        'score': score,
        'comment': comment,
        'reason': case when score = 'bad' then 'Other' end,
        'created_at': iso_z(created_at),
        'updated_at': iso_z(updated_at)
    })::varchar as line,
    _truncate
from rows
