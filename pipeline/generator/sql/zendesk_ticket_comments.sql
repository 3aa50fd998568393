-- Zendesk ticket comments (bodies are customer text: they may hold markup).
select
    to_json({
        'id': id,
        'ticket_id': ticket_id,
        'type': 'Comment',
        'author_id': author_id,
        'public': public,
        'body': body,
        'created_at': iso_z(created_at)
    })::varchar as line,
    _truncate
from rows
