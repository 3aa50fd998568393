-- Shared by the journeys steps (connection-local macros).
-- Does one map condition hold for the value `v` (text, or null when the property is missing)?
-- eq/neq compare as text, and as numbers for numeric map values (so `value: 4` matches a score
-- stored as 4.0). neq holds for a missing value. is_set: present and not blank, or the opposite
-- when flag is false. gt/lt compare as numbers; text that is not a number never passes.
create or replace temp macro journeys_condition_holds(
    op, v, text_values, number_values, pattern, bound, flag
) as
    case op
        when 'eq' then coalesce(
            list_contains(text_values, v)
            or list_contains(number_values, try_cast(v as double)), false)
        when 'neq' then not coalesce(
            list_contains(text_values, v)
            or list_contains(number_values, try_cast(v as double)), false)
        when 'icontains' then coalesce(contains(lower(v), lower(pattern)), false)
        when 'regex' then coalesce(regexp_matches(v, pattern), false)
        when 'is_set' then (coalesce(v, '') <> '') = flag
        when 'gt' then coalesce(try_cast(v as double) > bound, false)
        when 'lt' then coalesce(try_cast(v as double) < bound, false)
    end;
