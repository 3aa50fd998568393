-- Point-of-sale customer list.
select
    person_id,
    loyalty_tier,
    home_store
from rows
