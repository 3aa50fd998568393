-- Copy a truth table (identifier_type, identifier_value, person_id) into a scratch table for
-- merge_precision_recall. {{truth_source}} is a relation name chosen by code.
create or replace temp table identity_truth_input as
select
    identifier_type,
    identifier_value,
    person_id
from {{truth_source}};
