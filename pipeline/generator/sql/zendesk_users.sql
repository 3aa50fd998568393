-- Zendesk users (API shape, explicit nulls).
select
    to_json({
        'id': id,
        'url': 'https://cadencebikes.zendesk.com/api/v2/users/' || id || '.json',
        'name': name,
        'email': email,
        'role': role,
        'external_id': external_id,
        'created_at': iso_z(created_at),
        'updated_at': iso_z(updated_at)
    })::varchar as line,
    _truncate
from rows
