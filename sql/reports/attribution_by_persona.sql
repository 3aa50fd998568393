-- Markov credit share per touchpoint within each persona of one map.
select
    c.persona,
    c.label,
    coalesce(t.label, c.label) as display_label,
    c.credit,
    c.credit_share,
    c.n_conversions,
from fct_attribution_credits as c
left join map_touchpoints as t on t.map_id = c.map_id and t.touchpoint_id = c.label
where c.map_id = $map_id and c.level = 'touchpoint' and c.grain = 'persona'
    and c.model = 'markov'
order by c.persona, c.label;
