"""The journeys layer recovers the generator's planted truth for the sample company: milestone
reach times per person (including the second order, an n-th occurrence), touchpoint volumes,
persona maps and map coverage."""

import shutil

import pytest

from pipeline import journeys
from pipeline.journey_map import load_map
from pipeline.resources import connect
from tests.conftest import REPO_ROOT

AS_IS = "cadence_bikes_as_is"
MILESTONES = ["first_visit", "signed_up", "test_ride_booked", "first_order", "repeat_order"]


@pytest.fixture(scope="module")
def company(sample_company):
    with connect(sample_company.database) as conn:
        yield sample_company.exports, sample_company.truth, conn


def truth_people(exports, where: str) -> str:
    """The truth's people as a query with their milestone times as UTC timestamps."""
    times = ", ".join(f"cast(cast(nullif({m}_at, '') as timestamptz) as timestamp) as {m}_at"
                      for m in MILESTONES)
    return f"""
        select person_id, persona, user_id, {times}
        from read_csv('{exports}/truth/customers.csv', all_varchar = true)
        where {where}
    """


@pytest.mark.parametrize("milestone", MILESTONES)
def test_milestone_times_of_signed_up_people_equal_the_truth(company, milestone):
    """Everyone who signed up has a user id, so their devices, emails and CRM records are one
    customer: each milestone's reach time (repeat_order = the 2nd order) equals the truth."""
    exports, truth, conn = company
    compared = conn.execute(f"""
        with people as ({truth_people(exports, "coalesce(user_id, '') <> ''")}),
        customers as (
            select people.*, person_map.customer_id
            from people
            inner join person_map
                on person_map.identifier_type = 'user_id'
                and person_map.identifier_value = people.user_id
        ),
        reached as (
            select customer_id, reached_at
            from customer_milestones
            where map_id = '{AS_IS}' and milestone_id = '{milestone}'
        )
        select
            count(*),
            count(customers.{milestone}_at),
            count(*) filter (where customers.{milestone}_at is not distinct from
                             reached.reached_at)
        from customers
        left join reached on reached.customer_id = customers.customer_id
    """).fetchall()[0]
    funnel = next(f for f in truth["realised"]["funnel"] if f["persona"] == "All")
    people, reached, equal = compared
    assert people == funnel["signed_up"]
    if milestone in funnel:
        assert reached == funnel[milestone]
    assert equal == people


def test_first_visit_of_anonymous_visitors(company):
    """A visitor who never signed up may be several customers (one per device); the earliest
    first visit over them is the person's first visit."""
    exports, _, conn = company
    people, equal = conn.execute(f"""
        with people as ({truth_people(exports, "coalesce(user_id, '') = ''")}),
        devices as (
            select person_id, identifier_value
            from read_csv('{exports}/truth/identifiers.csv', all_varchar = true)
            where identifier_type = 'anonymous_id'
        ),
        person_customers as (
            select distinct devices.person_id, person_map.customer_id
            from devices
            inner join person_map
                on person_map.identifier_type = 'anonymous_id'
                and person_map.identifier_value = devices.identifier_value
        ),
        first_visits as (
            select person_customers.person_id, min(reached_at) as first_visit_at
            from person_customers
            inner join customer_milestones using (customer_id)
            where map_id = '{AS_IS}' and milestone_id = 'first_visit'
            group by all
        )
        select count(*), count(*) filter (where people.first_visit_at = first_visits.first_visit_at)
        from people
        left join first_visits using (person_id)
    """).fetchall()[0]
    assert people > 700
    assert equal == people


def test_touchpoint_volumes(company):
    exports, truth, conn = company
    volumes = dict(conn.execute(f"""
        select touchpoint_id, count(*) from journey_events
        where map_id = '{AS_IS}' and touchpoint_id is not null group by all""").fetchall())
    funnel = next(f for f in truth["realised"]["funnel"] if f["persona"] == "All")
    assert volumes["sign_up"] == funnel["signed_up"]
    assert volumes["test_ride_booked"] == funnel["test_ride_booked"]
    assert volumes["order_completed"] == funnel["first_order"] + funnel["repeat_order"]
    assert volumes["reminder_delivered"] == truth["realised"]["follow_up"][0]["got_reminder"]
    # every event of a customer up to as-of is in journey_events, mapped or not
    in_scope = conn.execute("""
        select count(*) from events inner join event_customers using (event_key)
        where customer_id is not null""").fetchall()[0][0]
    assert conn.execute(f"select count(*) from journey_events where map_id = '{AS_IS}'"
                        ).fetchall()[0][0] == in_scope
    assert conn.execute(f"select count(*) from customer_journeys where map_id = '{AS_IS}'"
                        ).fetchall()[0][0] == conn.execute(
        "select count(*) from customers").fetchall()[0][0]


def test_coverage_of_the_as_is_map(company):
    _, _, conn = company
    assert conn.execute(f"select touchpoint_id, reason from map_coverage_unmeasured "
                        f"where map_id = '{AS_IS}'").fetchall() == [
        ("sales_call", "no event matches its rule")]
    identified = conn.execute("""
        select count(*) from events inner join event_customers using (event_key)
        where customer_id is not null and event_type = 'web.identified'""").fetchall()[0][0]
    unmapped = dict(conn.execute(f"""select event_type, n_events from map_coverage_unmapped
        where map_id = '{AS_IS}'""").fetchall())
    assert unmapped["web.identified"] == identified
    assert "web.page_viewed" not in unmapped
    nurture_1_opens = conn.execute("""
        select count(*) from events inner join event_customers using (event_key)
        where customer_id is not null and event_type = 'email.opened'
            and campaign_name = 'Nurture 1'""").fetchall()[0][0]
    overlaps = {tuple(k): n for k, n in conn.execute(f"""
        select matched_touchpoints, n_events from map_coverage_overlaps
        where map_id = '{AS_IS}'""").fetchall()}
    assert overlaps[("nurture_1_opened", "nurture_email_opened")] == nurture_1_opens


def test_a_map_per_persona(company, tmp_path):
    """A map for Urban Commuters only. Persona is a CRM property, so the map's customers are the
    persona's CRM contacts, and its milestones those of people whose CRM contact and web account
    are one customer: everyone but the few who gave the CRM a shared role address (info@...),
    which merge protection keeps apart from their web identity."""
    exports, truth, conn = company
    database = tmp_path / "copy.duckdb"
    conn.execute("checkpoint")
    shutil.copy(conn.execute("select path from duckdb_databases() where database_name = "
                             "current_database()").fetchall()[0][0], database)
    path = tmp_path / "commuters.yaml"
    path.write_text((REPO_ROOT / "maps" / "cadence_bikes.as_is.yaml").read_text()
                    .replace("map: cadence_bikes_as_is", "map: commuters")
                    .replace("  where: []", "  where: [{property: persona, op: eq, "
                                            "value: Urban Commuter}]"))
    with connect(database) as copy:
        journeys.build_all(copy, [load_map(path)])
        counts = dict(copy.execute("select milestone_id, count(*) from customer_milestones "
                                   "group by all").fetchall())
        n_customers = copy.execute("select count(*) from map_customers").fetchall()[0][0]
    funnel = next(f for f in truth["realised"]["funnel"] if f["persona"] == "Urban Commuter")
    assert n_customers == funnel["signed_up"]
    expected = conn.execute(f"""
        with people as ({truth_people(exports, "persona = 'Urban Commuter' "
                                               "and role_address = 'false'")})
        select {", ".join(f"count({m}_at)" for m in MILESTONES[1:])} from people
    """).fetchall()[0]
    assert [counts[m] for m in MILESTONES[1:]] == list(expected)
    assert expected[0] > 400 and expected[-1] > 20
