-- Conversions credited by every attribution model, all journeys of one map together, at one
-- level ('touchpoint' or 'channel'), with the touchpoint's sticky-note wording.
select
    c.model,
    c.label,
    coalesce(t.label, c.label) as display_label,
    c.credit,
    c.credit_share,
    c.n_conversions,
from fct_attribution_credits as c
left join map_touchpoints as t
    on t.map_id = c.map_id and t.touchpoint_id = c.label and c.level = 'touchpoint'
where c.map_id = $map_id and c.level = $level and c.grain = 'all'
order by c.model, c.credit desc, c.label;
