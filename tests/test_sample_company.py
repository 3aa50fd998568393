"""The pipeline recovers what the generator planted: exact row counts per source object, and
identity stitching against the true persons."""

import pytest

from pipeline.identity import merge_precision_recall
from pipeline.resources import connect


@pytest.fixture(scope="module")
def company(sample_company):
    with connect(sample_company.database) as conn:
        yield sample_company.exports, sample_company.truth, conn


def test_every_source_object_reconciles_with_the_truth(company):
    _, truth, conn = company
    ledger = {(s, o): r for s, o, *r in conn.execute(
        "select source, object, sum(rows_read), sum(rows_loaded), sum(rows_rejected), "
        "sum(rows_duplicate) from load_ledger group by all").fetchall()}
    expected = {(s, o): [v["rows_written"], v["expected_loaded"], v["malformed"],
                         v["duplicates"]]
                for s, objs in truth["sources"].items() for o, v in objs.items()}
    assert len(expected) == 16
    assert ledger == expected


def test_rejects_are_exactly_the_planted_malformed_rows(company):
    _, truth, conn = company
    planted = sum(v["malformed"] for objs in truth["sources"].values() for v in objs.values())
    assert planted > 0
    assert conn.execute("select count(*) from load_rejects").fetchall()[0][0] == planted


def test_every_linkable_identifier_pair_is_one_customer(company):
    """Identifiers the exports tie together (the generator's `linkable` column: emails, user
    ids, merged contacts, devices the person logged in on, contacts and Zendesk users on the
    person's own address) are stitched exactly, over every person."""
    exports, _, conn = company
    conn.execute(f"""
        create or replace temp table truth_linkable as
        select identifier_type, identifier_value, person_id
        from read_csv('{exports}/truth/identifiers.csv', all_varchar = true)
        where linkable = 'true'
    """)
    scores = merge_precision_recall(conn, "truth_linkable")
    assert scores["truth_pairs"] > 1000
    assert scores["precision"] >= 0.99
    assert scores["recall"] >= 0.99


def test_merge_protection_never_joins_different_people(company):
    """Over all identifiers, no two people are merged. Recall here is lower by design: a
    visitor who never logged in on either of two devices, and a contact known only by a shared
    info@ address, leave no evidence that could link them."""
    exports, _, conn = company
    scores = merge_precision_recall(conn, exports / "truth" / "identifiers.csv")
    assert scores["precision"] >= 0.99
    assert scores["recall"] >= 0.97
    kiosk = conn.execute(f"""
        select identifier_value
        from read_csv('{exports}/truth/shared_identifiers.csv', all_varchar = true)
        where kind = 'kiosk_device'
    """).fetchall()[0][0]
    assert conn.execute("select is_shared from identifiers where identifier_type = "
                        "'anonymous_id' and identifier_value = ?", [kiosk]).fetchall() == [(True,)]
