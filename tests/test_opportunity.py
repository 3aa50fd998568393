"""Opportunity sizing on hand-computed cases: milestone steps against targets and the best
persona / week, and touchpoints against the best persona's / week's transition rates."""

from datetime import datetime, timedelta

import pytest

from pipeline import sql
from pipeline.attribution import AttributionSettings, build_attribution
from pipeline.markov import touchpoint_opportunities
from pipeline.resources import connect


@pytest.fixture
def steps_conn(tmp_path):
    conn = connect(tmp_path / "steps.duckdb")
    conn.execute("create table journey_maps (map_id varchar, kind varchar, ideal_of varchar)")
    conn.execute("insert into journey_maps values ('m', 'as_is', null), ('mi', 'ideal', 'm')")
    conn.execute("""create table map_milestones (map_id varchar, milestone_index integer,
        milestone_id varchar, is_endpoint boolean)""")
    conn.execute("insert into map_milestones values ('m', 1, 'visit', false), "
                 "('m', 2, 'signup', false), ('m', 3, 'order', true), ('m', 4, 'repeat', false)")
    conn.execute("""create table map_targets (map_id varchar, milestone_id varchar,
        milestone_index integer, conversion_rate double, median_time_seconds bigint)""")
    # The ideal map's targets, and the as-is map's own target for the order (which wins).
    conn.execute("insert into map_targets values ('mi', 'signup', 2, 0.6, null), "
                 "('mi', 'order', 3, 0.5, null), ('m', 'order', 3, 0.9, null)")
    conn.execute("""create table customer_journeys (map_id varchar, customer_id varchar,
        persona varchar, journey_start_at timestamp, entry_week date, furthest_milestone int,
        endpoint_reached boolean, in_progress boolean)""")
    start = datetime(2026, 5, 4)
    rows = [("P", "2026-05-04", f) for f in (3, 3, 2, 1)] + \
           [("Q", "2026-05-11", f) for f in (2, 1, 1, 1)]
    for i, (persona, week, furthest) in enumerate(rows):
        conn.execute("insert into customer_journeys values ('m', ?, ?, ?, ?, ?, ?, false)",
                     [f"c{i}", persona, start, week, furthest, furthest >= 3])
    # No persona known (e.g. never signed up): counts for targets and weeks, not for personas.
    conn.execute("insert into customer_journeys values ('m', 'anon', null, ?, '2026-05-11', 1, "
                 "false, false)", [start])
    # Still in progress: not counted anywhere.
    conn.execute("insert into customer_journeys values ('m', 'open', 'Q', ?, '2026-05-11', 1, "
                 "false, true)", [start])
    sql.run(conn, "attribution/fct_opportunity_steps", params={"min_journeys": 2})
    yield conn
    conn.close()


def test_step_opportunities_against_target_persona_and_week(steps_conn):
    rows = steps_conn.execute("""select rank, milestone_id, benchmark, benchmark_group,
        n_entered, rate, benchmark_rate, downstream_rate, extra_conversions
        from fct_opportunity_steps order by rank""").fetchall()
    # Step into signup, all 9 journeys: 4 signed up (4/9); 2 of the 4 ordered (downstream .5).
    #   target .6 (from the ideal map) -> (.6 - 4/9) * 9 * .5 = 0.7
    #   best week 2026-05-04 (P's four, 3/4; the other week 1/5) -> (.75 - 4/9) * 9 * .5 = 1.375
    #   best persona P 3/4, against the 8 journeys with a persona (4/8) -> (.75 - .5) * 8 * .5 = 1
    # Step into order: 4 entered, 2 ordered (.5), downstream 1.
    #   own target .9 beats the ideal's .5 -> (.9 - .5) * 4 = 1.6
    #   best persona / week: P's 2/3 (Q has 1 journey < 2, no benchmark) -> (2/3 - .5) * 4
    # The repeat order comes after the endpoint: no step.
    expected = [
        (1, "order", "target", None, 4, 0.5, 0.9, 1.0, 1.6),
        (2, "signup", "best_week", "2026-05-04", 9, 4 / 9, 0.75, 0.5, 1.375),
        (3, "signup", "best_persona", "P", 8, 0.5, 0.75, 0.5, 1.0),
        (4, "signup", "target", None, 9, 4 / 9, 0.6, 0.5, 0.7),
        (5, "order", "best_persona", "P", 4, 0.5, 2 / 3, 1.0, 2 / 3),
        (6, "order", "best_week", "2026-05-04", 4, 0.5, 2 / 3, 1.0, 2 / 3),
    ]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert got[:5] == want[:5]
        assert got[5:] == pytest.approx(want[5:])


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
