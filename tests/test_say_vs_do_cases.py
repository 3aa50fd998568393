"""Say versus do on a handful of customers whose outcomes are worked out by hand.

As-of 2026-03-01. Map m: milestones 1 visit, 2 signed_up, 3 first_order (endpoint). Every
customer visited on Dec 1 and signed up on Dec 2. The intent survey (touchpoint `survey`)
scores 1-5; the say rule of both claims is "score 4-5" (claim_say rule matches).

  claim buys:     do = milestone first_order within 30 days
  claim stays:    do = touchpoint unsubscribed within 30 days, absent (predicts NOT doing it)

  customer  answer        afterwards                     buys                stays
  a         5 on Jan 1    order Jan 10                   kept                kept (30 d passed)
  b         4 on Jan 1    unsubscribed Jan 5             gap (no order)      gap (unsubscribed)
  c         5 on Feb 20   nothing yet                    open (to Mar 22)    open (to Mar 22)
  d         2 on Jan 1    order Jan 5                    not said            not said
  e         5 on Jan 1    order Feb 15 (after 30 days)   gap                 kept

buys: said 4 (a b c e), open 1, judged 3, did 1 (a), rate 1/3, gap 2 (b, e).
stays: said 4, open 1 (c: an absent claim is kept only once its time is over), judged 3,
did 2 (a, e), gap 1 (b).
Calibration of buys (mature respondents by score): 2 → 1 of 1 ordered; 4 → 0 of 1;
5 → 1 of 2 (a yes, e no; c open).
"""

from datetime import datetime

import pytest

from pipeline.resources import connect
from pipeline.say_vs_do import build_say_vs_do

ANSWERS = {"a": (5, "2026-01-01"), "b": (4, "2026-01-01"), "c": (5, "2026-02-20"),
           "d": (2, "2026-01-01"), "e": (5, "2026-01-01")}
ORDERS = {"a": "2026-01-10", "d": "2026-01-05", "e": "2026-02-15"}
UNSUBSCRIBED = {"b": "2026-01-05"}


@pytest.fixture
def conn(tmp_path):
    c = connect(tmp_path / "cases.duckdb")
    c.execute("create table journey_maps as select 'm' as map_id, 'ideal' as kind, "
              "timestamp '2026-03-01' as as_of")
    c.execute("""create table map_milestones as select * from (values
        ('m', 1, 'visit', false), ('m', 2, 'signed_up', false), ('m', 3, 'first_order', true))
        t(map_id, milestone_index, milestone_id, is_endpoint)""")
    c.execute("""create table map_claims as select * from (values
        ('m', 'buys', 'Says they will buy', 'claim_say:buys', 'survey', 'milestone',
         ['first_order'], 30 * 86400, false, []::varchar[]),
        ('m', 'stays', 'Says they will stay', 'claim_say:stays', 'survey', 'touchpoint',
         ['unsubscribed'], 30 * 86400, true, []::varchar[]))
        t(map_id, claim_id, label, say_rule_id, say_touchpoint_id, do_kind, do_targets,
          do_within_seconds, do_absent, versus_channels)""")
    events, milestones, matches = [], [], []
    for cid in ANSWERS:
        milestones += [("m", cid, 1, "visit", "2025-12-01"), ("m", cid, 2, "signed_up",
                                                                "2025-12-02")]
        events += [("m", cid, f"{cid}-visit", "2025-12-01", "visit", "web.page_viewed", None,
                    None, "Awareness", 1, "web"),
                   ("m", cid, f"{cid}-signup", "2025-12-02", "sign_up", "web.signed_up", None,
                    None, "Consideration", 2, "web")]
    for cid, (score, at) in ANSWERS.items():
        events.append(("m", cid, f"{cid}-survey", at, "survey", "survey.response_submitted",
                       float(score), "intent_1_5", "Consideration", 2, "survey"))
        if score >= 4:
            matches += [("m", rule, cid, f"{cid}-survey", at)
                        for rule in ("claim_say:buys", "claim_say:stays")]
    for cid, at in ORDERS.items():
        milestones.append(("m", cid, 3, "first_order", at))
        events.append(("m", cid, f"{cid}-order", at, "order", "commerce.order_completed", None,
                       None, "Purchase", 3, "web"))
    for cid, at in UNSUBSCRIBED.items():
        events.append(("m", cid, f"{cid}-unsub", at, "unsubscribed", "email.unsubscribed",
                       None, None, "Consideration", 2, "email"))
    c.execute("""create table journey_events (map_id varchar, customer_id varchar,
        event_key varchar, occurred_at timestamp, touchpoint_id varchar, event_type varchar,
        score double, score_scale varchar, stage varchar, stage_index integer, channel varchar,
        event_name_raw varchar, properties json)""")
    c.executemany("insert into journey_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, "
                  "'{}')", events)
    c.execute("create table customer_milestones (map_id varchar, customer_id varchar, "
              "milestone_index integer, milestone_id varchar, reached_at timestamp)")
    c.executemany("insert into customer_milestones values (?, ?, ?, ?, ?)", milestones)
    c.execute("create table journey_rule_matches (map_id varchar, rule_id varchar, "
              "customer_id varchar, event_key varchar, occurred_at timestamp)")
    c.executemany("insert into journey_rule_matches values (?, ?, ?, ?, ?)", matches)
    c.execute("create table customer_journeys as select distinct map_id, customer_id, "
              "'Shopper' as persona from journey_events")
    build_say_vs_do(c)
    yield c
    c.close()


def overall(conn, claim):
    cursor = conn.execute("select * from say_vs_do where claim_id = ? and grouping = 'all'",
                          [claim])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchall()[0]))


def test_claim_with_a_deadline(conn):
    row = overall(conn, "buys")
    assert (row["said"], row["open"], row["judged"], row["did"], row["gap"]) == (4, 1, 3, 1, 2)
    assert row["rate"] == pytest.approx(1 / 3)
    assert row["small_group"]
    gap = conn.execute("select customer_id from say_vs_do_gap_customers where claim_id = 'buys' "
                       "order by 1").fetchall()
    assert gap == [("b",), ("e",)]


def test_absent_claim_is_kept_only_once_its_time_is_over(conn):
    row = overall(conn, "stays")
    assert (row["said"], row["open"], row["judged"], row["did"], row["gap"]) == (4, 1, 3, 2, 1)
    gap = conn.execute("select customer_id from say_vs_do_gap_customers "
                       "where claim_id = 'stays'").fetchall()
    assert gap == [("b",)]


def test_breakdown_by_cohort_week(conn):
    weeks = dict(conn.execute("select group_value, said from say_vs_do where claim_id = 'buys' "
                              "and grouping = 'cohort_week'").fetchall())
    # Jan 1 2026 is a Thursday: its Monday is Dec 29; Feb 20 (Friday) is in the week of Feb 16.
    assert weeks == {"2025-12-29": 3, "2026-02-16": 1}


def test_calibration_curve(conn):
    curve = {score: (n, behaved) for score, n, behaved in conn.execute(
        "select score, respondents, behaved from claim_calibration where claim_id = 'buys'"
    ).fetchall()}
    assert curve == {2.0: (1, 1), 4.0: (1, 0), 5.0: (2, 1)}


def test_stage_at_response(conn):
    stages = dict(conn.execute("select customer_id, stage_at_response from int_claim_outcomes "
                               "where claim_id = 'buys'").fetchall())
    # Everyone had signed up (Consideration) when answering.
    assert set(stages.values()) == {"Consideration"}
    assert conn.execute("select max(said_at) from int_claim_outcomes").fetchall()[0][0] == \
        datetime(2026, 2, 20)
