-- The Markov model of one map (all journeys, touchpoint level): each touchpoint's removal
-- effect and share of the credit.
select
    e.label,
    coalesce(t.label, e.label) as display_label,
    e.conversion_probability,
    e.conversion_probability_without,
    e.removal_effect,
    e.credit_share,
from fct_attribution_removal_effects as e
left join map_touchpoints as t on t.map_id = e.map_id and t.touchpoint_id = e.label
where e.map_id = $map_id and e.level = 'touchpoint' and e.grain = 'all'
order by e.removal_effect desc, e.label;
