"""Which journeys and touches attribution learns from, on hand-made journeys tables shaped like
the journeys layer's (CONTRACT: customer_journeys, journey_events, customer_milestones,
map_milestones)."""

from datetime import datetime

import pytest

from pipeline import sql
from pipeline.attribution import AttributionSettings
from pipeline.config_errors import ConfigError
from pipeline.journey_map import load_maps
from pipeline.resources import connect
from pipeline.settings import MAPS_DIR


def t(day, hour=0):
    return datetime(2026, 5, day, hour)


@pytest.fixture
def conn(tmp_path):
    conn = connect(tmp_path / "inputs.duckdb")
    conn.execute("""create table customer_journeys (map_id varchar, customer_id varchar,
        persona varchar, journey_start_at timestamp, window_ends_at timestamp,
        endpoint_reached boolean, endpoint_at timestamp, in_progress boolean)""")
    conn.execute("""create table journey_events (map_id varchar, customer_id varchar,
        event_key varchar, occurred_at timestamp, event_seq bigint, touchpoint_id varchar,
        channel varchar, campaign_name varchar)""")
    conn.execute("""create table customer_milestones (map_id varchar, customer_id varchar,
        milestone_index integer, milestone_id varchar, reached_at timestamp, event_key varchar)""")
    conn.execute("""create table map_milestones (map_id varchar, milestone_index integer,
        milestone_id varchar, touchpoint_id varchar, occurrence integer, is_endpoint boolean,
        window_seconds bigint)""")
    conn.execute("insert into map_milestones values ('m', 1, 'visit', 'visit', 1, false, null),"
                 " ('m', 2, 'order', 'order', 1, true, null)")
    conn.execute("""insert into customer_journeys values
        ('m', 'won',   'P', ?, ?, true,  ?,    false),
        ('m', 'lost',  'P', ?, ?, false, null, false),
        ('m', 'open',  'P', ?, ?, false, null, true),
        ('m', 'never', 'P', null, null, false, null, false)""",
                 [t(1), t(15), t(5), t(1), t(15), t(20), t(30)])
    # won: visit, email, ad and the order at the same instant (the ad sorts first), a touch
    # after the order. lost: a touch inside the window and one after it.
    conn.execute("""insert into journey_events values
        ('m', 'won', 'w1', ?, 1, 'visit', 'web', null),
        ('m', 'won', 'w2', ?, 2, 'email', 'email', 'Spring'),
        ('m', 'won', 'w3', ?, 3, 'ad', 'paid', 'search'),
        ('m', 'won', 'w4', ?, 4, 'order', 'web', null),
        ('m', 'won', 'w5', ?, 5, 'email', 'email', 'Spring'),
        ('m', 'lost', 'l1', ?, 1, 'visit', 'web', null),
        ('m', 'lost', 'l2', ?, 2, 'ad', 'paid', null),
        ('m', 'lost', 'l3', ?, 3, 'email', 'email', 'Spring'),
        ('m', 'open', 'o1', ?, 1, 'email', 'email', 'Spring'),
        ('m', 'never', 'n1', ?, 1, 'email', 'email', 'Spring')""",
                 [t(1), t(2), t(5), t(5), t(6), t(1), t(14), t(16), t(20), t(3)])
    conn.execute("insert into customer_milestones values ('m', 'won', 2, 'order', ?, 'w4')",
                 [t(5)])
    yield conn
    conn.close()


def test_journeys_are_entrants_that_are_decided(conn):
    sql.run(conn, "attribution/int_attribution_journeys")
    rows = conn.execute("select customer_id, is_converted, outcome_at from "
                        "int_attribution_journeys order by customer_id").fetchall()
    # 'open' is in progress and 'never' never entered: neither is a null path.
    assert rows == [("lost", False, t(15)), ("won", True, t(5))]


def test_touches_stop_at_the_endpoint_event_or_the_window(conn):
    sql.run(conn, "attribution/int_attribution_journeys")
    credited = [{"map_id": "m", "touchpoint_id": tp, "split_by_campaign": tp == "ad"}
                for tp in ("visit", "email", "ad")]
    sql.run(conn, "attribution/int_attribution_touches", params={"credited": credited})
    rows = conn.execute("select customer_id, touchpoint_id from int_attribution_touches "
                        "order by customer_id, touch_seq").fetchall()
    # won: the ad at the order's instant counts (it comes first in event_seq), the order is not
    # credited and the email after it is too late. lost: the email on day 16 is after the window.
    # The ad is split by campaign; lost's ad has no campaign, so it keeps the plain id.
    assert rows == [("lost", "visit"), ("lost", "ad"),
                    ("won", "visit"), ("won", "email"), ("won", "ad · search")]


def test_default_credit_is_every_touchpoint_but_the_milestones():
    maps = load_maps(MAPS_DIR)
    as_is = next(m for m in maps if m.kind == "as_is")
    rows = AttributionSettings().credited_touchpoints(maps)
    credited = {r["touchpoint_id"] for r in rows if r["map_id"] == as_is.id}
    milestone_touchpoints = {m.touchpoint for m in as_is.milestones} - {None}
    assert credited == {tp.id for tp in as_is.touchpoints} - milestone_touchpoints
    assert "order_completed" not in credited and "nurture_email_clicked" in credited


def test_unknown_map_or_touchpoint_names_the_line(tmp_path):
    from pipeline.attribution import load_settings

    path = tmp_path / "attribution.yaml"
    path.write_text("maps:\n  cadence_bikes_as_iss:\n    credit: [x]\n"
                    "  cadence_bikes_as_is:\n    credit:\n      - nurture_email_clickd\n")
    settings = load_settings(path)
    # A map that is not in the folder is only a warning (settings from another maps folder).
    assert settings.unknown_maps(load_maps(MAPS_DIR)) == [
        f"{path}:2: maps.cadence_bikes_as_iss: no map 'cadence_bikes_as_iss' in the maps "
        f"folder, settings ignored; did you mean 'cadence_bikes_as_is'?"]
    with pytest.raises(ConfigError) as err:
        settings.credited_touchpoints(load_maps(MAPS_DIR))
    text = str(err.value)
    assert (f"{path}:6: maps.cadence_bikes_as_is.credit.0: map 'cadence_bikes_as_is' has no "
            f"touchpoint 'nurture_email_clickd'; did you mean 'nurture_email_clicked'?") in text
