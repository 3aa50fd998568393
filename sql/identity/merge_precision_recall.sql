-- Pairwise precision and recall of person_map against a truth table
-- (identifier_type, identifier_value, person_id), read from temp.identity_truth_input.
-- Over the truth identifiers: a pair is predicted when both ends share a customer_id (an
-- identifier missing from person_map, e.g. blocked, is a customer of its own), and true when both
-- ends share a person_id. Pairs are counted per group with n * (n - 1) / 2, never enumerated.
with truth_source as (
    select
        identity_norm_type(identifier_type::varchar) as identifier_type,
        identity_norm_value(
            identity_norm_type(identifier_type::varchar),
            identifier_value::varchar,
            $case_insensitive_types::varchar[]
        ) as identifier_value,
        person_id::varchar as person_id
    from temp.identity_truth_input
    where identifier_value is not null and person_id is not null
),

truth as (
    select
        identifier_type,
        identifier_value,
        min(person_id) as person_id
    from truth_source
    group by identifier_type, identifier_value
),

person_map as (
    select * from person_map
),

predicted as (
    select
        truth.identifier_type,
        truth.identifier_value,
        truth.person_id,
        person_map.customer_id is not null as is_mapped,
        coalesce(
            person_map.customer_id,
            'unmapped:' || truth.identifier_type || ':' || truth.identifier_value
        ) as customer_id
    from truth
    left join person_map
        on truth.identifier_type = person_map.identifier_type
        and truth.identifier_value = person_map.identifier_value
),

predicted_groups as (
    select count(*)::hugeint as n from predicted group by customer_id
),

truth_groups as (
    select count(*)::hugeint as n from predicted group by person_id
),

both_groups as (
    select count(*)::hugeint as n from predicted group by customer_id, person_id
),

pair_counts as (
    select
        (select coalesce(sum(n * (n - 1) // 2), 0) from predicted_groups)::bigint
            as predicted_pairs,
        (select coalesce(sum(n * (n - 1) // 2), 0) from truth_groups)::bigint as truth_pairs,
        (select coalesce(sum(n * (n - 1) // 2), 0) from both_groups)::bigint
            as true_positive_pairs,
        (select count(*) from predicted)::bigint as n_identifiers,
        (select count(*) filter (where not is_mapped) from predicted)::bigint
            as n_identifiers_unmapped
)

select
    true_positive_pairs,
    predicted_pairs,
    truth_pairs,
    n_identifiers,
    n_identifiers_unmapped,
    true_positive_pairs::double / nullif(predicted_pairs, 0) as pair_precision,
    true_positive_pairs::double / nullif(truth_pairs, 0) as pair_recall
from pair_counts;
