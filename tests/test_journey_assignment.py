"""Assignment of events to a map, worked by hand on a tiny database: precedence, conditions,
n-th occurrences, windows, in-progress journeys, stages, variants, coverage, personas, and a
map value that looks like SQL."""

import json
from datetime import datetime, timedelta

import pytest

from pipeline import journeys, sql
from pipeline.journey_map import load_map
from pipeline.resources import connect

T0 = datetime(2026, 3, 2)  # a Monday
AS_OF = T0 + timedelta(days=60)
INJECTION = "'; DROP TABLE events; --"

MAP = """\
map: tiny
kind: as_is
title: Tiny
persona: {name: Everyone, where: []}
stages:
  - name: Awareness
  - name: Consideration
  - name: Purchase
  - name: Loyalty
touchpoints:
  - {id: visit, label: V, stage: Awareness, department: marketing, channel: web,
     match: {event_type: web.page_viewed}}
  - {id: pricing, label: P, stage: Consideration, department: marketing, channel: web,
     match: {event_type: web.page_viewed, event_name: Pricing}}
  - {id: campaign, label: C, stage: Awareness, department: marketing, channel: web, priority: 5,
     match: {event_type: web.page_viewed, where: [{property: utm_campaign, op: is_set}]}}
  - {id: signup, label: S, stage: Consideration, department: marketing, channel: web,
     match: {event_type: web.signed_up}}
  - {id: promo_a, label: A, stage: Consideration, department: marketing, channel: email,
     match: {event_type: email.opened,
             where: [{property: campaign_name, op: icontains, value: promo}]}}
  - {id: promo_b, label: B, stage: Consideration, department: marketing, channel: email,
     match: {event_type: email.opened,
             where: [{property: campaign_name, op: regex, value: '^Promo [0-9]$'}]}}
  - {id: injection, label: I, stage: Consideration, department: marketing, channel: email,
     match: {where: [{property: campaign_name, op: eq, value: "'; DROP TABLE events; --"}]}}
  - {id: order, label: O, stage: Purchase, department: sales, channel: web,
     match: {event_type: commerce.order_completed}}
  - {id: promoter, label: N, stage: Loyalty, department: support, channel: survey,
     match: {event_type: survey.response_submitted, where: [{property: score, op: gt, value: 8}]}}
  - {id: ghost, label: G, stage: Loyalty, department: sales, channel: phone,
     match: {event_type: crm.call_logged}}
  - {id: shadowed, label: H, stage: Awareness, department: sales, channel: web, priority: -1,
     match: {event_type: web.signed_up}}
milestones:
  - {id: first_visit, touchpoint: visit}
  - {id: signed_up, touchpoint: signup}
  - {id: first_order, touchpoint: order, endpoint: true}
  - {id: second_order, touchpoint: order, occurrence: 2, window: 30d}
window: 7d
"""

H = timedelta(hours=1)
D = timedelta(days=1)
# (event_key, customer, event_type, at, event_name_raw, extra columns)
EVENTS = [
    ("e01", "c1", "web.page_viewed", T0, "Home", {"utm_campaign": "spring"}),
    ("e02", "c1", "web.page_viewed", T0 + 1 * H, "Pricing", {}),
    ("e03", "c1", "web.signed_up", T0 + 24 * H, None, {}),
    ("e04", "c1", "email.opened", T0 + 30 * H, None, {"campaign_name": "Promo 1"}),
    ("e05", "c1", "commerce.order_completed", T0 + 48 * H, None, {}),
    ("e06", "c1", "commerce.order_completed", T0 + 48 * H + 10 * D, None, {}),
    ("e07", "c1", "survey.response_submitted", T0 + 49 * H, "NPS", {"score": 9.0}),
    ("e08", "c2", "web.page_viewed", T0, "Home", {}),
    ("e09", "c2", "web.signed_up", T0 + 10 * D, None, {}),
    ("e10", "c2", "email.opened", T0 + 11 * D, None, {"campaign_name": INJECTION}),
    ("e11", "c2", "email.opened", T0 + 12 * D, None, {"campaign_name": "x' OR '1'='1"}),
    ("e12", "c3", "web.page_viewed", AS_OF - 2 * D, "Home", {}),
    ("e13", "c3", "web.page_viewed", AS_OF + 1 * D, "Home", {}),
    ("e14", "c4", "web.signed_up", T0, None, {}),
    ("e15", "c4", "web.page_viewed", T0 + 1 * H, "Home", {}),
]
CUSTOMERS = [("c1", "Commuter", {"plan": "gold"}), ("c2", "Explorer", {}),
             ("c3", "Commuter", {"plan": "silver"}), ("c4", None, {})]


def make_database(path):
    conn = connect(path)
    sql.run(conn, "staging/create_events")
    for key, _, event_type, at, name, extra in EVENTS:
        columns = {"event_key": key, "event_week": (at - timedelta(days=at.weekday())).date(),
                   "source_system": "segment", "source_category": "web",
                   "source_object": "events", "source_event_id": key, "raw_file": "f",
                   "raw_record_locator": key, "event_type": event_type,
                   "event_name_raw": name, "occurred_at": at, "ingested_at": at} | extra
        conn.execute(f"insert into events ({', '.join(columns)}) values "
                     f"({', '.join('?' for _ in columns)})", list(columns.values()))
    conn.execute("create table event_customers as select event_key, customer_id from "
                 "(values " + ", ".join(f"('{k}', '{c}')" for k, c, *_ in EVENTS) +
                 ") as t(event_key, customer_id)")
    conn.execute("create table customers (customer_id varchar, persona varchar, "
                 "hubspot_contact_id varchar, email_sha256 varchar, is_identified boolean, "
                 "is_shared boolean, n_events bigint, n_source_systems bigint, "
                 "first_seen_at timestamp, last_seen_at timestamp, properties json)")
    for cid, persona, props in CUSTOMERS:
        conn.execute("insert into customers (customer_id, persona, properties) values (?, ?, ?)",
                     [cid, persona, json.dumps(props)])
    return conn


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("tiny")
    path = tmp_path / "tiny.yaml"
    path.write_text(MAP)
    conn = make_database(tmp_path / "tiny.duckdb")
    counts = journeys.build_all(conn, [load_map(path)], as_of=AS_OF.isoformat() + "Z")
    yield conn, counts
    conn.close()


def rows(conn, query, params=None):
    return conn.execute(query, params or []).fetchall()


def test_every_event_assigned_with_explicit_precedence(tiny):
    conn, counts = tiny
    # e13 is after the as-of time: out of every journey.
    assert counts["journey_events"] == len(EVENTS) - 1
    assigned = dict(rows(conn, "select event_key, touchpoint_id || ' ' || n_matches "
                               "from journey_events where touchpoint_id is not null"))
    assert assigned == {
        "e01": "campaign 2",   # priority 5 beats visit (priority 0)
        "e02": "pricing 2",    # same priority: pricing has 2 tests, visit 1
        "e03": "signup 2",     # shadowed has priority -1
        "e04": "promo_a 2",    # same priority and specificity: promo_a comes first in the file
        "e05": "order 1", "e06": "order 1",
        "e07": "promoter 1",   # score 9 > 8
        "e08": "visit 1", "e09": "signup 2",
        "e10": "injection 1",  # the SQL-looking value is matched as plain text
        "e12": "visit 1", "e14": "signup 2", "e15": "visit 1",
    }
    assert rows(conn, "select event_key, n_matches from journey_events "
                      "where touchpoint_id is null") == [("e11", 0)]
    assert rows(conn, "select count(*) from events") == [(len(EVENTS),)]
    assert rows(conn, "select stage, department, channel from journey_events "
                      "where event_key = 'e07'") == [("Loyalty", "support", "survey")]


def test_milestones_nth_occurrence_windows_and_progress(tiny):
    conn, _ = tiny
    reached = rows(conn, "select customer_id, milestone_id, reached_at, event_key "
                         "from customer_milestones order by all")
    assert reached == [
        ("c1", "first_order", T0 + 48 * H, "e05"),
        ("c1", "first_visit", T0, "e01"),        # e01 went to `campaign`, but matches visit
        ("c1", "second_order", T0 + 48 * H + 10 * D, "e06"),
        ("c1", "signed_up", T0 + 24 * H, "e03"),
        ("c2", "first_visit", T0, "e08"),
        ("c2", "signed_up", T0 + 10 * D, "e09"),
        ("c3", "first_visit", AS_OF - 2 * D, "e12"),
        ("c4", "first_visit", T0 + 1 * H, "e15"),
        ("c4", "signed_up", T0, "e14"),
    ]
    journeys_by_customer = {r[0]: r[1:] for r in rows(conn, """
        select customer_id, furthest_milestone, endpoint_reached, endpoint_at, in_progress,
               journey_start_at, window_ends_at
        from customer_journeys order by customer_id""")}
    assert journeys_by_customer == {
        # second order 10 days after the first: inside its own 30-day step window
        "c1": (4, True, T0 + 48 * H, False, T0, T0 + 7 * D),
        # signed up on day 10: outside the 7-day window; the window ended long before as-of
        "c2": (1, False, None, False, T0, T0 + 7 * D),
        # started 2 days before as-of: the window is still open
        "c3": (1, False, None, True, AS_OF - 2 * D, AS_OF + 5 * D),
        # signed up before the first visit: milestone 2 is not reached in order
        "c4": (1, False, None, False, T0 + 1 * H, T0 + 1 * H + 7 * D),
    }
    milestones = rows(conn, "select milestones from customer_journeys where customer_id = 'c2'")
    assert milestones == [([
        {"milestone_id": "first_visit", "reached_at": T0},
        {"milestone_id": "signed_up", "reached_at": T0 + 10 * D},
        {"milestone_id": "first_order", "reached_at": None},
        {"milestone_id": "second_order", "reached_at": None}],)]


def test_stages_paths_variants_and_first_touch(tiny):
    conn, _ = tiny
    got = {r[0]: r[1:] for r in rows(conn, """
        select customer_id, stage_path, variant_id, current_stage, first_touch_touchpoint,
               first_touch_department
        from customer_journeys""")}
    assert got == {
        # e01 A, e02-e04 C, e05 P, e07 L (49h), e06 P (day 12)
        "c1": (["Awareness", "Consideration", "Purchase", "Loyalty", "Purchase"], 3,
               "Loyalty", "campaign", "marketing"),
        "c2": (["Awareness", "Consideration"], 2, "Consideration", "visit", "marketing"),
        "c3": (["Awareness"], 1, "Awareness", "visit", "marketing"),
        "c4": (["Consideration", "Awareness"], 4, "Consideration", "signup", "marketing"),
    }
    # every path is one customer: variants are numbered by the path's text
    assert rows(conn, "select stages_entered from customer_journeys where customer_id = 'c1'") \
        == [([{"stage": "Awareness", "entered_at": T0},
              {"stage": "Consideration", "entered_at": T0 + 1 * H},
              {"stage": "Purchase", "entered_at": T0 + 48 * H},
              {"stage": "Loyalty", "entered_at": T0 + 49 * H}],)]


def test_coverage(tiny):
    conn, _ = tiny
    assert rows(conn, "select touchpoint_id, n_rule_matches, reason "
                      "from map_coverage_unmeasured order by all") == [
        ("ghost", 0, "no event matches its rule"),
        ("promo_b", 1, "every matching event went to a higher-precedence touchpoint"),
        ("shadowed", 3, "every matching event went to a higher-precedence touchpoint"),
    ]
    assert rows(conn, "select source_system, event_type, n_events, n_customers, event_names "
                      "from map_coverage_unmapped") == [
        ("segment", "email.opened", 1, 1, [None])]
    assert rows(conn, "select matched_touchpoints, assigned_touchpoint, n_events "
                      "from map_coverage_overlaps order by all") == [
        (["campaign", "visit"], "campaign", 1),
        (["pricing", "visit"], "pricing", 1),
        (["promo_a", "promo_b"], "promo_a", 1),
        (["signup", "shadowed"], "signup", 3),
    ]
    inventory = rows(conn, "select touchpoint_id, n_events, n_customers, first_seen_at, "
                           "last_seen_at from touchpoint_inventory where touchpoint_id = 'visit'")
    assert inventory == [("visit", 3, 3, T0, AS_OF - 2 * D)]  # e08, e12, e15


@pytest.mark.parametrize("signup_window, expected", [
    # A milestone before the endpoint is bound by its own window and the map's 7 days.
    # c1 signed up 24h after its first visit, c2 on day 10.
    ("12h", {"c1": 1, "c2": 1}),   # c1's signup misses its own 12h window
    ("30d", {"c1": 4, "c2": 1}),   # c2's signup is inside 30d but still past the map's 7 days
])
def test_a_milestone_before_the_endpoint_needs_both_windows(tmp_path, signup_window, expected):
    path = tmp_path / "tiny.yaml"
    path.write_text(MAP.replace("  - {id: signed_up, touchpoint: signup}",
                                f"  - {{id: signed_up, touchpoint: signup, window: {signup_window}}}"))
    conn = make_database(tmp_path / "tiny.duckdb")
    journeys.build_all(conn, [load_map(path)], as_of=AS_OF.isoformat() + "Z")
    got = dict(rows(conn, "select customer_id, furthest_milestone from customer_journeys "
                          "where customer_id in ('c1', 'c2')"))
    assert got == expected
    assert rows(conn, "select milestone_id, within_map_window from map_milestones "
                      "order by milestone_index") == [
        ("first_visit", True), ("signed_up", True), ("first_order", True),
        ("second_order", False)]


def test_as_of_defaults_to_the_latest_event(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(MAP)
    conn = make_database(tmp_path / "tiny.duckdb")
    journeys.build_all(conn, [load_map(path)])
    assert rows(conn, "select as_of from journey_maps") == [(AS_OF + 1 * D,)]
    assert rows(conn, "select count(*) from journey_events") == [(len(EVENTS),)]


@pytest.mark.parametrize("where, expected", [
    ("[{property: persona, op: eq, value: Commuter}]", ["c1", "c3"]),
    ("[{property: plan, op: eq, value: gold}]", ["c1"]),                  # a CRM property
    ("[{property: persona, op: neq, value: Commuter}]", ["c2", "c4"]),    # null persona passes
    ("[{property: persona, op: is_set, value: false}]", ["c4"]),
    ("[{property: persona, op: eq, value: [Commuter, Explorer]},"
     " {property: plan, op: neq, value: gold}]", ["c2", "c3"]),
])
def test_persona_filter(tmp_path, where, expected):
    path = tmp_path / "tiny.yaml"
    path.write_text(MAP.replace("where: []", f"where: {where}"))
    conn = make_database(tmp_path / "tiny.duckdb")
    journeys.build_all(conn, [load_map(path)], as_of=AS_OF.isoformat())
    assert [r[0] for r in rows(conn, "select customer_id from map_customers order by 1")] == \
        expected
    assert [r[0] for r in rows(conn, "select distinct customer_id from journey_events "
                                     "order by 1")] == expected


def test_condition_ops(tmp_path):
    conn = connect(tmp_path / "ops.duckdb")
    sql.run(conn, "journeys/macros")
    cases = [  # op, value, texts, numbers, pattern, bound, flag, expected
        ("eq", "cpc", ["cpc", "email"], [], None, None, None, True),
        ("eq", "4.0", [], [4.0], None, None, None, True),         # value: 4 against a score 4.0
        ("eq", None, ["cpc"], [], None, None, None, False),
        ("neq", None, ["cpc"], [], None, None, None, True),
        ("neq", "cpc", ["cpc"], [], None, None, None, False),
        ("icontains", "Spring PROMO", [], [], "promo", None, None, True),
        ("regex", "Nurture 12", [], [], "^Nurture [0-9]$", None, None, False),
        ("is_set", "", [], [], None, None, True, False),
        ("is_set", None, [], [], None, None, False, True),
        ("gt", "9", [], [], None, 8.0, None, True),
        ("gt", "nine", [], [], None, 8.0, None, False),
        ("lt", "3.5", [], [], None, 4.0, None, True),
        ("eq", INJECTION, [INJECTION], [], None, None, None, True),
    ]
    for op, value, texts, numbers, pattern, bound, flag, expected in cases:
        got = conn.execute("select journeys_condition_holds(?, ?, ?::varchar[], ?::double[], ?, "
                           "?::double, ?::boolean)",
                           [op, value, texts, numbers, pattern, bound, flag]).fetchall()[0][0]
        assert got is expected, (op, value)
