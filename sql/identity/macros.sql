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
