"""Generate the sample company's exports chunk by chunk.

Each chunk of CHUNK_SIZE people is simulated from its own random streams
(`default_rng([seed, chunk, stream])`) and written to its own file per source, so memory stays
at about one chunk and the bytes depend only on (customers, seed). The only state carried from
one chunk to the next is the SendGrid events that arrive late, the identifiers shared across
chunks, and the counts.

Files are written by one background thread, in submission order, while the next chunk is
simulated: DuckDB, Arrow and file writes release the GIL, so two cores are both busy. Row counts
are taken from the tables before they are queued, so the ledger never waits on the writer.
"""

from __future__ import annotations

import math
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generator import (generic, hubspot, mail, names, segment, sendgrid, surveys, truth,
                                zendesk)
from pipeline.generator.journey import simulate
from pipeline.generator.model import MODEL, Model
from pipeline.generator.population import (Chunk, kiosk_anonymous_id, make_people,
                                           plant_identity_traps)
from pipeline.generator.writer import Writer

CHUNK_SIZE = 10_000
# Everything generate() may have written before; removed first so a smaller rerun leaves no
# stale chunk files behind. Nothing else in the folder is touched.
OWN_FILES = (
    "segment/segment-*.jsonl", "sendgrid/events-*.jsonl", "hubspot/contacts-*.csv",
    "hubspot/deals-*.csv", "hubspot/contact_property_history-*.csv",
    "hubspot/deal_property_history-*.csv", "hubspot/list_memberships-*.csv",
    "hubspot/workflow_enrollments-*.csv", "zendesk/users-*.jsonl", "zendesk/tickets-*.jsonl",
    "zendesk/ticket_comments-*.jsonl", "zendesk/ticket_metrics-*.jsonl",
    "zendesk/satisfaction_ratings-*.jsonl", "surveys/responses-*.csv",
    "generic/store_visits-*.csv", "generic/persons.csv", "truth/*.csv", "truth/truth.json",
)

Progress = Callable[[str, int, int], None]


class BackgroundWriter:
    """Runs Writer calls on one worker thread, strictly in submission order.

    The bounded queue keeps at most about one chunk of tables waiting, so memory stays flat.
    """

    def __init__(self, writer: Writer, depth: int = 4):
        self.writer = writer
        self._jobs: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is None:
                try:
                    job()
                except BaseException as exc:  # re-raised in the submitting thread
                    self._error = exc

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def jsonl(self, relative: str, rows: pa.Table, shape: str) -> int:
        self._check()
        self._jobs.put(lambda: self.writer.jsonl(relative, rows, shape))
        return rows.num_rows

    def csv(self, relative: str, rows: pa.Table, shape: str, bom: bool = False,
            append: bool = False) -> int:
        self._check()
        self._jobs.put(lambda: self.writer.csv(relative, rows, shape, bom=bom, append=append))
        return rows.num_rows

    def drain(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        self._check()


@dataclass
class Run:
    out: BackgroundWriter
    model: Model
    id_width: int
    kiosk_id: str
    ledger: truth.Ledger = field(default_factory=truth.Ledger)
    shared: truth.Shared = field(default_factory=truth.Shared)
    pending: pa.Table | None = None  # SendGrid rows that arrive in the next capture file
    kiosk_seen: bool = False
    survey_tests: int = 0


def generate(out_dir: Path, customers: int, seed: int, progress: Progress | None = None,
             model: Model = MODEL) -> dict:
    """Write the exports of `customers` people into `out_dir` and return the truth summary
    (also written to `out_dir/truth/truth.json`)."""
    if customers < 1:
        raise ValueError("customers must be at least 1")
    if seed < 0:
        raise ValueError("seed must not be negative")
    out_dir = Path(out_dir)
    for pattern in OWN_FILES:
        for stale in sorted(out_dir.glob(pattern)):
            stale.unlink()
    chunks = math.ceil(customers / CHUNK_SIZE)
    writer = Writer(out_dir)
    try:
        run = Run(BackgroundWriter(writer), model, max(7, len(str(customers))),
                  kiosk_anonymous_id(seed))
        try:
            for index in range(chunks):
                first = index * CHUNK_SIZE
                _chunk(run, Chunk(index, first, min(CHUNK_SIZE, customers - first), seed))
                if progress:
                    progress("chunks", index + 1, chunks)
            # The webhook capture after the last chunk holds only late arrivals and retries.
            _sendgrid_file(run, Chunk(chunks, customers, 0, seed), [run.pending])
        finally:
            run.out.drain()
        _finish_counts(run)
        run.shared.write(out_dir / truth.TRUTH / "shared_identifiers.csv", run.kiosk_id)
        summary = truth.summary(writer, out_dir, customers, seed, model, run.ledger)
    finally:
        writer.close()
    truth.write_json(out_dir, summary)
    if progress:
        progress("truth", 1, 1)
    return summary


def _finish_counts(run: Run) -> None:
    if run.kiosk_seen:
        run.ledger.add("segment", "events", None, anonymous_ids=1)
    if run.survey_tests:
        run.ledger.add("surveys", "responses", None, emails=1)
        run.shared.rows.append(("email", surveys.TEST_EMAIL, "test_address", []))
    # Support agents are Zendesk users too, but no customer: nothing may link through them.
    for i, (_, email) in enumerate(names.AGENTS):
        run.shared.rows.append(("email", email, "staff", []))
        run.shared.rows.append(("zendesk_user", str(zendesk.AGENT_BASE + i), "staff", []))


def _chunk(run: Run, chunk: Chunk) -> None:
    model, out, ledger = run.model, run.out, run.ledger
    people = make_people(chunk, model, run.id_width)
    journey = simulate(chunk, people, model)
    plant_identity_traps(chunk, people, journey.signed, journey.signup_at, journey.hubspot_at,
                         model)
    messages = mail.plan(chunk, people, journey, model)
    num = chunk.number

    seg = segment.build(chunk, people, journey, model, run.kiosk_id)
    f = f"segment/segment-{num}.jsonl"
    ledger.add("segment", "events", f, out.jsonl(f, seg.rows, "segment"), seg.malformed,
               seg.duplicates, message_ids=seg.distinct["message_ids"],
               anonymous_ids=seg.distinct["anonymous_ids"], user_ids=seg.distinct["user_ids"])
    run.kiosk_seen |= seg.kiosk_used

    sg = sendgrid.build(chunk, people, messages, model)
    _sendgrid_file(run, chunk, [run.pending, sg.now])
    run.pending = sg.later
    ledger.add("sendgrid", "events", None, sg_event_ids=sg.events, emails=sg.emails)

    hs = hubspot.build(chunk, people, journey, messages, model, bom_duplicate=chunk.index == 0)
    for obj, table, shape, malformed, dups, distinct in (
            ("contacts", hs.contacts, "hubspot_contacts", 0, hs.contact_duplicates,
             {"record_ids": hs.contacts.num_rows - hs.contact_duplicates}),
            ("deals", hs.deals, "hubspot_deals", 0, 0, {"record_ids": hs.deals.num_rows}),
            ("contact_property_history", hs.contact_history, "hubspot_contact_history",
             hs.contact_history_malformed, 0,
             {"contact_ids": _distinct(hs.contact_history, "contact_id")}),
            ("deal_property_history", hs.deal_history, "hubspot_deal_history",
             hs.deal_history_malformed, 0, {"deal_ids": _distinct(hs.deal_history, "deal_id")}),
            ("list_memberships", hs.lists, "hubspot_lists", 0, 0,
             {"contact_ids": _distinct(hs.lists, "contact_id")}),
            ("workflow_enrollments", hs.workflows, "hubspot_workflows", 0, 0,
             {"contact_ids": _distinct(hs.workflows, "contact_id")})):
        f = f"hubspot/{obj}-{num}.csv"
        # One contacts file carries a UTF-8 BOM, as an export opened and re-saved in Excel does.
        rows = out.csv(f, table, shape, bom=obj == "contacts" and chunk.index == 0)
        ledger.add("hubspot", obj, f, rows, malformed, dups, **distinct)

    zd = zendesk.build(chunk, people, journey, model)
    for obj, table, malformed in (("users", zd.users, 0),
                                  ("tickets", zd.tickets, zd.truncated_tickets),
                                  ("ticket_comments", zd.comments, 0),
                                  ("ticket_metrics", zd.metrics, 0),
                                  ("satisfaction_ratings", zd.ratings, 0)):
        f = f"zendesk/{obj}-{num}.jsonl"
        ledger.add("zendesk", obj, f, out.jsonl(f, table, f"zendesk_{obj}"), malformed,
                   ids=_distinct(table, "id"))

    sv = surveys.build(chunk, people, journey, model)
    f = f"surveys/responses-{num}.csv"
    ledger.add("surveys", "responses", f, out.csv(f, sv.responses, "surveys", bom=True),
               sv.malformed, response_ids=sv.responses.num_rows - sv.malformed,
               emails=sv.emails)
    run.survey_tests += sv.test_responses

    st = generic.build(chunk, people, journey, model)
    f = f"generic/store_visits-{num}.csv"
    ledger.add("store", "events", f, out.csv(f, st.events, "store_events"),
               person_ids=len(set(st.person_of_event.tolist())))
    f = "generic/persons.csv"
    ledger.add("store", "persons", f, out.csv(f, st.persons, "store_persons", append=True))

    out.csv(f"{truth.TRUTH}/customers.csv",
            truth.customers_table(people, journey, messages, seg, zd.user_of_person),
            "truth_customers", append=True)
    out.csv(f"{truth.TRUTH}/identifiers.csv",
            truth.identifiers_table(people, journey, seg, zd.user_of_person, run.shared),
            "truth_identifiers", append=True)


def _distinct(table: pa.Table, column: str) -> int:
    """Distinct values among loadable rows (not cut short, no broken timestamp)."""
    keep = np.ones(table.num_rows, bool)
    if "_truncate" in table.column_names:
        keep &= ~table["_truncate"].to_numpy(zero_copy_only=False)
    if "bad_ts" in table.column_names:
        keep &= pc.is_null(table["bad_ts"]).to_numpy(zero_copy_only=False)
    return len(np.unique(table[column].to_numpy(zero_copy_only=False)[keep]))


def _sendgrid_file(run: Run, chunk: Chunk, tables: list) -> None:
    """One webhook capture file: carried-over late events plus this chunk's events."""
    table, truncated, retries = sendgrid.file_rows(
        [t for t in tables if t is not None], chunk.rng(11),
        run.model.quirks.sendgrid_truncated_per_file)
    f = f"sendgrid/events-{chunk.number}.jsonl"
    run.ledger.add("sendgrid", "events", f, run.out.jsonl(f, table, "sendgrid"), truncated,
                   retries)
