"""Branch analysis on a hand-made map (journeys tables in the contract's shapes).

Map m, as-of = day 30, outcome window 7 days, next-touch horizon 14 days. Nurture 1 ('n1',
category nurture/nurture_1) is delivered on day 1 at 00:00 to a, b, c, e, and on day 28 to d.
  a: opens 02:00, clicks 03:00, opens again day 2, visits the web day 3, orders day 5 -> clicked
  b: nothing; gets the reminder ('rem') on day 2                                    -> not_opened
  c: opens 01:00, visits the web 05:00                                              -> opened
  e: nothing; gets the reminder on day 5 (after the 3-day follow-up time)            -> not_opened
  d: delivered day 28: its 7-day outcome window is still open at as-of: not counted.
Tickets solved on day 6: a rates good 4 h later, b rates bad on day 7, c does not rate.
"""

from datetime import datetime, timedelta

import pytest

from pipeline.attribution import AttributionSettings, build_branch_tables
from pipeline.resources import connect

D = datetime(2026, 6, 1) - timedelta(days=1)  # D + n days = June n
N1 = '{"category": ["nurture", "nurture_1"]}'
REM = '{"category": ["nurture", "reminder"]}'


def at(day, hour=0):
    return D + timedelta(days=day, hours=hour)


EVENTS = [  # customer, day, hour, event_type, event_name_raw, touchpoint, properties
    ("a", 1, 0, "email.delivered", None, "n1", N1),
    ("a", 1, 2, "email.opened", None, "n1_open", N1),
    ("a", 1, 3, "email.clicked", None, "n1_click", N1),
    ("a", 2, 0, "email.opened", None, "n1_open", N1),
    ("a", 3, 0, "web.page_viewed", "Home", "web", "{}"),
    ("a", 5, 0, "commerce.order_completed", None, "order", "{}"),
    ("a", 6, 0, "support.ticket_solved", None, None, "{}"),
    ("a", 6, 4, "survey.csat_submitted", "good", "rated", "{}"),
    ("b", 1, 0, "email.delivered", None, "n1", N1),
    ("b", 2, 0, "email.delivered", None, "rem", REM),
    ("b", 6, 0, "support.ticket_solved", None, None, "{}"),
    ("b", 7, 0, "survey.csat_submitted", "bad", "rated", "{}"),
    ("c", 1, 0, "email.delivered", None, "n1", N1),
    ("c", 1, 1, "email.opened", None, "n1_open", N1),
    ("c", 1, 5, "web.page_viewed", "Home", "web", "{}"),
    ("c", 6, 0, "support.ticket_solved", None, None, "{}"),
    ("e", 1, 0, "email.delivered", None, "n1", N1),
    ("e", 5, 0, "email.delivered", None, "rem", REM),
    ("d", 28, 0, "email.delivered", None, "n1", N1),
]


@pytest.fixture
def conn(tmp_path):
    conn = connect(tmp_path / "branches.duckdb")
    conn.execute("create table journey_maps (map_id varchar, as_of timestamp)")
    conn.execute("insert into journey_maps values ('m', ?)", [at(30)])
    conn.execute("""create table journey_events (map_id varchar, customer_id varchar,
        event_key varchar, occurred_at timestamp, event_seq bigint, event_type varchar,
        event_name_raw varchar, campaign_name varchar, touchpoint_id varchar,
        properties json)""")
    for i, (customer, day, hour, event_type, name, touchpoint, props) in enumerate(EVENTS):
        # No campaign_name: the email's campaign comes from its SendGrid category.
        conn.execute("insert into journey_events values ('m', ?, ?, ?, 0, ?, ?, null, ?, ?)",
                     [customer, f"k{i:02d}", at(day, hour), event_type, name, touchpoint, props])
    conn.execute("""update journey_events set event_seq = s.seq from (select event_key,
        row_number() over (partition by customer_id order by occurred_at, event_key) as seq
        from journey_events) s where s.event_key = journey_events.event_key""")
    conn.execute("""create table customer_journeys (map_id varchar, customer_id varchar,
        persona varchar, journey_start_at timestamp, window_ends_at timestamp,
        endpoint_reached boolean, endpoint_at timestamp, in_progress boolean)""")
    for customer in "abcde":
        won = customer == "a"
        conn.execute("insert into customer_journeys values ('m', ?, 'P', ?, ?, ?, ?, false)",
                     [customer, at(0), at(14), won, at(5) if won else None])
    conn.execute("""create table map_follow_ups (map_id varchar, follow_up_id varchar,
        label varchar, after_touchpoint varchar, unless_touchpoint varchar,
        expect_touchpoint varchar, within_seconds bigint)""")
    conn.execute("insert into map_follow_ups values ('m', 'remind', 'Remind non-openers', "
                 "'n1', 'n1_open', 'rem', 3 * 86400)")
    build_branch_tables(conn, AttributionSettings())
    yield conn
    conn.close()


def test_outcome_split_and_conversion_per_branch(conn):
    rows = conn.execute("""select outcome, n_anchors, outcome_share, n_conversion_eligible,
        n_converted from fct_branches where anchor_label = 'n1' order by outcome""").fetchall()
    # d's anchor is still open; a, c, b + e -> 1 / 1 / 2 of 4. Only a converted (day 5, after
    # its anchor on day 1); every anchor sits inside its journey's window before any endpoint.
    assert rows == [("clicked", 1, 0.25, 1, 1), ("not_opened", 2, 0.5, 2, 0),
                    ("opened", 1, 0.25, 1, 0)]
    # The reminder deliveries are anchors of their own (category nurture/reminder).
    assert conn.execute("select sum(n_anchors) from fct_branches "
                        "where anchor_label = 'rem'").fetchall() == [(2,)]


def test_next_touchpoint_after_the_deciding_event(conn):
    rows = conn.execute("""select outcome, next_touchpoint_id, n_anchors, share,
        median_hours_to_next_touch from fct_branch_next_touchpoints
        where anchor_label = 'n1' order by outcome, next_touchpoint_id""").fetchall()
    # a: decided by the click (day 1 03:00); its re-open on day 2 answers the same email, so the
    #    next touchpoint is the web visit on day 3: 45 h.
    # b: reminder 24 h after the delivery. e: reminder 96 h after. c: web 4 h after the open.
    assert rows == [("clicked", "web", 1, 1.0, 45.0), ("not_opened", "rem", 2, 1.0, 60.0),
                    ("opened", "web", 1, 1.0, 4.0)]


def test_ticket_ratings(conn):
    rows = conn.execute("""select outcome, n_anchors from fct_branches
        where anchor_kind = 'ticket' order by outcome""").fetchall()
    assert rows == [("not_rated", 1), ("rated_bad", 1), ("rated_good", 1)]


def test_follow_up_per_branch_happened_and_how_fast(conn):
    rows = conn.execute("""select outcome, is_needed, n_anchors, n_followed_up, n_late,
        follow_up_rate, median_hours_to_follow_up from fct_branch_follow_ups
        order by outcome""").fetchall()
    # Needed for b and e (no open within 3 days): b got the reminder after 24 h, e only after
    # 96 h (late). a and c opened, so it was not needed (and not sent). d: not yet due.
    assert rows == [("clicked", False, 1, 0, 0, 0.0, None),
                    ("not_opened", True, 2, 1, 1, 0.5, 24.0),
                    ("opened", False, 1, 0, 0, 0.0, None)]
    low, high = conn.execute("select follow_up_rate_low, follow_up_rate_high from "
                             "fct_branch_follow_ups where is_needed").fetchall()[0]
    # Wilson 95 % for 1 of 2 (z² = 3.8415): centre (0.5 + 0.9604) / 2.9207 = 0.5,
    # half 1.96 / 2.9207 * sqrt(0.125 + 0.2401) = 0.4055 -> (0.0945, 0.9055)
    assert (low, high) == pytest.approx((0.09453, 0.90547), abs=1e-4)
