-- Stated channel preference against the channel actually engaged most, per map.
select
    map_id,
    stated_channel,
    engaged_channel,
    customers,
    share_of_stated,
    matches_stated,
from stated_vs_actual_channel
order by map_id, stated_channel, customers desc, engaged_channel;
