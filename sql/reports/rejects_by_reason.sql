-- Rejected export rows, grouped by file, field and reason. The rejected row's text is never
-- shown here: it can hold e-mail addresses and names.
select
    source,
    object,
    regexp_extract(file, '[^/\\]+$') as file_name,
    coalesce(field, '') as field,
    reason,
    count(*) as n_rows,
    min(row_number) as first_row,
from load_rejects
group by all
order by n_rows desc, file_name, first_row;
