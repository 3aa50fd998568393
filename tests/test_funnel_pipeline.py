"""Pipeline funnels and drop-off on a tiny hand-made journeys layer (docs/metrics.md#drop-off).

Map m: milestones visit -> signup -> order, window 10 days, as-of 2026-03-01.
  c1  visit 01-05 00:00, signup 01-06, order 01-08                 converted
  c2  visit 01-06, signup 01-07 (window ends 01-16)                dropped at step 1
  c3  visit 01-07                                                  dropped at step 0
  c4  visit 02-25 (window ends 03-07, after as-of)                  in progress at step 0
  c5  no milestone                                                 not entered
  c6  visit 01-05, signup 01-20 (10 days after 01-05 is 01-15)      dropped at step 0
Entry weeks: c1 c2 c3 c6 -> 2026-01-05; c4 -> 2026-02-23.
"""

import math
from datetime import datetime

import pytest

from pipeline.funnels import milestones
from pipeline.funnels.week_over_week import benjamini_hochberg, two_proportion_p
from pipeline.resources import connect

D = 86_400


def ts(text):
    return datetime.fromisoformat(text)


MILESTONES = [("visit", "web_visit", "web.page_viewed"), ("signup", "signup", "web.signed_up"),
              ("order", "order", "commerce.order_completed")]
REACHED = {"c1": ["2026-01-05 00:00", "2026-01-06 00:00", "2026-01-08 00:00"],
           "c2": ["2026-01-06 00:00", "2026-01-07 00:00"],
           "c3": ["2026-01-07 00:00"],
           "c4": ["2026-02-25 00:00"],
           "c6": ["2026-01-05 00:00", "2026-01-20 00:00"]}
OTHER_EVENTS = [  # customer, time, event type, raw name, touchpoint
    ("c1", "2026-01-05 12:00", "email.clicked", "click", "nurture_click"),
    ("c2", "2026-01-06 06:00", "email.opened", "open", "nurture_open"),
    ("c2", "2026-01-09 00:00", "email.clicked", "click", "nurture_click"),
    ("c2", "2026-01-10 00:00", "web.page_viewed", "Pricing", None),
    ("c2", "2026-01-20 00:00", "email.opened", "open", "nurture_open"),
    ("c3", "2026-01-08 00:00", "email.opened", "open", "nurture_open"),
]
PERSONA = {"c1": "A", "c2": "A", "c3": "B", "c4": "A", "c5": "A", "c6": "A"}


def build_layer(path, milestones_, reached, other_events, persona, window_seconds=10 * D,
                step_windows=None):
    """A journeys layer by hand, then every funnel table. step_windows: milestone index ->
    (window seconds, within_map_window)."""
    c = connect(path)
    c.execute("create table journey_maps as select 'm' as map_id, ?::bigint as "
              "window_seconds, timestamp '2026-03-01' as as_of", [window_seconds])
    c.execute("create table map_milestones (map_id varchar, milestone_index integer, "
              "milestone_id varchar, touchpoint_id varchar, stage varchar, "
              "window_seconds bigint, within_map_window boolean)")
    c.execute("create table customer_milestones (map_id varchar, customer_id varchar, "
              "milestone_index integer, milestone_id varchar, reached_at timestamp, "
              "event_key varchar)")
    c.execute("create table customer_journeys (map_id varchar, customer_id varchar, "
              "persona varchar, first_touch_channel varchar, first_touch_source varchar, "
              "first_touch_department varchar)")
    c.execute("create table journey_events (map_id varchar, customer_id varchar, "
              "event_key varchar, occurred_at timestamp, event_type varchar, "
              "event_name_raw varchar, touchpoint_id varchar)")
    for i, (mid, tp, _) in enumerate(milestones_):
        window, within = (step_windows or {}).get(i + 1, (None, True))
        c.execute("insert into map_milestones values ('m', ?, ?, ?, ?, ?, ?)",
                  [i + 1, mid, tp, ["Awareness", "Consideration", "Purchase", "Loyalty"][i], window,
                   within])
    for cust, times in reached.items():
        for i, t in enumerate(times):
            key = f"{cust}-m{i}"
            c.execute("insert into customer_milestones values ('m', ?, ?, ?, ?, ?)",
                      [cust, i + 1, milestones_[i][0], ts(t), key])
            c.execute("insert into journey_events values ('m', ?, ?, ?, ?, ?, ?)",
                      [cust, key, ts(t), milestones_[i][2], milestones_[i][0],
                       milestones_[i][1]])
    for n, (cust, t, etype, raw, tp) in enumerate(other_events):
        c.execute("insert into journey_events values ('m', ?, ?, ?, ?, ?, ?)",
                  [cust, f"{cust}-e{n}", ts(t), etype, raw, tp])
    for cust, p in persona.items():
        c.execute("insert into customer_journeys values ('m', ?, ?, 'web', 'segment', "
                  "'marketing')", [cust, p])
    milestones.build_funnel_persons(c)
    milestones.build_milestone_funnels(c)
    milestones.build_dropoff(c)
    milestones.build_week_over_week(c)
    return c


@pytest.fixture
def conn(tmp_path):
    c = build_layer(tmp_path / "j.duckdb", MILESTONES, REACHED, OTHER_EVENTS, PERSONA)
    yield c
    c.close()


def test_statuses_separate_in_progress_from_dropped(conn):
    got = dict(conn.execute("select customer_id, status || ':' || furthest_step "
                            "from fct_funnel_persons").fetchall())
    assert got == {"c1": "converted:2", "c2": "dropped:1", "c3": "dropped:0",
                   "c4": "in_progress:0", "c5": "not_entered:-1", "c6": "dropped:0"}


def test_milestone_funnel_overall(conn):
    rows = conn.execute("""
        select step_index, persons, conversion_from_previous, mature_persons,
               mature_conversion_from_previous, in_progress, average_seconds, median_seconds
        from fct_milestone_funnels where dimension = 'all' order by step_index""").fetchall()
    # Entrants c1 c2 c3 c4 c6 = 5; signup c1 c2 = 2 (c6's signup is outside the window); order
    # c1. Mature (window closed): all but c4. In progress below steps 1 and 2 (not yet
    # reached, window open): c4.
    # Times: signup c1 1d, c2 1d; order c1 2d after signup.
    assert rows[0][:6] == (0, 5, None, 4, None, 0)
    assert rows[1][:6] == (1, 2, pytest.approx(0.4), 2, pytest.approx(0.5), 1)
    assert rows[2][:6] == (2, 1, pytest.approx(0.5), 1, pytest.approx(0.5), 1)
    assert rows[1][6:] == (pytest.approx(D), pytest.approx(D))
    assert rows[2][6:] == (pytest.approx(2 * D), pytest.approx(2 * D))


def test_milestone_funnel_segments(conn):
    got = {(d, s): n for d, s, n in conn.execute(
        "select dimension, segment, persons from fct_milestone_funnels where step_index = 0"
    ).fetchall()}
    # persona A: c1 c2 c4 c6; B: c3. Entry weeks: 01-05 (c1 c2 c3 c6), 02-23 (c4).
    assert got[("persona", "A")] == 4 and got[("persona", "B")] == 1
    assert got[("entry_week", "2026-01-05")] == 4 and got[("entry_week", "2026-02-23")] == 1
    assert got[("first_touch_channel", "web")] == 5


def test_dropoff_per_step_and_week(conn):
    rows = {(w, k): r for w, k, *r in conn.execute("""
        select entry_week::varchar, step_index, entered, progressed, in_progress, dropped,
               drop_off_rate from fct_dropoff_weekly""").fetchall()}
    # All weeks, step 0: entered 5 = progressed 2 (c1 c2) + in progress 1 (c4) + dropped 2
    # (c3 c6); rate 2 / (2 + 2). Step 1: entered 2 = progressed 1 + dropped 1 (c2).
    assert rows[(None, 0)] == [5, 2, 1, 2, 0.5]
    assert rows[(None, 1)] == [2, 1, 0, 1, 0.5]
    assert rows[("2026-01-05", 0)] == [4, 2, 0, 2, 0.5]
    # Week 02-23: only c4, in progress: nobody resolved, so no rate (not 0).
    assert rows[("2026-02-23", 0)] == [1, 0, 1, 0, None]


def test_last_touchpoint_and_next_steps_of_dropped_customers(conn):
    last = conn.execute("select step_index, touchpoint_id, persons, share from "
                        "fct_dropoff_last_touchpoints where entry_week is null "
                        "order by step_index, rank").fetchall()
    # Step 0: c3 opened a nurture mail on 01-08 (inside its window to 01-17); c6's last
    # touchpoint up to 01-15 is the visit itself (its signup on 01-20 is later).
    # Step 1: c2's events up to 01-16: the 01-09 click (the 01-10 page view has no touchpoint,
    # the 01-20 open is after the window).
    assert last == [(0, "nurture_open", 1, 0.5), (0, "web_visit", 1, 0.5),
                    (1, "nurture_click", 1, 1.0)]
    nxt = conn.execute("select step_index, kind, value, persons from fct_dropoff_next_steps "
                       "where entry_week is null order by step_index, kind, value").fetchall()
    # The first event after their last milestone: c3 opened a mail (01-08), c6 signed up (too
    # late), c2 clicked (01-09).
    assert nxt == [(0, "event_type", "email.opened", 1), (0, "event_type", "web.signed_up", 1),
                   (0, "touchpoint", "nurture_open", 1), (0, "touchpoint", "signup", 1),
                   (1, "event_type", "email.clicked", 1), (1, "touchpoint", "nurture_click", 1)]


def test_drivers_use_posthogs_odds_ratio(conn):
    got = {(k, sig): (s, f, round(o, 4)) for k, sig, s, f, o in conn.execute("""
        select signal_kind, signal, success_persons, failure_persons, odds_ratio
        from fct_dropoff_drivers where entry_week is null and step_index = 0""").fetchall()}
    # Step 0: successes c1 c2 (S = 2), failures c3 c6 (F = 2); c4 is in progress, left out.
    # email.clicked: c1 only (s 1, f 0): OR = (1+1)(2-0+1) / ((2-1+1)(0+1)) = 6/2 = 3.
    # email.opened: c2 and c3 (s 1, f 1): OR = (2)(2) / ((2)(2)) = 1 -> a failure signal.
    # persona = A: c1 c2 c6 (s 2, f 1): (3)(2) / ((1)(2)) = 3; persona = B: c3: (1)(2)/((3)(2)).
    # first_touch_channel = web: everyone: (3)(1) / ((1)(3)) = 1.
    # Event-property signals need s + f > 2: none qualify. Milestone types/touchpoints are out.
    assert got == {
        ("event_type", "email.clicked"): (1, 0, 3.0),
        ("touchpoint", "nurture_click"): (1, 0, 3.0),
        ("event_type", "email.opened"): (1, 1, 1.0),
        ("touchpoint", "nurture_open"): (1, 1, 1.0),
        ("person_property", "persona = A"): (2, 1, 3.0),
        ("person_property", "persona = B"): (0, 1, round(1 / 3, 4)),
        ("person_property", "first_touch_channel = web"): (2, 2, 1.0),
    }
    # Step 1: success c1 (no events between signup and order), failure c2: the 01-09 click.
    # email.clicked: s 0, f 1: (1)(1) / ((2)(2)) = 0.25.
    assert conn.execute("""select odds_ratio, direction from fct_dropoff_drivers
        where entry_week is null and step_index = 1 and signal = 'email.clicked'""").fetchall() \
        == [(0.25, "failure")]


def test_week_over_week_uses_mature_cohorts_only(conn):
    rows = conn.execute("""select entry_week::varchar, step_index, entered, converted,
        previous_entered, p_vs_previous from fct_funnel_week_over_week
        where dimension = 'all' order by entry_week, step_index""").fetchall()
    # Week 02-23 (c4) is not mature: no rows. Week 01-05: step 1 2/4, step 2 1/2; no previous
    # week, so no test.
    assert rows == [("2026-01-05", 1, 4, 2, None, None), ("2026-01-05", 2, 2, 1, None, None)]


def test_two_proportion_tests_by_hand():
    # 30/100 vs 50/100: pooled 0.4, se = sqrt(0.4 * 0.6 * 2/100) = 0.069282,
    # z = -0.2 / 0.069282 = -2.88675, two-sided p = 2 * (1 - Phi(2.88675)) = 0.003892.
    # 1/5 vs 4/5: expected cells 2.5 < 5 -> Fisher: P(X<=1) + P(X>=4), X ~ Hyp(10, 5, 5):
    # (1 + 25 + 25 + 1) / 252 = 0.206349. 0/10 vs 0/12: no difference possible, p = 1.
    p = two_proportion_p([30, 1, 0, 3], [100, 5, 10, 0], [50, 4, 0, 1], [100, 5, 12, 4])
    assert p[0] == pytest.approx(0.003892, abs=2e-6)
    assert p[1] == pytest.approx(52 / 252, abs=1e-6)
    assert p[2] == 1.0
    assert p[3] != p[3]  # n = 0: no test (NaN)


def test_benjamini_hochberg_by_hand():
    # Family a: p 0.01 0.04 0.03 0.5 -> sorted 0.01 0.03 0.04 0.5, p*m/rank = 0.04 0.06 0.0533
    # 0.5, running minimum from the top: 0.04 0.0533 0.0533 0.5. Family b alone: q = p.
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5, 0.2, float("nan")],
                           ["a", "a", "a", "a", "b", "b"])
    assert q[:5] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5, 0.2])
    assert q[5] != q[5]


def test_invariant_checks_pass_and_catch_violations(conn, tmp_path):
    from assets import funnels as checks
    from pipeline.resources import JourneysDuckDB

    conn.execute("checkpoint")
    db = JourneysDuckDB(database=str(tmp_path / "j.duckdb"))
    all_checks = [checks.funnel_counts_never_increase, checks.funnel_rates_between_0_and_1,
                  checks.funnel_person_lists_match_counts,
                  checks.funnel_conversion_times_within_window, checks.dropoff_adds_up]
    conn.close()
    assert [c(duckdb=db).passed for c in all_checks] == [True] * 5
    with db.get_connection() as c:
        # A count that grows, a rate above 1, a list that disagrees with its count, a step
        # credited after the window, and a drop-off row that does not add up.
        c.execute("update fct_milestone_funnels set persons = 9, conversion_from_previous = 4.5 "
                  "where dimension = 'all' and step_index = 2")
        c.execute("update fct_funnel_person_steps set reached_at = timestamp '2026-02-01' "
                  "where customer_id = 'c1' and step_index = 2")
        c.execute("update fct_dropoff_weekly set dropped = dropped + 1 where step_index = 0")
    assert [c(duckdb=db).passed for c in all_checks] == [False] * 5


def test_a_milestone_after_the_endpoint_keeps_its_own_window(tmp_path):
    # Map: visit -> order (endpoint) -> repeat, window 10 days; repeat must come within 30 days
    # of the order and is not bound by the 10-day window (within_map_window false).
    #   d1  visit 01-05, order 01-08, repeat 02-01 (24 days after the order)  converted
    #   d2  visit 01-05, order 01-08, repeat 02-10 (33 days: too late)        dropped at 1
    #       (deadline 01-08 + 30 days = 02-07, before as-of 03-01)
    #   d3  visit 02-10, order 02-12 (repeat deadline 03-14, after as-of)     in progress at 1
    #   d4  visit 01-05, order 01-20 (past 01-15)                             dropped at 0
    #   d5  visit 02-20, order 02-22, repeat 02-25 (its repeat deadline 03-24 is after as-of)
    #                                                                          converted
    steps = [("visit", "web_visit", "web.page_viewed"),
             ("order", "order", "commerce.order_completed"),
             ("repeat", "order", "commerce.order_completed")]
    reached = {"d1": ["2026-01-05 00:00", "2026-01-08 00:00", "2026-02-01 00:00"],
               "d2": ["2026-01-05 00:00", "2026-01-08 00:00", "2026-02-10 00:00"],
               "d3": ["2026-02-10 00:00", "2026-02-12 00:00"],
               "d4": ["2026-01-05 00:00", "2026-01-20 00:00"],
               "d5": ["2026-02-20 00:00", "2026-02-22 00:00", "2026-02-25 00:00"]}
    c = build_layer(tmp_path / "w.duckdb", steps, reached, [], dict.fromkeys(reached, "A"),
                    step_windows={3: (30 * D, False)})
    got = dict(c.execute("select customer_id, status || ':' || furthest_step || ':' || "
                         "coalesce(deadline_at::varchar, '-') from fct_funnel_persons").fetchall())
    assert got == {"d1": "converted:2:-", "d2": "dropped:1:2026-02-07 00:00:00",
                   "d3": "in_progress:1:2026-03-14 00:00:00",
                   "d4": "dropped:0:2026-01-15 00:00:00", "d5": "converted:2:-"}
    rows = c.execute("""
        select step_index, persons, mature_previous_persons, mature_persons,
               mature_conversion_from_previous, in_progress
        from fct_milestone_funnels where dimension = 'all' order by step_index""").fetchall()
    # Step 1: the order deadline (entry + 10 days) has passed for d1-d4, not d5 (03-02):
    # 3 of 4 ordered. Step 2: closed cohort = reached the order with the repeat deadline
    # passed: d1, d2 (not d3: 03-14, nor d5: 03-24, although d5 already repeated); of them d1
    # repeated: 1/2. d3 is in progress below step 2.
    assert rows == [(0, 5, 4, 4, None, 0), (1, 4, 4, 3, 0.75, 0), (2, 2, 2, 1, 0.5, 1)]
    drop = c.execute("select entered, progressed, in_progress, dropped, closed, drop_off_rate "
                     "from fct_dropoff_weekly where entry_week is null and step_index = 1"
                     ).fetchall()
    # Ordered: d1 d2 d3 d5; went on d1 d5, in progress d3, dropped d2. Closed d1 d2: 1/2
    # dropped (dropped / (went on + dropped) would say 1/3, counting d5's quick repeat while
    # d3's outcome is still open).
    assert drop == [(4, 2, 1, 1, 2, 0.5)]
    weekly = c.execute("select entry_week::varchar, step_index, entered, converted "
                       "from int_funnel_weekly_conversion where dimension = 'all' "
                       "order by entry_week, step_index").fetchall()
    # Week 01-05: d1 d2 d4 for step 1 (2 ordered), d1 d2 for step 2 (1 repeated).
    # Week 02-09: d3 for step 1 (ordered); its step 2 is still open, so no row.
    assert weekly == [("2026-01-05", 1, 3, 2), ("2026-01-05", 2, 2, 1), ("2026-02-09", 1, 1, 1)]
    milestones.build_time_to_milestone(c)
    repeat = c.execute("select seconds / 86400, at_risk, conversions, cumulative_conversion "
                       "from fct_time_to_milestone where dimension = 'all' and step_index = 2"
                       ).fetchall()
    # Time from the visit to the repeat: d5 at 5 days, d1 at 27. d3 is in progress, watched for
    # 19 days (02-10 to as-of). d2 and d4 dropped: they can never repeat, so they stay at risk.
    # At 5 days all 5 are at risk: S = 4/5. At 27 days d1, d2, d4: S = 4/5 * 2/3 = 8/15.
    # (Censoring the drop-outs at their deadlines would leave d4 out of the second risk set and
    # give S = 4/5 * 1/2, as if d4 might still have repeated.)
    assert repeat == [(5.0, 5, 1, pytest.approx(1 / 5)), (27.0, 3, 1, pytest.approx(7 / 15))]
    c.execute("checkpoint")
    c.close()
    from assets import funnels as checks
    from pipeline.resources import JourneysDuckDB
    db = JourneysDuckDB(database=str(tmp_path / "w.duckdb"))
    assert checks.funnel_conversion_times_within_window(duckdb=db).passed


def test_time_to_milestone_is_kaplan_meier_with_in_progress_customers_censored(tmp_path):
    # Map visit -> signup -> order, window 10 days, as-of 03-01. Days since entry:
    #   k1  visit 01-05, signup 01-06 (1d), order 01-07 (2d)        converted
    #   k2  visit 01-05, signup 01-08 (3d)                           dropped at 1 (deadline 01-15)
    #   k3  visit 01-05                                              dropped at 0 (deadline 01-15)
    #   k4  visit 02-25                  in progress (deadline 03-07): watched until as-of, 4d
    #   k5  visit 02-27, signup 02-28 (1d)  in progress at 1 (deadline 03-09): watched 2d
    #   k6  visit 02-20                  in progress (deadline 03-02): watched 9d
    reached = {"k1": ["2026-01-05 00:00", "2026-01-06 00:00", "2026-01-07 00:00"],
               "k2": ["2026-01-05 00:00", "2026-01-08 00:00"],
               "k3": ["2026-01-05 00:00"],
               "k4": ["2026-02-25 00:00"],
               "k5": ["2026-02-27 00:00", "2026-02-28 00:00"],
               "k6": ["2026-02-20 00:00"]}
    c = build_layer(tmp_path / "k.duckdb", MILESTONES, reached, [], dict.fromkeys(reached, "A"))
    milestones.build_time_to_milestone(c)
    curve = c.execute("""
        select step_index, seconds / 86400, at_risk, conversions, censored, survival,
               cumulative_conversion, cumulative_conversion_low, cumulative_conversion_high
        from fct_time_to_milestone where dimension = 'all' order by step_index, seconds
    """).fetchall()
    # Signup: conversions at 1d (k1, k5) and 3d (k2); censored at 4d (k4), 9d (k6) while in
    # progress; k3 dropped, so it stays at risk. At 1d all 6 are at risk: S = 1 - 2/6 = 2/3.
    # At 3d, 4 remain (k2 k4 k6 k3): S = 2/3 * (1 - 1/4) = 1/2.
    # Order: k1 at 2d; censored k5 at 2d (at risk at 2d: censoring after events), k4 4d, k6 9d;
    # k2 and k3 dropped. At 2d, 6 at risk: S = 5/6.
    assert [row[:7] for row in curve] == [
        (1, 1.0, 6, 2, 0, pytest.approx(2 / 3), pytest.approx(1 / 3)),
        (1, 3.0, 4, 1, 0, pytest.approx(1 / 2), pytest.approx(1 / 2)),
        (2, 2.0, 6, 1, 1, pytest.approx(5 / 6), pytest.approx(1 / 6)),
    ]
    # Greenwood at signup 1d: sum d/(n(n-d)) = 2/(6*4) = 1/12; on the log(-log S) scale the
    # standard error is sqrt(1/12)/|ln(2/3)|; the bounds are 1 - S^exp(-/+ 1.96 se).
    se = math.sqrt(1 / 12) / abs(math.log(2 / 3))
    z = 1.959963984540054
    assert curve[0][7] == pytest.approx(1 - (2 / 3) ** math.exp(-z * se))
    assert curve[0][8] == pytest.approx(1 - (2 / 3) ** math.exp(z * se))
    assert curve[0][7] < 1 / 3 < curve[0][8]
    summary = c.execute("""
        select step_index, entrants, converted, in_progress, conversion_to_date, km_conversion,
               km_median_seconds / 86400
        from fct_time_to_milestone_summary where dimension = 'all' order by step_index
    """).fetchall()
    # Signup: 3 of 6 so far, in progress below it k4 k6; the curve reaches 1/2 at 3d.
    # Order: 1 of 6; in progress k4 k5 k6; S never reaches 0.5: no median.
    assert summary == [(1, 6, 3, 2, 0.5, pytest.approx(0.5), 3.0),
                       (2, 6, 1, 3, pytest.approx(1 / 6), pytest.approx(1 / 6), None)]
    c.close()
