-- Does a raw table hold exactly what the ledger says was loaded, and the rejects table exactly
-- what it says was rejected? Counted independently from each table.
with ledger as (
    select
        coalesce(sum(rows_loaded), 0) as ledger_loaded,
        coalesce(sum(rows_rejected), 0) as ledger_rejected,
        coalesce(sum(rows_read), 0) as ledger_read,
        coalesce(sum(rows_loaded + rows_rejected + rows_duplicate), 0) as ledger_accounted
    from load_ledger
    where source = $source and object = $object
),

raw_rows as (
    select count(*) as raw_rows from {{raw_table}}
),

rejects as (
    select count(*) as rejects
    from load_rejects
    where source = $source and object = $object
)

select
    $source || '.' || $object as object,
    raw_rows.raw_rows,
    ledger.ledger_loaded,
    rejects.rejects,
    ledger.ledger_rejected,
    raw_rows.raw_rows = ledger.ledger_loaded
        and rejects.rejects = ledger.ledger_rejected
        and ledger.ledger_read = ledger.ledger_accounted as reconciles
from ledger, raw_rows, rejects;
