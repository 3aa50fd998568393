"""Opportunity sizing on hand-computed cases: milestone steps against targets and the best
persona / week, and touchpoints against the best persona's / week's transition rates."""

from datetime import datetime, timedelta

import pytest
from step_conversion_case import build_case, build_opportunity_steps

from pipeline.attribution import AttributionSettings, build_attribution
from pipeline.markov import touchpoint_opportunities
from pipeline.resources import connect


@pytest.fixture
def steps_conn(tmp_path):
    conn = build_case(tmp_path / "steps.duckdb")
    build_opportunity_steps(conn, min_journeys=2)
    yield conn
    conn.close()


def test_step_opportunities_against_target_persona_and_week(steps_conn):
    rows = steps_conn.execute("""select rank, milestone_id, population, benchmark,
        benchmark_group, n_entered, rate, benchmark_rate, downstream_rate, extra_conversions
        from fct_opportunity_steps where map_id = 'm' order by rank""").fetchall()
    # The case and its closed cohorts are worked out in tests/step_conversion_case.py.
    # Step into signup, all customers: 5 of the 7 closed (5/7); then 4 of 5 order
    # (downstream .8).
    #   target .9 (the ideal map's) -> (.9 - 5/7) * 7 * .8 = 1.3 * .8 = 1.04
    #   best week 2026-01-05, 4 of 5 (.8; the other weeks have fewer than 2 closed)
    #     -> (.8 - 5/7) * 7 * .8 = .6 * .8 = .48
    #   best persona P, 3 of 3, against the 5 closed with a known persona (4/5, then 3/4 to
    #     the endpoint) -> (1 - .8) * 5 * .75 = .75
    # Step into order, all: 4 of 5 (.8), downstream 1 (it is the endpoint).
    #   own target .98 beats the ideal's .9 -> (.98 - .8) * 5 = .9
    #   best week 2026-01-05 3/4 = .75 < .8 -> 0; best persona P 2/3 (Q has 1 closed) against
    #   known persona 3/4 -> 0. Ties at 0: benchmark name.
    # The repeat order comes after the endpoint: no step. a6 (no persona, closed) counts for
    # targets and weeks, b1 and b2 (deadlines after as-of) nowhere.
    expected = [
        (1, "signup", "all", "target", None, 5 / 7, 0.9, 0.8, 1.04),
        (2, "order", "all", "target", None, 0.8, 0.98, 1.0, 0.9),
        (3, "signup", "known_persona", "best_persona", "P", 0.8, 1.0, 0.75, 0.75),
        (4, "signup", "all", "best_week", "2026-01-05", 5 / 7, 0.8, 0.8, 0.48),
        (5, "order", "known_persona", "best_persona", "P", 0.75, 2 / 3, 1.0, 0.0),
        (6, "order", "all", "best_week", "2026-01-05", 0.8, 0.75, 1.0, 0.0),
    ]
    n_entered = [7, 5, 5, 7, 4, 5]
    assert len(rows) == len(expected)
    for got, want, n in zip(rows, expected, n_entered):
        assert got[:5] == want[:5]
        assert got[5] == n
        assert got[6:] == pytest.approx(want[5:])


def test_touchpoint_opportunity_from_the_best_personas_transitions(tmp_path):
    # Persona P (week of 4 May): A conv, A conv, A null.  Persona Q (week of 11 May): A null,
    # A null, B conv. No persona (week of 4 May): A conv.
    # Personas, against the 6 journeys with a persona: start -> A 5/6, B 1/6; A -> conv 2/5;
    # B -> conv 1; P = 5/6 * 2/5 + 1/6 = 1/2. A at P's rate (conv 2/3):
    # P' = 5/6 * 2/3 + 1/6 = 13/18 -> extra (13/18 - 9/18) * 6 = 4/3. Q's A row (conv 0) is
    # worse; '(no persona)' is never a benchmark.
    # Weeks, against all 7: start -> A 6/7, B 1/7; A -> conv 3/6; P = 6/7 * 1/2 + 1/7 = 4/7.
    # Week of 4 May: A -> conv 3/4: P' = 6/7 * 3/4 + 1/7 = 11/14 -> extra (11/14 - 8/14) * 7
    # = 1.5. B: 1 transition out of it in any group (< 2), so no benchmark.
    conn = connect(tmp_path / "touchpoints.duckdb")
    conn.execute("create table int_attribution_journeys (map_id varchar, customer_id varchar, "
                 "persona varchar, is_converted boolean, outcome_at timestamp)")
    conn.execute("create table int_attribution_touches (map_id varchar, customer_id varchar, "
                 "touch_seq bigint, touched_at timestamp, touchpoint_id varchar, "
                 "channel varchar)")
    paths = [("P", True, "A"), ("P", True, "A"), ("P", False, "A"),
             ("Q", False, "A"), ("Q", False, "A"), ("Q", True, "B"), (None, True, "A")]
    for i, (persona, converted, touchpoint) in enumerate(paths):
        day = datetime(2026, 5, 5) + timedelta(days=7 * (persona == "Q"))  # Tue 5 / 12 May
        conn.execute("insert into int_attribution_journeys values ('m', ?, ?, ?, ?)",
                     [f"c{i}", persona, converted, day])
        conn.execute("insert into int_attribution_touches values ('m', ?, 1, ?, ?, 'web')",
                     [f"c{i}", day - timedelta(hours=1), touchpoint])
    build_attribution(conn, AttributionSettings())
    transitions = conn.execute(
        "select t.* from int_attribution_transitions t join int_attribution_groups g "
        "using (group_id) where g.level = 'touchpoint' order by all").df()
    groups = conn.execute("select group_id, map_id, grain, persona, week::varchar as week "
                          "from int_attribution_groups where level = 'touchpoint'").df()
    got = touchpoint_opportunities(transitions, groups, min_transitions=2)
    got = got.sort_values(["label", "benchmark"]).reset_index(drop=True)
    assert list(zip(got["label"], got["benchmark"], got["benchmark_group"])) == [
        ("A", "best_persona", "P"), ("A", "best_week", "2026-05-04")]
    assert list(got["population"]) == ["known_persona", "all"]
    assert list(got["conversion_probability"]) == pytest.approx([1 / 2, 4 / 7])
    assert list(got["benchmark_conversion_probability"]) == pytest.approx([13 / 18, 11 / 14])
    assert list(got["conversion_from_touchpoint"]) == pytest.approx([2 / 5, 1 / 2])
    assert list(got["benchmark_conversion_from_touchpoint"]) == pytest.approx([2 / 3, 3 / 4])
    assert list(got["extra_conversions"]) == pytest.approx([4 / 3, 1.5])
    assert list(got["n_visits"]) == [5, 6]
    conn.close()
