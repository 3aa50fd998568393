"""A small hand-worked case for the step conversion that step_targets and fct_opportunity_steps
read (int_milestone_step_conversion, docs/metrics.md#drop-off), built through the real funnel
tables (tests/test_funnel_pipeline.build_layer).

Map m (as-is) and mi (its ideal, the same milestones): visit -> signup -> order (the endpoint)
-> repeat (own window 30 days, not bound by the map window). Map window 10 days, as-of
2026-03-01. Deadline for signup / order = visit + 10 d; for repeat = order + 30 d.

  customer persona visit  signup order  repeat   entry week
  a1       P       01-05  01-06  01-08  01-20    01-05
  a2       P       01-05  01-07  01-09  -        01-05  repeat deadline 02-08: passed
  a3       P       01-06  01-08  -      -        01-05
  a4       Q       01-06  -      -      -        01-05
  a5       Q       01-07  01-09  01-12  -        01-05  repeat deadline 02-11: passed
  a6       (none)  02-10  02-11  02-12  -        02-09  repeat deadline 03-14: open
  a7       (none)  01-12  -      -      -        01-12
  b1       Q       02-25  02-26  -      -        02-23  order deadline 03-07: open
  b2       P       02-26  -      -      -        02-23  signup deadline 03-08: open

Step into signup: entered (reached visit) 9; open = b1, b2 (deadline 03-07 / 03-08 after
  as-of; b1 already signed up, but the cohort is chosen by deadline, not outcome) = 2; closed
  cohort a1..a7 = 7; converted a1 a2 a3 a5 a6 = 5; rate 5/7. (The old outcome-chosen rule left
  out only b2, the open non-converter, and gave 6/8.) Median time visit -> signup over all six
  who signed up: 1 2 2 2 1 1 days -> 1.5 days.
Step into order: entered a1 a2 a3 a5 a6 b1 = 6; open b1; closed 5; converted a1 a2 a5 a6 = 4;
  rate 4/5. Times 2 2 3 1 days -> median 2 days.
Step into repeat (after the endpoint): entered a1 a2 a5 a6 = 4; open a6; closed 3; converted
  a1; rate 1/3. Median 12 days (a1 only).
rate_to_endpoint: signup 4/5 (the order step's rate), order 1 (the endpoint's own step),
  repeat null (after the endpoint).
Known persona (a6 and a7 have none): signup entered 7 (all but a6 a7), open b1 b2, closed 5
  (a1..a5), converted a1 a2 a3 a5 = 4 -> 4/5; order entered a1 a2 a3 a5 b1 = 5, open b1,
  closed 4, converted 3 -> 3/4; so the signup step's rate_to_endpoint is 3/4.
Persona P: signup closed a1 a2 a3 (b2 open), 3 of 3 -> 1; order closed a1 a2 a3, 2 -> 2/3.
Persona Q: signup closed a4 a5 (b1 open), 1 of 2 -> 1/2; order closed a5 only, 1 of 1.
Entry week 2026-01-05 (a1..a5): signup 4 of 5, order 3 of 4. Week 2026-01-12 (a7): signup 0 of
  1. Week 2026-02-09 (a6): signup 1 of 1, order 1 of 1. Week 2026-02-23 (b1, b2): nobody closed.
Targets: mi: signup 0.9 (median 1 day), order 0.9, repeat 0.5; m: its own order 0.98.
"""

from test_funnel_pipeline import build_layer

from pipeline import sql
from pipeline.funnels import milestones

D = 86_400
MILESTONES = [("visit", "web_visit", "web.page_viewed"), ("signup", "signup", "web.signed_up"),
              ("order", "order", "commerce.order_completed"),
              ("repeat", "order", "commerce.order_completed")]
REACHED = {
    "a1": ["2026-01-05", "2026-01-06", "2026-01-08", "2026-01-20"],
    "a2": ["2026-01-05", "2026-01-07", "2026-01-09"],
    "a3": ["2026-01-06", "2026-01-08"],
    "a4": ["2026-01-06"],
    "a5": ["2026-01-07", "2026-01-09", "2026-01-12"],
    "a6": ["2026-02-10", "2026-02-11", "2026-02-12"],
    "a7": ["2026-01-12"],
    "b1": ["2026-02-25", "2026-02-26"],
    "b2": ["2026-02-26"],
}
PERSONA = {"a1": "P", "a2": "P", "a3": "P", "a4": "Q", "a5": "Q", "a6": None, "a7": None,
           "b1": "Q", "b2": "P"}
TARGETS = [("mi", "signup", 2, 0.9, D), ("mi", "order", 3, 0.9, None),
           ("mi", "repeat", 4, 0.5, None), ("m", "order", 3, 0.98, None)]


def build_case(path):
    """The funnel tables for maps m and mi, the step conversion, and the map tables that
    step_targets and fct_opportunity_steps read besides it."""
    conn = build_layer(path, MILESTONES, REACHED, [], PERSONA, window_seconds=10 * D,
                       step_windows={4: (30 * D, False)})
    conn.execute("alter table map_milestones add column is_endpoint boolean")
    conn.execute("update map_milestones set is_endpoint = milestone_id = 'order'")
    conn.execute("alter table journey_maps add column kind varchar default 'as_is'")
    conn.execute("alter table journey_maps add column ideal_of varchar")
    # The ideal map has the same milestones and customers, so the same funnel.
    conn.execute("insert into journey_maps select 'mi', window_seconds, as_of, 'ideal', 'm' "
                 "from journey_maps")
    conn.execute("insert into map_milestones select 'mi', * exclude (map_id) "
                 "from map_milestones")
    conn.execute("insert into fct_milestone_funnels select 'mi', * exclude (map_id) "
                 "from fct_milestone_funnels")
    conn.execute("create table map_targets (map_id varchar, milestone_id varchar, "
                 "milestone_index integer, conversion_rate double, median_time_seconds bigint)")
    conn.executemany("insert into map_targets values (?, ?, ?, ?, ?)", TARGETS)
    milestones.build_step_conversion(conn)
    return conn


def build_step_targets(conn):
    sql.run(conn, "conformance/step_targets")


def build_opportunity_steps(conn, min_journeys=2):
    sql.run(conn, "attribution/fct_opportunity_steps", params={"min_journeys": min_journeys})
