"""Step conversion defined once: int_milestone_step_conversion and step_targets on the
hand-worked case of tests/step_conversion_case.py (the working is in its docstring), and on the
sample company the ideal-map, opportunity and drop-off tables agreeing step by step."""

import math

import pytest
from sample_tables import rows
from step_conversion_case import D, build_case, build_step_targets

from pipeline.definitions import defs
from pipeline.resources import connect

Z = 1.959963984540054


def wilson(x, n):
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture
def conn(tmp_path):
    c = build_case(tmp_path / "steps.duckdb")
    yield c
    c.close()


def test_closed_cohorts_per_step(conn):
    got = rows(conn, """select milestone_id, entered, open, mature_entered, converted,
        conversion_rate, median_seconds, after_endpoint, rate_to_endpoint
        from int_milestone_step_conversion
        where map_id = 'm' and dimension = 'all' order by milestone_index""")
    assert [(r["milestone_id"], r["entered"], r["open"], r["mature_entered"], r["converted"],
             r["after_endpoint"]) for r in got] == [
        ("signup", 9, 2, 7, 5, False), ("order", 6, 1, 5, 4, False),
        ("repeat", 4, 1, 3, 1, True)]
    assert [r["conversion_rate"] for r in got] == pytest.approx([5 / 7, 4 / 5, 1 / 3])
    assert [r["median_seconds"] for r in got] == pytest.approx([1.5 * D, 2 * D, 12 * D])
    assert got[0]["rate_to_endpoint"] == pytest.approx(4 / 5)
    assert got[1]["rate_to_endpoint"] == 1
    assert got[2]["rate_to_endpoint"] is None


def test_known_persona_pooled_and_segments(conn):
    got = {(r["dimension"], r["segment"], r["milestone_id"]):
           (r["mature_entered"], r["converted"], r["conversion_rate"], r["rate_to_endpoint"])
           for r in rows(conn, """select * from int_milestone_step_conversion
                                  where map_id = 'm' and milestone_id <> 'repeat'""")}
    assert got[("persona_known", "", "signup")] == (5, 4, pytest.approx(4 / 5),
                                                    pytest.approx(3 / 4))
    assert got[("persona_known", "", "order")] == (4, 3, pytest.approx(3 / 4), 1)
    assert got[("persona", "P", "signup")][:3] == (3, 3, 1)
    assert got[("persona", "P", "order")][:3] == (3, 2, pytest.approx(2 / 3))
    assert got[("persona", "Q", "signup")][:3] == (2, 1, 0.5)
    assert got[("persona", "", "signup")][:3] == (2, 1, 0.5)
    assert got[("entry_week", "2026-01-05", "signup")][:3] == (5, 4, pytest.approx(0.8))
    assert got[("entry_week", "2026-01-05", "order")][:3] == (4, 3, pytest.approx(0.75))
    # Nobody of the week of 23 Feb is closed yet: no rate, and no rate to the endpoint either.
    assert got[("entry_week", "2026-02-23", "signup")] == (0, 0, None, None)


def test_same_rate_as_the_funnel_closed_cohort(conn):
    # The drop-off report's "closed windows only" rate is the same number for every segment.
    mismatched = conn.execute("""
        select s.dimension, s.segment, s.milestone_index
        from int_milestone_step_conversion as s
        inner join fct_milestone_funnels as f using (map_id, dimension, segment, milestone_index)
        where s.conversion_rate is distinct from f.mature_conversion_from_previous
           or s.converted <> f.mature_persons
           or s.median_seconds is distinct from f.median_seconds""").fetchall()
    assert mismatched == []


def test_step_targets_against_targets_and_what_if(conn):
    build_step_targets(conn)
    got = rows(conn, "select * from step_targets order by milestone_index")
    assert {r["map_id"] for r in got} == {"mi"}  # ideal maps only
    signup, order, repeat = got
    assert (signup["entered"], signup["open"], signup["converted"]) == (9, 2, 5)
    assert signup["conversion_rate"] == pytest.approx(5 / 7)
    assert (signup["conversion_rate_low"], signup["conversion_rate_high"]) == pytest.approx(
        wilson(5, 7))
    assert signup["conversion_gap"] == pytest.approx(5 / 7 - 0.9)
    # Median 1.5 days against the 1-day target.
    assert signup["median_gap_seconds"] == pytest.approx(0.5 * D)
    # Lost: 0.9 * 7 closed - 5 = 1.3; carried through the order step (4/5) to the endpoint.
    assert signup["lost_vs_target"] == pytest.approx(1.3)
    assert signup["extra_endpoint_if_met"] == pytest.approx(1.3 * 4 / 5)
    # Order: 0.9 * 5 - 4 = 0.5, and the endpoint is this step's milestone (rate to it 1).
    assert (order["entered"], order["open"], order["converted"]) == (6, 1, 4)
    assert order["lost_vs_target"] == pytest.approx(0.5)
    assert order["extra_endpoint_if_met"] == pytest.approx(0.5)
    # Repeat, after the endpoint: 0.5 * 3 - 1 = 0.5 lost, no extra endpoint customers.
    assert (repeat["entered"], repeat["open"], repeat["converted"]) == (4, 1, 1)
    assert repeat["lost_vs_target"] == pytest.approx(0.5)
    assert repeat["extra_endpoint_if_met"] == 0
    assert [r["impact_rank"] for r in got] == [1, 2, 3]


def test_reports_agree_on_the_sample_company(sample_company):
    # For every step, the ideal-map report (step_targets), the opportunity sizing
    # (fct_opportunity_steps, population all) and the drop-off report (fct_milestone_funnels,
    # closed cohort) show the same conversion, and the best persona's rate is that persona's.
    with connect(sample_company.database, read_only=True) as c:
        disagree = c.execute("""
            select t.milestone_id
            from step_targets as t
            inner join fct_milestone_funnels as f
                on f.map_id = t.map_id and f.dimension = 'all'
                and f.milestone_index = t.milestone_index
            left join fct_opportunity_steps as o
                on o.map_id = t.map_id and o.milestone_index = t.milestone_index
                and o.population = 'all'
            where t.conversion_rate is distinct from f.mature_conversion_from_previous
               or t.entered - t.open <> f.mature_previous_persons
               or t.median_seconds is distinct from f.median_seconds
               or (o.map_id is not null and (o.rate is distinct from t.conversion_rate
                                             or o.n_entered <> t.entered - t.open))""").fetchall()
        assert disagree == []
        assert c.execute("select count(*) from step_targets").fetchall()[0][0] == 4
        best = c.execute("""
            select count(*), count_if(o.benchmark_rate = f.mature_conversion_from_previous)
            from fct_opportunity_steps as o
            inner join fct_milestone_funnels as f
                on f.map_id = o.map_id and f.dimension = 'persona'
                and f.segment = o.benchmark_group and f.milestone_index = o.milestone_index
            where o.benchmark = 'best_persona'""").fetchall()[0]
        assert best[0] > 0 and best[0] == best[1]


def test_dagster_orders_the_step_tables_after_the_funnel():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string(): k for k in graph.get_all_asset_keys()}

    def parents(name):
        return {k.to_user_string() for k in graph.get(keys[name]).parent_keys}

    assert "fct_milestone_funnels" in parents("int_milestone_step_conversion")
    assert "int_milestone_step_conversion" in parents("step_targets")
    assert "int_milestone_step_conversion" in parents("fct_opportunity_steps")
    # ... and the reports that show them after both.
    assert "step_targets" in parents("report_as_is_vs_ideal")
    assert "fct_opportunity_steps" in parents("report_attribution")
