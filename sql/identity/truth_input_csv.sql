-- Read a CSV truth file (identifier_type, identifier_value, person_id, with a header) into a
-- scratch table for merge_precision_recall. Every column is read as text, so identifiers such as
-- '00123' keep their leading zeros.
create or replace temp table identity_truth_input as
select
    identifier_type,
    identifier_value,
    person_id
from read_csv($truth_path, header = true, all_varchar = true);
