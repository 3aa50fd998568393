-- Zendesk ticket metrics.
select
    to_json({
        'id': id,
        'ticket_id': ticket_id,
        'solved_at': iso_z(solved_at),
        'reply_time_in_minutes': {'calendar': reply_minutes},
        'created_at': iso_z(created_at),
        'updated_at': iso_z(updated_at)
    })::varchar as line,
    _truncate
from rows
