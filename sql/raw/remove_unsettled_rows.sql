-- Rows of a load that has no ledger row: a load interrupted between landing its rows and
-- settling them (pipeline/loading.py). They are not loaded data; remove them before loading.
delete from {{raw_table}}
where _load_id not in (select load_id from load_ledger);

delete from load_rejects
where source = $source
    and object = $object
    and load_id not in (select load_id from load_ledger);
