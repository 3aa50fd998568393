"""What the exports contain, written beside them in `truth/`.

Per source object: files, rows written, malformed and duplicate rows and what a correct loader
keeps. Per person (`customers.csv`): the planted journey. Per identifier (`identifiers.csv`,
`shared_identifiers.csv`): which true person owns it, so stitching precision and recall can be
measured. The realised rates in `truth.json` are computed from `customers.csv` after the last
chunk, so they reflect exactly what was written.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generator.clock import (AS_OF, JOURNEY_START_MAX, JOURNEY_START_MIN, LAST_EVENT,
                                      iso_utc)
from pipeline.generator.frames import gather
from pipeline.generator.journey import Journey
from pipeline.generator.mail import ONBOARDING_1, Messages
from pipeline.generator.model import CHANNELS, PERSONAS, PREFERRED_CHANNELS, STAGES, Model
from pipeline.generator.population import People
from pipeline.generator.segment import SegmentRows
from pipeline.generator.writer import Writer, shape_sql

TRUTH = "truth"


@dataclass
class ObjectCount:
    files: list[str] = field(default_factory=list)
    rows_written: int = 0
    malformed: int = 0
    duplicates: int = 0
    distinct: dict[str, int] = field(default_factory=dict)


class Ledger:
    """Counts per (source, object), in the order objects were first written."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], ObjectCount] = {}

    def add(self, source: str, obj: str, file: str | None, rows: int = 0, malformed: int = 0,
            duplicates: int = 0, **distinct: int) -> None:
        entry = self.objects.setdefault((source, obj), ObjectCount())
        if file is not None and file not in entry.files:
            entry.files.append(file)
        entry.rows_written += rows
        entry.malformed += malformed
        entry.duplicates += duplicates
        for key, value in distinct.items():
            entry.distinct[key] = entry.distinct.get(key, 0) + int(value)

    def describe(self) -> dict:
        out: dict = {}
        for (source, obj), c in self.objects.items():
            out.setdefault(source, {})[obj] = {
                "files": c.files,
                "rows_written": c.rows_written,
                "malformed": c.malformed,
                "duplicates": c.duplicates,
                "expected_loaded": c.rows_written - c.malformed - c.duplicates,
                "expected_distinct": dict(c.distinct),
            }
        return out


@dataclass
class Shared:
    """Identifiers that belong to several persons (or none), collected across chunks."""

    rows: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    kiosk_persons: list[str] = field(default_factory=list)

    def write(self, path: Path, kiosk_id: str) -> None:
        rows = list(self.rows)
        if self.kiosk_persons:
            rows.append(("anonymous_id", kiosk_id, "kiosk_device", self.kiosk_persons))
        rows.sort(key=lambda r: (r[0], r[1]))
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["identifier_type", "identifier_value", "kind", "person_count",
                        "person_ids"])
            for kind, value, why, persons in rows:
                w.writerow([kind, value, why, len(persons), ";".join(sorted(persons))])


def _norm(values: pa.Array) -> pa.Array:
    return pc.utf8_lower(pc.utf8_trim_whitespace(values))


def customers_table(people: People, j: Journey, m: Messages, seg: SegmentRows,
                    zendesk_user: np.ndarray) -> pa.Table:
    n = people.n
    anon_a = pc.if_else(pa.array(seg.anon_used[:, 0]), people.anon[0], "")
    anon_b = pc.if_else(pa.array(seg.anon_used[:, 1]), people.anon[1], "")
    anonymous_ids = pc.utf8_trim(pc.binary_join_element_wise(anon_a, anon_b, ";"), ";")
    onboarded = np.bincount(m.person[m.campaign == ONBOARDING_1], minlength=n) > 0
    stage = np.select([j.repeated, onboarded, j.ordered, j.signed | j.booked],
                      [4, 3, 2, 1], 0)
    email_count = m.engagements
    web_count = seg.web_events_after_signup
    mostly = np.where(j.signed, np.where(web_count > email_count, 0, 1), -1)
    signed = j.signed
    return pa.table({
        "person_id": people.person_id,
        "persona": gather(pa.array(PERSONAS), people.persona),
        "email": people.email,
        "contact_email": _norm(people.contact_email),
        "role_address": people.role_group >= 0,
        "hubspot_vid": pa.array(people.vid, mask=~signed),
        "hubspot_merged_vid": pa.array(people.old_vid, mask=~people.duplicate_contact),
        "merged_at": pa.array(people.merged_at, mask=people.merged_at < 0),
        "user_id": pc.if_else(pa.array(signed), people.user_id, pa.scalar(None, pa.string())),
        "zendesk_user_id": pa.array(zendesk_user, mask=zendesk_user < 0),
        "anonymous_ids": anonymous_ids,
        "kiosk_signup": people.kiosk,
        "engagement_style": gather(pa.array(["web", "email"]),
                                   np.where(people.web_leaning, 0, 1)),
        "first_channel": gather(pa.array(CHANNELS), j.channel),
        "awareness_sessions": j.awareness_sessions,
        "first_visit_at": j.first_visit_at,
        "signed_up_at": _ms(j.signup_at),
        "test_ride_booked_at": _ms(j.booked_at),
        "test_ride_at": _ms(j.ride_at),
        "first_order_at": _ms(j.order_at),
        "repeat_order_at": _ms(j.repeat_at),
        "deal_lost_at": _ms(j.lost_at),
        "furthest_stage": gather(pa.array(STAGES), stage),
        "order_revenue": pa.array(j.revenue, mask=~j.ordered),
        "repeat_revenue": pa.array(j.repeat_revenue, mask=~j.repeated),
        "clicked_nurture": j.clicked_nurture,
        "first_nurture_click_at": _ms(j.first_click_at),
        "booked_because_of_click": j.booked_by_click,
        "reminder_eligible": j.reminder_eligible,
        "got_reminder": j.reminder_sent,
        "unsubscribed_at": _ms(m.unsubscribed_at),
        "intent_responded_at": _ms(j.intent_at),
        "intent": pa.array(j.intent, mask=j.intent < 0),
        "preferred_channel": gather(pa.array(PREFERRED_CHANNELS + (None,)), j.preferred_channel),
        "bought_within_30d_of_intent": pa.array(j.bought_within_intent_window,
                                                mask=j.intent < 0),
        "web_events_after_signup": pa.array(web_count, mask=~signed),
        "email_engagements_after_signup": pa.array(email_count, mask=~signed),
        "engages_mostly_on": gather(pa.array(["web", "email"]), mostly),
        "nps_responded_at": _ms(j.nps_at),
        "nps_score": pa.array(j.nps_score, mask=j.nps_score < 0),
        "csat_responded_at": _ms(j.csat_at),
        "csat_score": pa.array(j.csat_score, mask=j.csat_score < 0),
        "ticket_at": _ms(j.ticket_at),
    })


def _ms(values: np.ndarray) -> pa.Array:
    return pa.array(values, mask=values < 0)


def identifiers_table(people: People, j: Journey, seg: SegmentRows, zendesk_user: np.ndarray,
                      shared: Shared) -> pa.Table:
    """Identifiers seen in the exports that belong to exactly one person; the rest go to
    `shared`.

    `linkable` says whether the exports hold evidence tying the identifier to the person's
    other identifiers, so a perfect stitcher links every pair of linkable identifiers of a
    person: their email, user id and duplicate contacts (identify calls, CRM merges); a device
    only if the person logged in on it; a CRM contact or a Zendesk user only if it carries the
    person's own address, not a shared role address (info@).
    """
    types, values, persons, linkable = [], [], [], []

    def add(kind: str, mask: np.ndarray, value, linked) -> None:
        idx = np.flatnonzero(mask)
        v = value if isinstance(value, pa.Array) else pa.array(value.astype(str))
        types.append(pa.array(np.full(len(idx), kind)))
        values.append(gather(v, idx))
        persons.append(gather(people.person_id, idx))
        linkable.append(pa.array(np.broadcast_to(linked, mask.shape)[idx]))

    signed = j.signed
    role = people.role_group >= 0
    add("email", signed, people.email, True)
    add("hubspot_contact", signed, people.vid, ~role)
    add("hubspot_contact", people.duplicate_contact, people.old_vid, ~role)
    add("user_id", signed, people.user_id, True)
    add("anonymous_id", seg.anon_used[:, 0], people.anon[0], seg.anon_linked[:, 0])
    add("anonymous_id", seg.anon_used[:, 1], people.anon[1], seg.anon_linked[:, 1])
    # A role group's Zendesk user is shared only if two members actually used it.
    users, counts = np.unique(zendesk_user[zendesk_user >= 0], return_counts=True)
    multi = set(users[counts > 1].tolist())
    used_alone = (zendesk_user >= 0) & ~np.isin(zendesk_user, list(multi))
    add("zendesk_user", used_alone, zendesk_user, ~role)

    pid = people.person_id.to_pylist()
    for leader in np.unique(people.role_group[role]):  # a handful of groups per chunk
        members = np.flatnonzero(people.role_group == leader)
        shared.rows.append(("email", people.role_email[int(leader)].as_py(), "role_address",
                            [pid[i] for i in members]))
    for user in sorted(multi):
        members = np.flatnonzero(zendesk_user == user)
        shared.rows.append(("zendesk_user", str(user), "role_address_requester",
                            [pid[i] for i in members]))
    shared.kiosk_persons.extend(pid[i] for i in np.flatnonzero(people.kiosk))
    table = pa.table({"identifier_type": pa.concat_arrays(types),
                      "identifier_value": pa.concat_arrays(values),
                      "person_id": pa.concat_arrays(persons),
                      "linkable": pa.concat_arrays(linkable)})
    order = pc.sort_indices(table, [("person_id", "ascending"), ("identifier_type", "ascending"),
                                    ("identifier_value", "ascending")])
    return table.take(order)


def summary(writer: Writer, out_dir: Path, customers: int, seed: int, model: Model,
            ledger: Ledger) -> dict:
    con = writer.con
    path = str(out_dir / TRUTH / "customers.csv")
    con.read_csv(path, header=True, all_varchar=True).create_view("truth_customers")
    # Closed cohorts are judged against as-of, as the pipeline does.
    con.execute("set variable as_of = ?::timestamp", [iso_utc(AS_OF).rstrip("Z")])
    realised = {}
    for name in ("funnel", "say_vs_do", "stated_channel", "follow_up", "driver", "nps",
                 "within_14_days"):
        rel = con.sql(shape_sql(f"truth_{name}"))
        cols = rel.columns
        realised[name] = [dict(zip(cols, _plain(row))) for row in rel.fetchall()]
    sources = ledger.describe()
    loaded = sum(obj["expected_loaded"] for src in sources.values() for obj in src.values())
    return {
        "generator": "pipeline.generator",
        "seed": seed,
        "customers": customers,
        "as_of": iso_utc(AS_OF),
        "window": {
            "journey_start_min": iso_utc(JOURNEY_START_MIN),
            "journey_start_max": iso_utc(JOURNEY_START_MAX),
            "last_event": iso_utc(LAST_EVENT),
        },
        "model": model.describe(),
        "realised": realised,
        "sources": sources,
        "totals": {
            "rows_written": sum(o["rows_written"] for s in sources.values() for o in s.values()),
            "expected_loaded": loaded,
            "expected_loaded_per_customer": round(loaded / customers, 2),
        },
    }


def _plain(row):
    out = []
    for v in row:
        if isinstance(v, float):
            v = round(v, 4)
        elif hasattr(v, "item"):
            v = v.item()
        out.append(v)
    return out


def write_json(out_dir: Path, summary_: dict) -> None:
    text = json.dumps(summary_, indent=2, ensure_ascii=False)
    (out_dir / TRUTH / "truth.json").write_text(text + "\n", encoding="utf-8")
