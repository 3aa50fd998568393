"""HubSpot exports: UI CSVs of contacts and deals (naive New York wall-clock times, labels
rather than internal values), and the API-shaped history, list and workflow logs (epoch ms).

Contacts that were duplicated and merged keep their old vid in the logs written before the
merge and in `Merged Contact IDs`; only the surviving record is exported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipeline.generator.clock import LAST_EVENT, MINUTE, NEW_YORK, SECOND, offset_minutes
from pipeline.generator.frames import concat_parts, gather
from pipeline.generator.journey import Journey
from pipeline.generator.mail import Messages
from pipeline.generator.model import PERSONAS, Model
from pipeline.generator.population import Chunk, People

DEAL_BASE = 15_000_000_000
LIFECYCLE_LABEL = {"subscriber": "Subscriber", "lead": "Lead", "opportunity": "Opportunity",
                   "customer": "Customer"}
ORIGINAL_SOURCE = ("Paid search", "Organic search", "Paid social", "Email marketing", "Referrals")
NEWSLETTER_LIST, CUSTOMERS_LIST = (7, "Newsletter"), (9, "Customers")
NURTURE_WORKFLOW, ONBOARDING_WORKFLOW = (101, "Nurture"), (102, "Onboarding")
BAD_TIMESTAMPS = ("n/a", "#VALUE!", "")


@dataclass
class HubspotRows:
    contacts: pa.Table
    deals: pa.Table
    contact_history: pa.Table
    deal_history: pa.Table
    lists: pa.Table
    workflows: pa.Table
    contact_duplicates: int
    contact_history_malformed: int
    deal_history_malformed: int


def _ny(ms: np.ndarray) -> np.ndarray:
    return offset_minutes(NEW_YORK, ms)


def _sorted(cols: dict, *keys: str) -> pa.Table:
    order = np.lexsort(tuple(np.asarray(cols[k]) for k in reversed(keys)))
    return pa.table({k: (v.take(pa.array(order)) if isinstance(v, pa.Array) else v[order])
                     for k, v in cols.items()})


def build(chunk: Chunk, people: People, j: Journey, m: Messages, model: Model,
          bom_duplicate: bool) -> HubspotRows:
    rng = chunk.rng(7)
    n = people.n
    s = np.flatnonzero(j.signed)
    dup = people.duplicate_contact
    merged_at = people.merged_at

    def owner(person: np.ndarray, at: np.ndarray) -> np.ndarray:
        """The vid a change was logged against: the old record until the merge."""
        before = dup[person] & (at < merged_at[person])
        return np.where(before, people.old_vid[person], people.vid[person])

    lead_at = j.hubspot_at + (10 * MINUTE * np.exp(0.7 * rng.standard_normal(n))).astype(np.int64)
    list_at = j.hubspot_at + (1 * MINUTE * np.exp(0.5 * rng.standard_normal(n))).astype(np.int64)
    enrol_at = j.hubspot_at + (2 * MINUTE * np.exp(0.5 * rng.standard_normal(n))).astype(np.int64)
    # Syncs lag the web by a minute or two; nothing lands after the window closes.
    opportunity_at = np.minimum(j.booked_at + MINUTE, LAST_EVENT)
    customer_at = np.minimum(j.order_at + 2 * MINUTE, LAST_EVENT)

    # --- contact property history -------------------------------------------------------------
    hist = []

    def hist_rows(person, at, name, value, source, source_id, vid=None):
        k = len(person)
        hist.append(dict(
            contact_id=owner(person, at) if vid is None else vid,
            name=np.full(k, name, object), value=value if not isinstance(value, str)
            else np.full(k, value, object), source=np.full(k, source, object),
            source_id=np.full(k, source_id, object), ts=at))

    emails = np.asarray(people.crm_email.to_pylist(), dtype=object)  # per person, not per row
    hist_rows(s, j.hubspot_at[s], "email", emails[s], "FORM", "form:newsletter-signup")
    hist_rows(s, j.hubspot_at[s] + 1, "lifecyclestage", "subscriber", "FORM",
              "form:newsletter-signup")
    hist_rows(s, lead_at[s], "lifecyclestage", "lead", "AUTOMATION_PLATFORM", "workflow:101")
    d = np.flatnonzero(dup)
    hist_rows(d, people.duplicate_created_at[d], "email", emails[d], "CRM_UI", "import:trade-show",
              vid=people.vid[d])
    hist_rows(d, people.duplicate_created_at[d] + 1, "lifecyclestage", "lead", "CRM_UI",
              "import:trade-show", vid=people.vid[d])
    b = np.flatnonzero(j.booked)
    hist_rows(b, opportunity_at[b], "lifecyclestage", "opportunity", "DEALS", "deal-stage-sync")
    o = np.flatnonzero(j.ordered)
    hist_rows(o, customer_at[o], "lifecyclestage", "customer", "DEALS", "deal-stage-sync")
    history = concat_parts(hist)
    history, bad_contact = _with_bad_timestamps(rng, history, model)

    # --- contacts -----------------------------------------------------------------------------
    unsub_at = m.unsubscribed_at
    modified = np.maximum.reduce([lead_at, np.where(j.booked, opportunity_at, 0),
                                  np.where(j.ordered, customer_at, 0), np.where(dup, merged_at, 0),
                                  np.where(unsub_at >= 0, unsub_at + MINUTE, 0)])
    modified = np.minimum(modified + (3 * MINUTE * np.exp(rng.standard_normal(n))).astype(np.int64),
                          LAST_EVENT)
    source = np.where(people.kiosk, len(ORIGINAL_SOURCE), j.channel)
    merged = np.asarray([""] * n, dtype=object)
    if d.size:  # a couple of percent of contacts: formatting them one by one is cheap
        merged[d] = [f"{old}:{at}" for old, at in zip(people.old_vid[d], merged_at[d])]
    contacts = dict(
        vid=people.vid[s], first_name=gather(people.first_name, s),
        last_name=gather(people.last_name, s), email=gather(people.crm_email, s),
        phone=gather(people.phone, s),
        persona=np.asarray(PERSONAS, dtype=object)[people.persona[s]],
        lifecycle=np.asarray([LIFECYCLE_LABEL[x] for x in ("customer", "opportunity", "lead")],
                             dtype=object)[np.select([j.ordered[s], j.booked[s]], [0, 1], 2)],
        original_source=np.asarray(ORIGINAL_SOURCE + ("Offline sources",), dtype=object)[source[s]],
        created=j.hubspot_at[s], created_off=_ny(j.hubspot_at[s]),
        modified=modified[s], modified_off=_ny(modified[s]), merged=merged[s],
        _fields=np.full(len(s), None, dtype=object),
    )
    contacts = _sorted(contacts, "vid")
    duplicates = 0
    if bom_duplicate and contacts.num_rows:
        # One record exported twice, byte for byte (same Record ID and Last Modified Date).
        contacts = pa.concat_tables([contacts, contacts.slice(0, 1)])
        duplicates = 1

    # --- deals and their stage history --------------------------------------------------------
    won, lost = j.ordered[b], j.lost_at[b] >= 0
    deal_id = DEAL_BASE + people.gidx[b]
    created = opportunity_at[b]
    closed = np.where(won, customer_at[b], np.where(lost, j.lost_at[b], -1))
    deal_modified = np.minimum(np.maximum(created, closed) + 5 * MINUTE, LAST_EVENT)
    names_ = np.char.add(np.char.add(np.asarray(people.first_name.to_pylist(), dtype=str)[b], " "),
                         np.asarray(people.last_name.to_pylist(), dtype=str)[b])
    deals = dict(
        deal_id=deal_id, deal_name=np.char.add(names_, " - Test ride").astype(object),
        stage=np.select([won, lost], ["Closed Won", "Closed Lost"],
                        "Appointment Scheduled").astype(object),
        amount=j.revenue[b], created=created, created_off=_ny(created), closed=closed,
        closed_off=_ny(np.maximum(closed, 0)), modified=deal_modified,
        modified_off=_ny(deal_modified),
        contact=people.vid[b], _fields=np.full(len(b), None, dtype=object))
    deals = _sorted(deals, "deal_id")
    dh = []

    def deal_rows(mask, at, name, value, source, source_id):
        k = int(mask.sum())
        dh.append(dict(deal_id=deal_id[mask], name=np.full(k, name, object),
                       value=value[mask].astype(object) if not isinstance(value, str)
                       else np.full(k, value, object),
                       source=np.full(k, source, object), source_id=np.full(k, source_id, object),
                       ts=at[mask]))

    every = np.ones(len(b), bool)
    list_price = np.char.mod("%.2f", j.revenue[b])
    deal_rows(every, created, "dealstage", "appointmentscheduled", "INTEGRATION", "booking-widget")
    deal_rows(every, created, "amount", list_price, "INTEGRATION", "booking-widget")
    deal_rows(won, closed, "dealstage", "closedwon", "INTEGRATION", "shop-sync")
    deal_rows(won, closed + SECOND, "closedate", closed.astype(str), "INTEGRATION", "shop-sync")
    deal_rows(lost, closed, "dealstage", "closedlost", "CRM_UI", "userId:4410021")
    deal_history, bad_deal = _with_bad_timestamps(rng, concat_parts(dh), model,
                                                  id_column="deal_id")

    # --- lists and workflows ------------------------------------------------------------------
    lists = []

    def list_rows(person, at, lst, change, vid=None):
        k = len(person)
        lists.append(dict(contact_id=owner(person, at) if vid is None else vid,
                          list_id=np.full(k, lst[0]), list_name=np.full(k, lst[1], object),
                          change=np.full(k, change, object), ts=at))

    list_rows(s, list_at[s], NEWSLETTER_LIST, "added")
    still = d[(unsub_at[d] < 0) | (unsub_at[d] > merged_at[d])]
    list_rows(still, merged_at[still] + SECOND, NEWSLETTER_LIST, "added", vid=people.vid[still])
    u = np.flatnonzero(unsub_at >= 0)
    list_rows(u, unsub_at[u] + MINUTE, NEWSLETTER_LIST, "removed")
    list_rows(o, customer_at[o] + 5 * MINUTE, CUSTOMERS_LIST, "added")
    lists = concat_parts(lists)
    keep = lists["ts"] <= LAST_EVENT
    lists = _sorted({k: v[keep] for k, v in lists.items()}, "ts", "contact_id", "list_id")
    wf = [dict(contact_id=owner(s, enrol_at[s]), workflow_id=np.full(len(s), NURTURE_WORKFLOW[0]),
               workflow_name=np.full(len(s), NURTURE_WORKFLOW[1], object), ts=enrol_at[s]),
          dict(contact_id=owner(o, customer_at[o] + 10 * MINUTE),
               workflow_id=np.full(len(o), ONBOARDING_WORKFLOW[0]),
               workflow_name=np.full(len(o), ONBOARDING_WORKFLOW[1], object),
               ts=customer_at[o] + 10 * MINUTE)]
    wf = concat_parts(wf)
    keep = wf["ts"] <= LAST_EVENT
    workflows = _sorted({k: v[keep] for k, v in wf.items()}, "ts", "contact_id")
    return HubspotRows(contacts, deals, history, deal_history, lists, workflows,
                       contact_duplicates=duplicates, contact_history_malformed=bad_contact,
                       deal_history_malformed=bad_deal)


def _with_bad_timestamps(rng, cols: dict, model: Model, id_column: str = "contact_id"):
    """Sort a history log and slip in a few extra rows whose timestamp is not a number."""
    keep = cols["ts"] <= LAST_EVENT
    cols = {k: v[keep] for k, v in cols.items()}
    k = len(cols["ts"])
    bad = min(k, model.quirks.hubspot_bad_history_timestamps_per_file)
    src = np.sort(rng.choice(k, bad, replace=False)) if bad else np.array([], np.int64)
    cols["bad_ts"] = np.full(k, None, dtype=object)
    extra = {key: value[src] for key, value in cols.items()}
    extra["bad_ts"] = np.asarray([BAD_TIMESTAMPS[i % len(BAD_TIMESTAMPS)] for i in range(bad)],
                                 dtype=object)
    extra["value"] = np.full(bad, "unknown", dtype=object)
    merged = {key: np.concatenate([cols[key], extra[key]]) for key in cols}
    merged["_fields"] = np.full(len(merged["ts"]), None, dtype=object)
    return _sorted(merged, "ts", id_column), bad
