-- Rows a staging view holds for a window: the independent side of the events reconciliation.
select count(*)
from {{view}}
where occurred_at >= $start_at and occurred_at < $end_at;
