-- Zendesk tickets (API shape, explicit nulls).
select
    to_json({
        'id': id,
        'url': 'https://cadencebikes.zendesk.com/api/v2/tickets/' || id || '.json',
        'type': 'question',
        'subject': subject,
        'status': status,
        'priority': priority,
        'requester_id': requester_id,
        'assignee_id': assignee_id,
        'tags': tags,
        'via': {'channel': via_channel},
        'satisfaction_rating': {'score': score, 'comment': rating_comment},
        'created_at': iso_z(created_at),
        'updated_at': iso_z(updated_at)
    })::varchar as line,
    _truncate
from rows
