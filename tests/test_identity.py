"""Identity stitching on small hand-built events and links, with the expected customers worked out
by hand in each test's comments."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime

import pandas as pd
import pytest

from pipeline import sql
from pipeline.identity import (
    OUTPUT_TABLES,
    IdentityInputMissing,
    build_identity,
    create_input_tables,
    merge_precision_recall,
)
from pipeline.identity_rules import IdentityRules
from pipeline.resources import connect


# ---------------------------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "identity.duckdb")
    sql.run(connection, "staging/create_events")
    create_input_tables(connection)
    try:
        yield connection
    finally:
        connection.close()


def _insert(conn, sql_text, columns, rows):
    """Insert rows through a registered DataFrame (one statement, not one per row)."""
    frame = pd.DataFrame(rows, columns=columns)
    conn.register("test_rows", frame)
    try:
        conn.execute(sql_text)
    finally:
        conn.unregister("test_rows")


def add_events(conn, rows):
    """rows: (event_key, source_system, occurred_at 'YYYY-MM-DD HH:MM', identifiers dict)."""
    _insert(
        conn,
        """
        insert into events (
            event_key, event_week, source_system, source_category, source_object,
            source_event_id, raw_file, raw_record_locator, event_type, occurred_at, ingested_at,
            email_norm, user_id, anonymous_id, source_person_id, source_person_type
        )
        select
            event_key, date '2025-01-06', source_system, 'test', 'test',
            event_key, 'test.jsonl', '1', 'test', occurred_at::timestamp,
            timestamp '2025-03-01',
            email, user_id, anonymous_id, person_id, person_type
        from test_rows
        """,
        ["event_key", "source_system", "occurred_at", "email", "user_id", "anonymous_id",
         "person_id", "person_type"],
        [
            [key, source, at, ids.get("email"), ids.get("user_id"), ids.get("anonymous_id"),
             ids.get("person_id"), ids.get("person_type")]
            for key, source, at, ids in rows
        ],
    )


def add_links(conn, rows):
    """rows: (a_type, a_value, b_type, b_value, edge_kind, source_system, observed_at)."""
    _insert(
        conn,
        "insert into identity_links select a_type, a_value, b_type, b_value, edge_kind, "
        "source_system, null, observed_at::timestamp from test_rows",
        ["a_type", "a_value", "b_type", "b_value", "edge_kind", "source_system", "observed_at"],
        [list(r) for r in rows],
    )


def add_properties(conn, rows):
    """rows: (identifier_type, identifier_value, source_system, properties dict, observed_at)."""
    _insert(
        conn,
        "insert into person_properties select identifier_type, identifier_value, source_system, "
        "properties::json, observed_at::timestamp from test_rows",
        ["identifier_type", "identifier_value", "source_system", "properties", "observed_at"],
        [[r[0], r[1], r[2], json.dumps(r[3]), r[4]] for r in rows],
    )


def customer_of(conn, identifier_type, identifier_value):
    row = conn.execute(
        "select customer_id from person_map where identifier_type = ? and identifier_value = ?",
        [identifier_type, identifier_value],
    ).fetchone()
    return None if row is None else row[0]


def event_match(conn, event_key):
    return conn.execute(
        "select customer_id, matched_on_type from event_customers where event_key = ?",
        [event_key],
    ).fetchone()


def identifier_row(conn, identifier_type, identifier_value):
    result = conn.execute(
        "select * from identifiers where identifier_type = ? and identifier_value = ?",
        [identifier_type, identifier_value],
    )
    names = [d[0] for d in result.description]
    row = result.fetchone()
    return None if row is None else dict(zip(names, row))


def customer_row(conn, customer_id):
    result = conn.execute("select * from customers where customer_id = ?", [customer_id])
    names = [d[0] for d in result.description]
    row = result.fetchone()
    return None if row is None else dict(zip(names, row))


def expected_customer_id(*identifiers):
    """'c_' + the first 16 hex digits of sha256 of the smallest 'type:value'."""
    smallest = min(f"{t}:{v}" for t, v in identifiers)
    return "c_" + hashlib.sha256(smallest.encode()).hexdigest()[:16]


def snapshot(conn):
    return {
        table: sorted(
            conn.execute(f"select * from {table}").fetchall(),  # noqa: S608 - fixed table names
            key=repr,
        )
        for table in OUTPUT_TABLES
    }


# ---------------------------------------------------------------------------------------------
# stitching


def test_anonymous_to_user_login_chain(conn):
    # a1 --login-- u1 --login-- a2: one person on two devices. a3 never logs in.
    add_events(
        conn,
        [
            ("e1", "segment", "2025-01-06 09:00", {"anonymous_id": "a1"}),
            ("e2", "segment", "2025-01-06 09:05", {"anonymous_id": "a1", "user_id": "u1"}),
            ("e3", "segment", "2025-01-08 20:00", {"anonymous_id": "a2", "user_id": "u1"}),
            ("e4", "segment", "2025-01-09 20:00", {"anonymous_id": "a2"}),
            ("e5", "segment", "2025-01-09 21:00", {"anonymous_id": "a3"}),
        ],
    )
    summary = build_identity(conn, IdentityRules())

    person = expected_customer_id(("anonymous_id", "a1"), ("anonymous_id", "a2"), ("user_id", "u1"))
    assert customer_of(conn, "anonymous_id", "a1") == person
    assert customer_of(conn, "anonymous_id", "a2") == person
    assert customer_of(conn, "user_id", "u1") == person
    assert customer_of(conn, "anonymous_id", "a3") == expected_customer_id(("anonymous_id", "a3"))

    # the user_id decides when present, the anonymous_id otherwise
    assert event_match(conn, "e1") == (person, "anonymous_id")
    assert event_match(conn, "e2") == (person, "user_id")
    assert event_match(conn, "e3") == (person, "user_id")
    assert event_match(conn, "e4") == (person, "anonymous_id")

    edges = conn.execute(
        "select a_type, a_value, b_type, b_value, edge_kind, source_system, n_observations, "
        "first_observed_at from identity_edges order by all"
    ).fetchall()
    assert edges == [
        ("anonymous_id", "a1", "user_id", "u1", "login", "segment", 1,
         datetime(2025, 1, 6, 9, 5)),
        ("anonymous_id", "a2", "user_id", "u1", "login", "segment", 1,
         datetime(2025, 1, 8, 20, 0)),
    ]

    customer = customer_row(conn, person)
    assert customer["n_events"] == 4
    assert customer["n_identifiers"] == 3
    assert customer["n_anonymous_ids"] == 2
    assert customer["n_user_ids"] == 1
    assert customer["n_emails"] == 0
    assert customer["first_seen_at"] == datetime(2025, 1, 6, 9, 0)
    assert customer["last_seen_at"] == datetime(2025, 1, 9, 20, 0)
    assert customer["is_identified"] is True
    assert customer["is_shared"] is False
    assert customer_row(conn, customer_of(conn, "anonymous_id", "a3"))["is_identified"] is False

    assert summary["n_customers"] == 2
    assert summary["n_edges_accepted"] == 2
    assert summary["n_edges_rejected"] == 0
    assert summary["n_events_unattributed"] == 0
    assert summary["iterations"] >= 2


def test_email_normalisation_and_zendesk_link(conn):
    # The same address in three spellings is one identifier; the Zendesk user links to it.
    add_events(
        conn,
        [
            ("g1", "sendgrid", "2025-01-06 10:00", {"email": " Carol@Shop.io "}),
            ("h1", "hubspot", "2025-01-07 10:00",
             {"email": "carol@shop.io", "person_id": "501", "person_type": "hubspot_contact"}),
        ],
    )
    add_links(
        conn,
        [("zendesk_user", "z9", "email", "CAROL@shop.io", "same_record", "zendesk",
          "2025-01-05 08:00")],
    )
    build_identity(conn, IdentityRules())

    carol = expected_customer_id(
        ("email", "carol@shop.io"), ("hubspot_contact", "501"), ("zendesk_user", "z9")
    )
    assert customer_of(conn, "email", "carol@shop.io") == carol
    assert customer_of(conn, "hubspot_contact", "501") == carol
    assert customer_of(conn, "zendesk_user", "z9") == carol

    email = identifier_row(conn, "email", "carol@shop.io")
    assert email["n_events"] == 2
    assert email["source_systems"] == ["hubspot", "sendgrid", "zendesk"]
    assert email["first_seen_at"] == datetime(2025, 1, 5, 8, 0)  # the link observation
    n_emails = conn.execute("select count(*) from identifiers where identifier_type = 'email'")
    assert n_emails.fetchone()[0] == 1

    customer = customer_row(conn, carol)
    assert customer["email_sha256"] == hashlib.sha256(b"carol@shop.io").hexdigest()
    assert customer["hubspot_contact_id"] == "501"
    assert customer["n_source_systems"] == 2  # sources of its events
    assert customer["source_systems"] == ["hubspot", "sendgrid"]
    assert event_match(conn, "h1") == (carol, "email")  # email outranks the system key


def test_hubspot_merge_link_and_properties(conn):
    # Contact 602 was merged into 601. 601 carries the email; 602 only a form event.
    add_events(
        conn,
        [
            ("h1", "hubspot", "2025-01-06 10:00",
             {"email": "dave@shop.io", "person_id": "601", "person_type": "hubspot_contact"}),
            ("h2", "hubspot", "2025-01-02 10:00",
             {"person_id": "602", "person_type": "hubspot_contact"}),
        ],
    )
    add_links(
        conn,
        [("hubspot_contact", "601", "hubspot_contact", "602", "merge", "hubspot",
          "2025-01-03 12:00")],
    )
    add_properties(
        conn,
        [
            ("hubspot_contact", "601", "hubspot",
             {"persona": "Urban Commuter", "lifecycle_stage": "lead", "company": "Acme",
              "original_source": "ORGANIC_SEARCH"},
             "2025-01-01 00:00"),
            ("hubspot_contact", "602", "hubspot",
             {"persona": "Weekend Rider", "lifecycle_stage": "customer", "company": None,
              "original_source": " "},
             "2025-02-01 00:00"),
            # properties of an identifier never seen on an event or link are not a customer
            ("hubspot_contact", "999", "hubspot", {"persona": "Ghost"}, "2025-02-01 00:00"),
        ],
    )
    summary = build_identity(conn, IdentityRules())

    dave = expected_customer_id(
        ("email", "dave@shop.io"), ("hubspot_contact", "601"), ("hubspot_contact", "602")
    )
    assert customer_of(conn, "hubspot_contact", "602") == dave
    assert event_match(conn, "h2") == (dave, "hubspot_contact")
    merge = conn.execute(
        "select edge_kind, source_system from identity_edges where a_value = '601'"
    ).fetchall()
    assert merge == [("merge", "hubspot")]

    customer = customer_row(conn, dave)
    # latest observation wins per key; a JSON null or a blank does not erase an earlier value
    assert json.loads(customer["properties"]) == {
        "company": "Acme",
        "lifecycle_stage": "customer",
        "original_source": "ORGANIC_SEARCH",
        "persona": "Weekend Rider",
    }
    assert customer["persona"] == "Weekend Rider"
    # the contact seen last: 601 (event 2025-01-06) over 602 (merge link 2025-01-03)
    assert customer["hubspot_contact_id"] == "601"
    assert customer["n_events"] == 2
    assert summary["n_customers"] == 1


def test_kiosk_anonymous_id_with_five_users_does_not_merge_them(conn):
    # kiosk-1 logs in five different users: over the anonymous_id -> user_id limit of 3, so it
    # is shared, links nobody, and becomes a customer of its own. k1 also has a phone.
    rows = [
        (f"k{i}", "segment", f"2025-01-0{i + 1} 12:00",
         {"anonymous_id": "kiosk-1", "user_id": f"k{i}"})
        for i in range(1, 6)
    ]
    rows += [
        ("kiosk-only-1", "segment", "2025-01-07 12:00", {"anonymous_id": "kiosk-1"}),
        ("kiosk-only-2", "segment", "2025-01-08 12:00", {"anonymous_id": "kiosk-1"}),
        ("phone", "segment", "2025-01-09 12:00", {"anonymous_id": "k1-phone", "user_id": "k1"}),
    ]
    add_events(conn, rows)
    summary = build_identity(conn, IdentityRules())

    kiosk = identifier_row(conn, "anonymous_id", "kiosk-1")
    assert kiosk["is_shared"] is True and kiosk["is_blocked"] is False

    users = {customer_of(conn, "user_id", f"k{i}") for i in range(1, 6)}
    assert len(users) == 5  # five people stay five people
    assert customer_of(conn, "anonymous_id", "k1-phone") == customer_of(conn, "user_id", "k1")

    kiosk_customer = expected_customer_id(("anonymous_id", "kiosk-1"))
    assert customer_of(conn, "anonymous_id", "kiosk-1") == kiosk_customer
    assert event_match(conn, "kiosk-only-1") == (kiosk_customer, "anonymous_id")
    assert event_match(conn, "k3") == (customer_of(conn, "user_id", "k3"), "user_id")
    assert customer_row(conn, kiosk_customer)["is_shared"] is True
    assert customer_row(conn, kiosk_customer)["n_events"] == 2

    rejected = conn.execute(
        "select count(*), min(reason), max(reason), min(edge_kind) from identity_rejected_edges"
    ).fetchone()
    assert rejected == (5, "shared_identifier", "shared_identifier", "login")
    assert summary["n_identifiers_shared"] == 1
    assert summary["n_customers_shared"] == 1
    assert summary["n_customers"] == 6
    assert summary["n_events_unattributed"] == 0


def test_hub_limit_is_configurable(conn):
    # One email with three user_ids: over the default email -> user_id limit of 2 ...
    add_events(
        conn,
        [(f"f{i}", "app", "2025-01-06 12:00", {"email": "family@shop.io", "user_id": f"f{i}"})
         for i in range(3)],
    )
    build_identity(conn, IdentityRules())
    assert identifier_row(conn, "email", "family@shop.io")["is_shared"] is True
    assert len({customer_of(conn, "user_id", f"f{i}") for i in range(3)}) == 3

    # ... but within a raised limit, they are one customer
    rules = IdentityRules(hub_limits={"email": {"user_id": 5}})
    build_identity(conn, rules)
    assert identifier_row(conn, "email", "family@shop.io")["is_shared"] is False
    assert len({customer_of(conn, "user_id", f"f{i}") for i in range(3)}) == 1


def test_shared_role_email_is_blocked(conn):
    # info@ is written on two different users' events: blocked, so they stay apart.
    add_events(
        conn,
        [
            ("i1", "app", "2025-01-06 12:00", {"email": "info@shop.io", "user_id": "ann"}),
            ("i2", "app", "2025-01-06 13:00", {"email": "INFO@shop.io", "user_id": "ben"}),
            ("i3", "sendgrid", "2025-01-06 14:00", {"email": "info@shop.io"}),
        ],
    )
    summary = build_identity(conn, IdentityRules())

    info = identifier_row(conn, "email", "info@shop.io")
    assert info["is_blocked"] is True
    assert info["block_reason"] == "role_email"
    assert info["is_shared"] is False
    assert info["n_events"] == 3
    assert customer_of(conn, "email", "info@shop.io") is None  # belongs to no customer
    assert customer_of(conn, "user_id", "ann") != customer_of(conn, "user_id", "ben")
    assert event_match(conn, "i1") == (customer_of(conn, "user_id", "ann"), "user_id")
    assert event_match(conn, "i3") == (None, None)  # only a blocked identifier: unattributed
    assert conn.execute(
        "select count(*), min(reason) from identity_rejected_edges"
    ).fetchone() == (2, "blocked_identifier")
    assert summary["n_events_unattributed"] == 1
    assert summary["n_identifiers_blocked"] == 1


def test_test_domain_and_placeholder_values_are_blocked(conn):
    add_events(
        conn,
        [
            ("t1", "app", "2025-01-06 12:00", {"email": "test@example.com", "user_id": "amy"}),
            ("t2", "app", "2025-01-06 12:00", {"email": "test@example.com", "user_id": "bob"}),
            ("t3", "app", "2025-01-06 12:00", {"email": "jane@example.org", "user_id": "cat"}),
            ("t4", "app", "2025-01-06 12:00", {"user_id": "0000", "anonymous_id": "NULL"}),
            ("t5", "app", "2025-01-06 12:00", {"user_id": "-1", "anonymous_id": "  "}),
            ("t6", "app", "2025-01-06 12:00", {"user_id": "undefined", "anonymous_id": "dan-1"}),
        ],
    )
    build_identity(conn, IdentityRules())

    reasons = dict(
        ((t, v), r)
        for t, v, r in conn.execute(
            "select identifier_type, identifier_value, block_reason from identifiers "
            "where is_blocked"
        ).fetchall()
    )
    assert reasons == {
        ("email", "test@example.com"): "role_email",  # the first matching pattern names it
        ("email", "jane@example.org"): "test_email_domain",
        ("user_id", "0000"): "placeholder_pattern",
        ("anonymous_id", "NULL"): "blocked_value",
        ("user_id", "-1"): "blocked_value",
        ("anonymous_id", ""): "empty",
        ("user_id", "undefined"): "blocked_value",
    }
    assert customer_of(conn, "user_id", "amy") != customer_of(conn, "user_id", "bob")
    assert event_match(conn, "t4") == (None, None)
    assert event_match(conn, "t5") == (None, None)
    dan = expected_customer_id(("anonymous_id", "dan-1"))
    assert event_match(conn, "t6") == (dan, "anonymous_id")


def test_event_without_identifiers_is_unattributed_and_counted(conn):
    add_events(
        conn,
        [
            ("w1", "segment", "2025-01-06 12:00", {"anonymous_id": "a1"}),
            ("w2", "segment", "2025-01-06 12:00", {}),
            ("w3", "typeform", "2025-01-06 12:00", {}),
        ],
    )
    summary = build_identity(conn, IdentityRules())
    assert conn.execute("select count(*) from event_customers").fetchone()[0] == 3
    assert event_match(conn, "w2") == (None, None)
    assert summary["n_events"] == 3
    assert summary["n_events_attributed"] == 1
    assert summary["n_events_unattributed"] == 2
    audit = conn.execute(
        "select n_events, n_events_attributed, n_customers, stitch_rate "
        "from identity_audit_sources where source_system = 'typeform'"
    ).fetchone()
    assert audit == (1, 0, 0, None)


def test_source_person_without_type_gets_a_source_type(conn):
    add_events(conn, [("p1", "delighted", "2025-01-06 12:00", {"person_id": "77"})])
    build_identity(conn, IdentityRules())
    assert event_match(conn, "p1") == (
        expected_customer_id(("delighted_person", "77")),
        "delighted_person",
    )


# ---------------------------------------------------------------------------------------------
# audits


def audit_scenario(conn):
    # C1 = {x1, v1, v@shop.io, hubspot 9}: events s1 (segment), g1 (sendgrid), h1 (hubspot)
    # C2 = {x2}: s2 (segment).  C3 = {hubspot 10}: h2 (hubspot).  q1 (typeform): no identifier.
    add_events(
        conn,
        [
            ("s1", "segment", "2025-01-06 12:00", {"anonymous_id": "x1", "user_id": "v1"}),
            ("s2", "segment", "2025-01-06 12:00", {"anonymous_id": "x2"}),
            ("g1", "sendgrid", "2025-01-06 12:00", {"email": "v@shop.io", "user_id": "v1"}),
            ("h1", "hubspot", "2025-01-06 12:00",
             {"email": "v@shop.io", "person_id": "9", "person_type": "hubspot_contact"}),
            ("h2", "hubspot", "2025-01-06 12:00",
             {"person_id": "10", "person_type": "hubspot_contact"}),
            ("q1", "typeform", "2025-01-06 12:00", {}),
        ],
    )


def test_audit_sources_and_component_sizes(conn):
    audit_scenario(conn)
    build_identity(conn, IdentityRules())
    audit = conn.execute(
        "select * from identity_audit_sources order by source_system"
    ).fetchall()
    assert audit == [
        # source, events, attributed, customers, multi-source customers, stitch rate
        ("hubspot", 2, 2, 2, 1, 0.5),
        ("segment", 2, 2, 2, 1, 0.5),
        ("sendgrid", 1, 1, 1, 1, 1.0),
        ("typeform", 1, 0, 0, 0, None),
    ]
    sizes = conn.execute("select * from identity_audit_component_sizes order by all").fetchall()
    assert sizes == [(1, 2), (4, 1)]
    c1 = customer_row(conn, customer_of(conn, "user_id", "v1"))
    assert c1["n_source_systems"] == 3
    assert c1["n_events"] == 3


def test_merge_precision_recall(conn, tmp_path):
    audit_scenario(conn)
    build_identity(conn, IdentityRules())
    # truth: P1 = {x1, v1, v@shop.io, hubspot 10, info@shop.io}, P2 = {hubspot 9, x2}
    truth = pd.DataFrame(
        {
            "identifier_type": ["anonymous_id", "user_id", "email", "hubspot_contact",
                                "email", "hubspot_contact", "anonymous_id"],
            "identifier_value": ["x1", "v1", "V@Shop.io", "10", "info@shop.io", "9", "x2"],
            "person_id": ["P1", "P1", "P1", "P1", "P1", "P2", "P2"],
        }
    )
    # predicted groups over these 7: {x1, v1, v@, 9}, {x2}, {10}, {info@ (not in person_map)}
    # predicted pairs = C(4,2) = 6; truth pairs = C(5,2) + C(2,2) = 11
    # true pairs: {x1, v1, v@} share both customer and person = C(3,2) = 3
    expected = {
        "precision": 3 / 6,
        "recall": 3 / 11,
        "f1": 2 * (3 / 6) * (3 / 11) / ((3 / 6) + (3 / 11)),
        "true_positive_pairs": 3,
        "predicted_pairs": 6,
        "truth_pairs": 11,
        "n_identifiers": 7,
        "n_identifiers_unmapped": 1,
    }
    from_frame = merge_precision_recall(conn, truth)
    assert from_frame == pytest.approx(expected)

    csv_path = tmp_path / "truth.csv"
    truth.to_csv(csv_path, index=False)
    assert merge_precision_recall(conn, csv_path) == pytest.approx(expected)
    assert merge_precision_recall(conn, str(csv_path)) == pytest.approx(expected)

    conn.register("truth_frame", truth)
    conn.execute("create table truth_people as select * from truth_frame")
    conn.unregister("truth_frame")
    assert merge_precision_recall(conn, "truth_people") == pytest.approx(expected)
    assert merge_precision_recall(conn, conn.table("truth_people")) == pytest.approx(expected)


def test_merge_precision_recall_perfect(conn):
    audit_scenario(conn)
    build_identity(conn, IdentityRules())
    truth = conn.execute(
        "select identifier_type, identifier_value, customer_id as person_id from person_map"
    ).df()
    result = merge_precision_recall(conn, truth)
    assert result["precision"] == 1.0
    assert result["recall"] == 1.0
    assert result["predicted_pairs"] == result["truth_pairs"] == 6


# ---------------------------------------------------------------------------------------------
# determinism, idempotence, scale of the loop, failure


def full_scenario(conn):
    audit_scenario(conn)
    add_events(
        conn,
        [
            (f"k{i}", "segment", "2025-01-06 12:00", {"anonymous_id": "kiosk", "user_id": f"k{i}"})
            for i in range(5)
        ]
        + [("i1", "app", "2025-01-06 12:00", {"email": "info@shop.io", "user_id": "k0"})],
    )
    add_links(
        conn,
        [("hubspot_contact", "9", "hubspot_contact", "10", "merge", "hubspot", "2025-01-07 00:00")],
    )
    add_properties(
        conn, [("hubspot_contact", "10", "hubspot", {"persona": "Parent"}, "2025-01-07 00:00")]
    )


def test_rebuild_is_identical_and_order_independent(conn, tmp_path):
    full_scenario(conn)
    first_summary = build_identity(conn, IdentityRules())
    first = snapshot(conn)
    second_summary = build_identity(conn, IdentityRules())
    assert snapshot(conn) == first
    first_summary.pop("seconds"), second_summary.pop("seconds")
    assert first_summary == second_summary

    # the same inputs loaded in reverse order into another database give the same customer_ids
    other = connect(tmp_path / "other.duckdb")
    try:
        sql.run(other, "staging/create_events")
        create_input_tables(other)
        for table in ("events", "identity_links", "person_properties"):
            rows = conn.execute(f"select * from {table}").fetchall()[::-1]  # noqa: S608
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                other.executemany(f"insert into {table} values ({marks})", rows)  # noqa: S608
        build_identity(other, IdentityRules())
        assert snapshot(other) == first
    finally:
        other.close()


def test_long_merge_chain_converges_in_few_rounds(conn):
    # 2,000 contacts merged one into the next: a path of diameter 1,999. Pointer jumping needs
    # about log2(diameter) rounds instead of ~2,000.
    n = 2000
    add_events(
        conn,
        [("c1", "hubspot", "2025-01-06 12:00",
          {"person_id": "1", "person_type": "hubspot_contact"})],
    )
    add_links(
        conn,
        [("hubspot_contact", str(i), "hubspot_contact", str(i + 1), "merge", "hubspot",
          "2025-01-06 12:00") for i in range(1, n)],
    )
    summary = build_identity(conn, IdentityRules())
    assert summary["n_identifiers"] == n
    assert summary["n_identifiers_blocked"] == 0
    assert summary["n_customers"] == 1
    assert summary["iterations"] <= 30
    assert conn.execute("select count(distinct customer_id) from person_map").fetchone()[0] == 1


def test_components_match_a_reference_union_find(conn):
    # A random sparse graph of merge links (many small components, a few long chains) against a
    # plain union-find: same partition of identifiers.
    rng = random.Random(7)
    n = 600
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(450)]
    pairs += [(i, i + 1) for i in range(100, 160)]  # one long chain
    add_events(
        conn,
        [(f"e{i}", "hubspot", "2025-01-06 12:00",
          {"person_id": f"v{i}", "person_type": "hubspot_contact"}) for i in range(n)],
    )
    add_links(
        conn,
        [("hubspot_contact", f"v{a}", "hubspot_contact", f"v{b}", "merge", "hubspot",
          "2025-01-06 12:00") for a, b in pairs],
    )
    build_identity(conn, IdentityRules())

    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    expected = {frozenset(f"v{i}" for i in range(n) if find(i) == root)
                for root in {find(i) for i in range(n)}}
    got = {}
    for value, customer_id in conn.execute(
        "select identifier_value, customer_id from person_map"
    ).fetchall():
        got.setdefault(customer_id, set()).add(value)
    assert {frozenset(members) for members in got.values()} == expected
    for customer_id, members in got.items():
        assert customer_id == expected_customer_id(*(("hubspot_contact", m) for m in members))


def test_failed_build_keeps_previous_tables(conn):
    full_scenario(conn)
    build_identity(conn, IdentityRules())
    before = snapshot(conn)
    # a look-ahead is valid in Python's re but not in DuckDB's RE2: the build fails mid-way
    bad = IdentityRules(
        blocked_patterns=[{"pattern": "^(?=x)", "reason": "lookahead"}]
    )
    with pytest.raises(Exception):
        build_identity(conn, bad)
    assert snapshot(conn) == before
    temp_tables = conn.execute(
        "select count(*) from duckdb_tables() where temporary and table_name like 'identity_%'"
    ).fetchone()[0]
    assert temp_tables == 0


def test_missing_inputs_are_reported(tmp_path):
    bare = connect(tmp_path / "bare.duckdb")
    try:
        sql.run(bare, "staging/create_events")
        with pytest.raises(IdentityInputMissing, match="identity_links, person_properties"):
            build_identity(bare, IdentityRules())
    finally:
        bare.close()


# ---------------------------------------------------------------------------------------------
# rules model


def test_rules_defaults_and_config():
    rules = IdentityRules()
    assert "anonymous" in rules.blocked_values and "" in rules.blocked_values
    assert rules.hub_limits == {
        "anonymous_id": {"user_id": 3},
        "email": {"user_id": 2, "hubspot_contact": 3},
        "user_id": {"email": 3},
    }
    assert rules.identifier_priority == ["user_id", "email", "*", "anonymous_id"]
    params = rules.sql_params()
    assert params["priority_types"] == ["user_id", "email", "anonymous_id"]
    assert params["priority_ranks"] == [1, 2, 4]
    assert params["default_priority_rank"] == 3

    configured = IdentityRules.from_config(
        {"identity": {"blocked_values": ["N/A", " Guest "],
                      "hub_limits": {"Email": {"user_id": 4}}}}
    )
    assert configured.blocked_values == ["guest", "n/a"]
    assert configured.hub_limits == {"email": {"user_id": 4}}
    assert IdentityRules.from_config({}) == IdentityRules()
    assert IdentityRules.from_config(None) == IdentityRules()


def test_rules_validation():
    with pytest.raises(ValueError):
        IdentityRules(blocked_patterns=[{"pattern": "(", "reason": "broken"}])
    with pytest.raises(ValueError):
        IdentityRules(hub_limits={"email": {"user_id": 0}})
    with pytest.raises(ValueError):
        IdentityRules(identifier_priority=["email", "email"])
    with pytest.raises(ValueError):
        IdentityRules(unknown_field=1)


def test_documented_defaults_match_the_code():
    import yaml

    from pipeline.settings import REPO_ROOT

    text = (REPO_ROOT / "docs" / "identity.md").read_text()
    documented = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert IdentityRules.from_config(yaml.safe_load(documented)) == IdentityRules()
