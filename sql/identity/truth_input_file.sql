-- Read a Parquet or JSON-lines truth file (identifier_type, identifier_value, person_id) into a
-- scratch table for merge_precision_recall. {{reader}} is read_parquet or read_json_auto, chosen
-- by code from the file's suffix; the path is a parameter.
create or replace temp table identity_truth_input as
select
    identifier_type,
    identifier_value,
    person_id
from {{reader}}($truth_path);
