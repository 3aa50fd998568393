"""Every attribution model on small path sets worked out by hand (docs/metrics.md, Attribution).

The engine reads two tables, built here by hand: int_attribution_journeys (one row per journey,
converted or not) and int_attribution_touches (its credited touches in order).
"""

from datetime import datetime, timedelta

import pytest

from pipeline.attribution import AttributionSettings, build_attribution, load_settings
from pipeline.config_errors import ConfigError
from pipeline.resources import connect

T0 = datetime(2026, 3, 2)
DAY = timedelta(days=1)
CHANNEL = {"A": "email", "B": "email", "C": "web"}


def _build(tmp_path, journeys, settings=None):
    """journeys: (customer, persona, converted, outcome day, [(touchpoint, day), ...])."""
    conn = connect(tmp_path / "attribution.duckdb")
    conn.execute("create table int_attribution_journeys (map_id varchar, customer_id varchar, "
                 "persona varchar, is_converted boolean, outcome_at timestamp)")
    conn.execute("create table int_attribution_touches (map_id varchar, customer_id varchar, "
                 "touch_seq bigint, touched_at timestamp, touchpoint_id varchar, "
                 "channel varchar)")
    for customer, persona, converted, outcome_day, touches in journeys:
        conn.execute("insert into int_attribution_journeys values ('m', ?, ?, ?, ?)",
                     [customer, persona, converted, T0 + outcome_day * DAY])
        for seq, (touchpoint, day) in enumerate(touches, start=1):
            conn.execute("insert into int_attribution_touches values ('m', ?, ?, ?, ?, ?)",
                         [customer, seq, T0 + day * DAY, touchpoint, CHANNEL[touchpoint]])
    build_attribution(conn, settings or AttributionSettings())
    return conn


def _credits(conn, model, level="touchpoint", grain="all", persona=None):
    rows = conn.execute(
        "select label, credit from fct_attribution_credits where model = ? and level = ? "
        "and grain = ? and persona is not distinct from ? order by label",
        [model, level, grain, persona]).fetchall()
    return dict(rows)


# Conversions: c1, c2, c3, c5 (4). c2's B B and c3's A A collapse to one touch each, timed at the
# run's last touch; c4 and c6 did not convert, so they earn nothing in rule-based models.
RULE_PATHS = [
    ("c1", "P", True, 10, [("A", 0), ("B", 3), ("C", 9)]),
    ("c2", "P", True, 6, [("B", 1), ("B", 2)]),
    ("c3", "P", True, 5, [("A", 0), ("A", 2), ("C", 4)]),
    ("c4", "P", False, 20, [("C", 1), ("C", 2), ("A", 3)]),
    ("c5", "P", True, 3, []),
    ("c6", "P", False, 20, [("A", 1), ("B", 2)]),
]


@pytest.fixture
def rule_conn(tmp_path):
    conn = _build(tmp_path, RULE_PATHS)
    yield conn
    conn.close()


def test_first_and_last_touch(rule_conn):
    # first: c1 A, c2 B, c3 A, c5 none -> A 2, B 1; last: c1 C, c2 B, c3 C -> C 2, B 1.
    assert _credits(rule_conn, "first_touch") == {"A": 2, "B": 1, "C": 0, "(no touch)": 1}
    assert _credits(rule_conn, "last_touch") == {"A": 0, "B": 1, "C": 2, "(no touch)": 1}


def test_linear(rule_conn):
    # c1: 1/3 each; c2: B 1; c3 (A, C): 1/2 each -> A 5/6, B 4/3, C 5/6, none 1.
    got = _credits(rule_conn, "linear")
    assert got == pytest.approx({"A": 5 / 6, "B": 4 / 3, "C": 5 / 6, "(no touch)": 1}, abs=1e-12)


def test_position_based_default_and_two_touch_rule(rule_conn, tmp_path):
    # 40/20/40: c1 A .4 B .2 C .4; c2 B 1 (one touch takes all); c3 two touches split 40:40,
    # i.e. 1/2 each -> A .9, B 1.2, C .9.
    got = _credits(rule_conn, "position_based")
    assert got == pytest.approx({"A": 0.9, "B": 1.2, "C": 0.9, "(no touch)": 1}, abs=1e-12)
    # 30/50: c1 A .3 B .2 C .5; c3 splits .3:.5 -> A .375, C .625 -> A .675, B 1.2, C 1.125.
    settings = AttributionSettings.model_validate({"position_based": {"first": 0.3, "last": 0.5}})
    other = _build(tmp_path / "other", RULE_PATHS, settings)
    got = _credits(other, "position_based")
    assert got == pytest.approx({"A": 0.675, "B": 1.2, "C": 1.125, "(no touch)": 1}, abs=1e-12)
    other.close()


def test_time_decay_measures_age_at_conversion(rule_conn):
    # Half-life 7 days, weight 2^(-age/7). c1 converts on day 10: A age 10, B 7, C 1
    # -> 0.371498, 0.5, 0.905724 (sum 1.777222) -> A .209033, B .281338, C .509629.
    # c3 converts on day 5; its A run (days 0, 2) counts at day 2: A age 3, C age 1
    # -> 0.742997, 0.905724 (sum 1.648721) -> A .450652, C .549348. c2: B 1. Totals (unrounded): A .659684, C 1.058977.
    c1 = [2 ** (-10 / 7), 2 ** (-7 / 7), 2 ** (-1 / 7)]
    c3 = [2 ** (-3 / 7), 2 ** (-1 / 7)]
    expected = {
        "A": c1[0] / sum(c1) + c3[0] / sum(c3),   # 0.659684
        "B": c1[1] / sum(c1) + 1.0,               # 1.281338
        "C": c1[2] / sum(c1) + c3[1] / sum(c3),   # 1.058977
        "(no touch)": 1.0,
    }
    assert expected["A"] == pytest.approx(0.659684, abs=1e-6)
    assert _credits(rule_conn, "time_decay") == pytest.approx(expected, abs=1e-12)


def test_channel_level_collapses_repeats_of_a_channel(rule_conn):
    # Channels: A, B email; C web. c1 email email web -> email, web; c2 email; c3 email, web.
    # Linear: email 1/2 + 1 + 1/2 = 2, web 1/2 + 1/2 = 1.
    got = _credits(rule_conn, "linear", level="channel")
    assert got == pytest.approx({"email": 2.0, "web": 1.0, "(no touch)": 1.0}, abs=1e-12)


# Markov, worked by hand. Paths: A B conv; A C null; B C conv; C null.
# Transitions: start -> A 2/4, B 1/4, C 1/4; A -> B 1/2, C 1/2; B -> conv 1/2, C 1/2;
# C -> conv 1/3, null 2/3.
# Absorption into conversion: x_C = 1/3; x_B = 1/2 + 1/2 x_C = 2/3; x_A = 1/2 x_B + 1/2 x_C = 1/2;
# P = 1/2 x_A + 1/4 x_B + 1/4 x_C = 1/4 + 1/6 + 1/12 = 1/2 (= the observed 2 of 4).
# Remove A (x_A = 0): P = 1/4 * 2/3 + 1/4 * 1/3 = 1/4           -> RE_A = 1 - (1/4)/(1/2) = 1/2.
# Remove B (x_B = 0): x_A = 1/2 * 1/3 = 1/6; P = 1/12 + 1/12 = 1/6 -> RE_B = 2/3.
# Remove C (x_C = 0): x_B = 1/2, x_A = 1/4; P = 1/8 + 1/8 = 1/4    -> RE_C = 1/2.
# Sum 5/3: shares A 3/10, B 2/5, C 3/10; 2 conversions -> A 0.6, B 0.8, C 0.6.
MARKOV_PATHS = [
    ("m1", "P", True, 9, [("A", 1), ("B", 2)]),
    ("m2", "P", False, 9, [("A", 1), ("C", 2)]),
    ("m3", "P", True, 9, [("B", 1), ("C", 2)]),
    ("m4", "P", False, 9, [("C", 1)]),
]


def test_markov_removal_effect_three_touchpoints(tmp_path):
    conn = _build(tmp_path, MARKOV_PATHS)
    effects = conn.execute(
        "select label, conversion_probability, conversion_probability_without, removal_effect "
        "from fct_attribution_removal_effects where level = 'touchpoint' and grain = 'all' "
        "order by label").fetchall()
    assert [e[0] for e in effects] == ["A", "B", "C"]
    assert [e[1] for e in effects] == pytest.approx([0.5] * 3)
    assert [e[2] for e in effects] == pytest.approx([1 / 4, 1 / 6, 1 / 4])
    assert [e[3] for e in effects] == pytest.approx([1 / 2, 2 / 3, 1 / 2])
    assert _credits(conn, "markov") == pytest.approx({"A": 0.6, "B": 0.8, "C": 0.6}, abs=1e-12)
    conn.close()


def test_markov_with_a_loop_and_a_conversion_without_touch(tmp_path):
    # Paths: A B A conv; B null; plus one conversion with no touch.
    # start -> A 1/2, B 1/2; A -> B 1/2, conv 1/2; B -> A 1/2, null 1/2.
    # x_A = 1/2 x_B + 1/2, x_B = 1/2 x_A -> x_A = 2/3, x_B = 1/3; P = 1/2.
    # Remove A: P = 0 -> RE_A = 1. Remove B: x_A = 1/2, P = 1/4 -> RE_B = 1/2.
    # Shares 2/3, 1/3 of the 1 conversion with a touch; the touchless one goes to '(no touch)'.
    conn = _build(tmp_path, [
        ("l1", "P", True, 9, [("A", 1), ("B", 2), ("A", 3)]),
        ("l2", "P", False, 9, [("B", 1)]),
        ("l3", "P", True, 9, []),
    ])
    got = _credits(conn, "markov")
    assert got == pytest.approx({"A": 2 / 3, "B": 1 / 3, "(no touch)": 1.0}, abs=1e-12)
    conn.close()


def test_groups_split_by_persona_and_month(tmp_path):
    # MARKOV_PATHS (persona P, March) plus q1: persona Q converts through C alone in April.
    # Persona Q's own chain: start -> C -> conv, so C takes its 1 conversion; persona P keeps
    # the hand-computed 0.6 / 0.8 / 0.6. The all-grain chain pools both.
    conn = _build(tmp_path, MARKOV_PATHS + [("q1", "Q", True, 40, [("C", 35)])])
    assert _credits(conn, "markov", grain="persona", persona="Q") == pytest.approx({"C": 1.0})
    assert _credits(conn, "markov", grain="persona", persona="P") == pytest.approx(
        {"A": 0.6, "B": 0.8, "C": 0.6})
    months = conn.execute(
        "select month::varchar, n_conversions from int_attribution_groups "
        "where level = 'touchpoint' and grain = 'month' order by month").fetchall()
    assert months == [("2026-03-01", 2), ("2026-04-01", 1)]
    weeks = conn.execute(
        "select week::varchar, n_journeys from int_attribution_groups "
        "where level = 'touchpoint' and grain = 'week' order by week").fetchall()
    assert weeks == [("2026-03-09", 4), ("2026-04-06", 1)]  # day 9 = Wed 11 Mar; day 40 = 11 Apr
    # Rule-based credits roll up: the all grain is the sum of the persona_month cells.
    sums = conn.execute("""
        select model, label, sum(credit) filter (where grain = 'persona_month'),
               sum(credit) filter (where grain = 'all')
        from fct_attribution_credits where model <> 'markov' and level = 'touchpoint'
        group by all""").fetchall()
    assert sums and all(abs(cell - whole) < 1e-12 for _, _, cell, whole in sums)
    conn.close()


def test_every_model_sums_to_conversions_in_every_group(rule_conn):
    bad = rule_conn.execute("""
        select group_id, model, sum(credit), any_value(n_conversions)
        from fct_attribution_credits
        group by all
        having abs(sum(credit) - any_value(n_conversions)) > 1e-9""").fetchall()
    assert bad == []
    models = {r[0] for r in rule_conn.execute(
        "select distinct model from fct_attribution_credits").fetchall()}
    assert models == {"first_touch", "last_touch", "linear", "position_based", "time_decay",
                      "markov"}


def test_rebuild_is_byte_identical(rule_conn):
    query = ("select * from fct_attribution_credits "
             "order by group_id, model, label")
    first = rule_conn.execute(query).fetchall()
    build_attribution(rule_conn, AttributionSettings())
    assert rule_conn.execute(query).fetchall() == first


def test_settings_errors_name_the_line(tmp_path):
    path = tmp_path / "attribution.yaml"
    path.write_text("time_decay:\n  half_lfe: 7d\nposition_based:\n  first: 0.7\n  last: 0.6\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    text = str(err.value)
    assert f"{path}:2: time_decay.half_lfe: unknown key 'half_lfe'; did you mean 'half_life'?" \
        in text
    assert f"{path}:3: position_based" in text and "at most 1" in text
    path.write_text("time_decay:\n  half_life: soon\n")
    with pytest.raises(ConfigError, match=r":2: time_decay.half_life: .*'soon' is not a duration"):
        load_settings(path)
