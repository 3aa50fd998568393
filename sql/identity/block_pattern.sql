-- Block the identifiers matching one blocked pattern (run once per pattern and type, in rule
-- order). Only identifiers not blocked yet are touched, so the first matching rule gives the
-- reason. A null pattern type applies the pattern to every type.
update identity_identifier_candidates
set block_reason = $block_reason
where
    block_reason is null
    and ($pattern_type::varchar is null or identifier_type = $pattern_type::varchar)
    and regexp_matches(identifier_value, $pattern);
