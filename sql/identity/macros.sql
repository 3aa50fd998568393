-- Normalisation shared by every identity step (connection-local macros).
-- Types are trimmed and lower-cased. Values are trimmed, and lower-cased too when their type is
-- in the case-insensitive list (email and its hashes by default).
create or replace temp macro identity_norm_type(raw_type) as
    nullif(lower(trim(raw_type)), '');

create or replace temp macro identity_norm_value(norm_type, raw_value, case_insensitive_types) as
    case
        when list_contains(case_insensitive_types, norm_type) then lower(trim(raw_value))
        else trim(raw_value)
    end;

-- The identifiers of every event, normalised, one row per event (a table macro, evaluated where
-- it is used, so no copy of events is kept). The source person key takes its type from
-- source_person_type, or `<source_system>_person` when that is missing.
create or replace temp macro identity_event_identifiers(case_insensitive_types) as table
select
    event_key,
    source_system,
    occurred_at,
    identity_norm_value('email', email_norm, case_insensitive_types) as email,
    identity_norm_value('user_id', user_id, case_insensitive_types) as user_id,
    identity_norm_value('anonymous_id', anonymous_id, case_insensitive_types) as anonymous_id,
    coalesce(
        identity_norm_type(source_person_type), lower(source_system) || '_person'
    ) as person_type,
    identity_norm_value(
        coalesce(identity_norm_type(source_person_type), lower(source_system) || '_person'),
        source_person_id,
        case_insensitive_types
    ) as person_value
from events;
