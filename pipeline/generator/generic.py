"""The store's point-of-sale tool, exported as generic events and persons keyed by email.

Every booked test ride that took place is a "Test Ride Completed"; kiosk sign-ups and some
other members also drop by ("Store Visit"). Times are ISO-8601 with the store's offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipeline.generator import ids, names
from pipeline.generator.clock import HOUR, LAST_EVENT, MINUTE, ZONE_INDEX, offset_minutes
from pipeline.generator.frames import concat_parts, expand, gather
from pipeline.generator.journey import Journey
from pipeline.generator.model import Model
from pipeline.generator.population import Chunk, People, email_variant

VISIT, RIDE = 0, 1
EVENTS = ("Store Visit", "Test Ride Completed")
KIOSK_STORE = 0  # NYC-01
STORE_ZONE = np.array([ZONE_INDEX[z] for z in names.STORE_ZONE])
BIKES = tuple(f"Cadence {b}" for pair in names.BIKE_MODELS for b in pair)


@dataclass
class StoreRows:
    events: pa.Table
    persons: pa.Table
    person_of_event: np.ndarray


def build(chunk: Chunk, people: People, j: Journey, model: Model) -> StoreRows:
    rng = chunk.rng(10)
    home_store = np.array(names.ZONE_STORE)[people.zone]
    parts = []

    def add(person, event, at, store):
        parts.append(dict(person=person, event=np.full(len(person), event, np.int8), at=at,
                          store=store))

    p = np.flatnonzero(j.ride_at >= 0)
    add(p, RIDE, j.ride_at[p], home_store[p])
    p = np.flatnonzero(people.kiosk)
    add(p, VISIT, j.signup_at[p] - 10 * MINUTE, np.full(len(p), KIOSK_STORE))
    visitors = j.signed & (rng.random(people.n) < model.identity.store_visit_share)
    owner, _ = expand(np.where(visitors, rng.integers(1, 3, people.n), 0))
    lo = j.signup_at[owner] + HOUR
    add(owner, VISIT, lo + (rng.random(len(owner)) * (LAST_EVENT - lo)).astype(np.int64),
        home_store[owner])
    cols = concat_parts(parts)
    keep = cols["at"] <= LAST_EVENT
    cols = {k: v[keep] for k, v in cols.items()}
    order = np.lexsort((cols["person"], cols["at"]))
    cols = {k: v[order] for k, v in cols.items()}
    k = len(order)
    person = cols["person"]
    pos_emails = email_variant(rng, people.email, model.identity.email_variant_p)
    bike = people.persona[person].astype(np.int64) * 2 + j.bike_model[person]
    events = pa.table({
        "event_id": ids.strings("pos_", ids.hex_matrix(
            ids.keyed(chunk.seed, ids.POS_EVENT, ids.chunk_serial(chunk.index, np.arange(k))))),
        "person_id": gather(pos_emails, person),
        "event": ids.take(list(EVENTS), cols["event"]),
        "at": cols["at"],
        "off": offset_minutes(STORE_ZONE[cols["store"]], cols["at"]),
        "store_id": ids.take(list(names.STORES), cols["store"]),
        "bike_model": ids.take(list(BIKES), np.where(cols["event"] == RIDE, bike, -1)),
    })
    seen = np.unique(person)
    tier = np.select([j.repeated[seen], j.ordered[seen]], [2, 1], 0)
    persons = pa.table({
        "person_id": gather(email_variant(rng, people.email, model.identity.email_variant_p), seen),
        "loyalty_tier": ids.take(["bronze", "silver", "gold"], tier),
        "home_store": ids.take(list(names.STORES), home_store[seen]),
    })
    return StoreRows(events, persons, person)
