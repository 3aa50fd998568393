"""Segment web messages: anonymous browsing, the sign-up identify, logged-in sessions and the
milestone tracks, with device-local ISO offsets and a few late, duplicate and broken lines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipeline.generator import ids, names
from pipeline.generator.clock import (DAY, HOUR, LAST_EVENT, SECOND, WEEK, ZONE_INDEX,
                                      offset_minutes)
from pipeline.generator.frames import (categorical, concat_parts, expand, gather, nullify,
                                       take_rows, where)
from pipeline.generator.journey import Journey
from pipeline.generator.model import Model
from pipeline.generator.population import Chunk, People, email_variant

PAGES = names.AWARENESS_PAGES + names.MEMBER_PAGES + (
    names.SIGNUP_PAGE, names.BOOK_PAGE, names.CHECKOUT_PAGE)
MEMBER0 = len(names.AWARENESS_PAGES)
SIGNUP, BOOK, CHECKOUT = len(PAGES) - 3, len(PAGES) - 2, len(PAGES) - 1
ACCOUNT = MEMBER0  # /account
PAGE, TRACK, IDENTIFY = 0, 1, 2
TYPES = ("page", "track", "identify")
EVENTS = ("Signed Up", "Test Ride Booked", "Order Completed")
SIGNED_UP, RIDE_BOOKED, ORDER_COMPLETED = 0, 1, 2
KIOSK_DEVICE = 2
DIRECT = -1
# Flattened (source, medium, campaign) rows and each channel's first row.
CAMPAIGN_ROWS = [(src, med, name) for src, med, names_ in names.CAMPAIGNS for name in names_]
CAMPAIGN_START = np.cumsum([0] + [len(c[2]) for c in names.CAMPAIGNS])[:-1]
CAMPAIGN_COUNT = np.array([len(c[2]) for c in names.CAMPAIGNS])
KIOSK_IP = "203.0.113.24"
BIKE_NAMES = tuple(f"Cadence {m}" for pair in names.BIKE_MODELS for m in pair)


@dataclass
class SegmentRows:
    """The chunk's rows, ready for `sql/segment.sql`, plus what the truth needs."""

    rows: pa.Table
    malformed: int
    duplicates: int
    distinct: dict
    web_events_after_signup: np.ndarray
    anon_used: np.ndarray  # (n, 2): the device's anonymousId appears in some message
    anon_linked: np.ndarray  # (n, 2): ... in a message that also carries the person's userId
    kiosk_used: bool


def _sessions(rng, people, j, model):
    """Anonymous awareness sessions and logged-in sessions after sign-up."""
    w = model.web
    # Awareness: first at the first visit, the rest spread before sign-up (or over two weeks).
    span = np.where(j.signed, j.signup_at - j.first_visit_at, int(w.non_signup_window_days * DAY))
    k = np.where(span >= 2 * HOUR, j.awareness_sessions, 1)
    owner, within = expand(k)
    spread = (rng.uniform(0.05, 0.95, len(owner)) * (span[owner] - HOUR)).astype(np.int64)
    start = j.first_visit_at[owner] + np.where(within == 0, 0, spread)
    # A second device (if any) may browse before sign-up; it is linked only when it logs in.
    device = np.where(within == 0, 0, people.two_devices[owner] & (rng.random(len(owner)) < 0.3))
    channel = np.where(within == 0, j.channel[owner],
                       np.where(rng.random(len(owner)) < 0.5, j.channel[owner], DIRECT))
    aware = dict(person=owner, device=device.astype(np.int8), start=start,
                 channel=channel.astype(np.int8), member=np.zeros(len(owner), bool))

    # Logged in: a Poisson number of sessions between sign-up and the end of the window.
    weeks = np.where(j.signed, (LAST_EVENT - HOUR - j.signup_at) / WEEK, 0)
    rate = np.array(w.sessions_per_week_after_signup)[np.where(people.web_leaning, 0, 1)]
    count = rng.poisson(np.maximum(weeks, 0) * rate)
    owner, _ = expand(count)
    lo = j.signup_at[owner] + HOUR
    start = lo + (rng.random(len(owner)) * (LAST_EVENT - HOUR - lo)).astype(np.int64)
    device = people.two_devices[owner] & (rng.random(len(owner)) < 0.5)
    member = dict(person=owner, device=device.astype(np.int8), start=start,
                  channel=np.full(len(owner), DIRECT, np.int8), member=np.ones(len(owner), bool))
    return concat_parts([aware, member])


def _pages(rng, people, sessions, model):
    lo, hi = model.web.pages_per_session
    pages = rng.integers(lo, hi + 1, len(sessions["person"]))
    owner, within = expand(pages)
    gap = np.where(within == 0, 0, model.web.page_gap.sample(rng, len(owner)))
    elapsed = np.cumsum(gap)
    elapsed -= np.repeat(elapsed[np.cumsum(pages) - pages], pages)
    person = sessions["person"][owner]
    aware_cum = np.cumsum(np.array(names.AWARENESS_PAGE_P), axis=1)[people.persona[person]]
    aware_page = categorical(rng, aware_cum)
    member_page = MEMBER0 + rng.integers(0, len(names.MEMBER_PAGES), len(owner))
    page = np.where(sessions["member"][owner], member_page, aware_page)
    # Internal navigation: the referrer is the previous page of the same session.
    prev = np.where(within == 0, -1, np.roll(page, 1))
    channel = np.where(within == 0, sessions["channel"][owner], DIRECT)
    return dict(
        person=person, device=sessions["device"][owner],
        ts=sessions["start"][owner] + elapsed, type=np.zeros(len(owner), np.int8),
        page=page.astype(np.int16), prev_page=prev.astype(np.int16),
        channel=channel.astype(np.int8), landing=(within == 0),
        event=np.full(len(owner), -1, np.int8), logged_in=sessions["member"][owner],
        repeat=np.zeros(len(owner), bool),
    )


def _special(person, device, ts, type_, page, event, logged_in=True, repeat=False):
    k = len(person)
    return dict(person=person, device=np.full(k, device, np.int8) if np.isscalar(device) else
                device.astype(np.int8), ts=ts, type=np.full(k, type_, np.int8),
                page=np.full(k, page, np.int16), prev_page=np.full(k, -1, np.int16),
                channel=np.full(k, DIRECT, np.int8), landing=np.zeros(k, bool),
                event=np.full(k, event, np.int8), logged_in=np.full(k, logged_in),
                repeat=np.full(k, repeat))


def build(chunk: Chunk, people: People, j: Journey, model: Model, kiosk_id: str) -> SegmentRows:
    rng = chunk.rng(5)
    sessions = _sessions(rng, people, j, model)
    parts = [_pages(rng, people, sessions, model)]

    s = np.flatnonzero(j.signed)
    kiosk = people.kiosk[s]
    signup_device = np.where(kiosk, KIOSK_DEVICE, 0)
    page_at = j.signup_at[s] - rng.integers(20 * SECOND, 120 * SECOND, len(s))
    parts.append(_special(s, signup_device, page_at, PAGE, SIGNUP, -1, logged_in=False))
    parts.append(_special(s, signup_device, j.signup_at[s] - SECOND, IDENTIFY, SIGNUP, -1))
    parts.append(_special(s, signup_device, j.signup_at[s], TRACK, SIGNUP, SIGNED_UP))
    # Kiosk sign-ups later log in on their own device; second devices log in once.
    p = np.flatnonzero(people.kiosk & (j.kiosk_login_at >= 0))
    parts.append(_special(p, 0, j.kiosk_login_at[p], IDENTIFY, ACCOUNT, -1))
    p = np.flatnonzero(j.second_device_login_at >= 0)
    parts.append(_special(p, 1, j.second_device_login_at[p], IDENTIFY, ACCOUNT, -1))
    for mask, at, page, event, repeat in (
            (j.booked, j.booked_at, BOOK, RIDE_BOOKED, False),
            (j.ordered, j.order_at, CHECKOUT, ORDER_COMPLETED, False),
            (j.repeated, j.repeat_at, CHECKOUT, ORDER_COMPLETED, True)):
        p = np.flatnonzero(mask)
        parts.append(_special(p, 0, at[p] - rng.integers(30 * SECOND, 300 * SECOND, len(p)),
                              PAGE, page, -1, repeat=repeat))
        parts.append(_special(p, 0, at[p], TRACK, page, event, repeat=repeat))
    msg = concat_parts(parts)
    # Room for sentAt and receivedAt, which trail the device time by up to a second or so.
    keep = msg["ts"] <= LAST_EVENT - 10 * SECOND
    msg = {k: v[keep] for k, v in msg.items()}
    return _finish(rng, chunk, people, j, model, kiosk_id, msg)


def _finish(rng, chunk, people, j, model, kiosk_id, msg) -> SegmentRows:
    n = people.n
    m = len(msg["ts"])
    person = msg["person"]
    # Device time zone: the person's home, or the store's for the kiosk.
    zone = np.where(msg["device"] == KIOSK_DEVICE, ZONE_INDEX["America/New_York"],
                    people.zone[person])
    off = offset_minutes(zone, msg["ts"])
    sent = msg["ts"] + (300 * np.exp(0.8 * rng.standard_normal(m))).astype(np.int64)
    received = sent + (150 * np.exp(0.5 * rng.standard_normal(m))).astype(np.int64)
    late = (rng.random(m) < model.web.late_share) & (msg["ts"] + 5 * DAY <= LAST_EVENT)
    late_at = msg["ts"] + (rng.uniform(*model.web.late_delay_hours, m) * HOUR).astype(np.int64)
    received = np.where(late, late_at, received)
    sent = np.where(late, received - 200, sent)

    serial = np.arange(m, dtype=np.int64)
    anon_dev = np.where(msg["device"] == 1, 1, 0)
    anon_used = np.zeros((n, 2), dtype=bool)
    own = msg["device"] != KIOSK_DEVICE
    anon_used[person[own], anon_dev[own]] = True
    anon_linked = np.zeros((n, 2), dtype=bool)
    logged_in = own & msg["logged_in"]
    anon_linked[person[logged_in], anon_dev[logged_in]] = True
    after_signup = np.bincount(person[j.signed[person] & (msg["ts"] > j.signup_at[person])],
                               minlength=n)

    # Quirks: duplicate deliveries of valid messages, then extra broken lines.
    q = model.quirks
    dup = rng.random(m) < q.segment_duplicate_share
    copies = np.where(dup, 2, 1)
    # The broken lines are extra copies with a fresh messageId (or none), so they can never be
    # mistaken for duplicates and no real message is lost to them. A broken timestamp comes
    # from a legacy page-view snippet, not the SDK's track calls, so a milestone's line
    # (sign-up, booking, order) is never shadowed by an unparseable copy of itself.
    pages = np.flatnonzero(msg["type"] == PAGE)
    bad_ts_rows = rng.choice(pages, min(len(pages), q.segment_bad_timestamp_per_file),
                             replace=False)
    no_id_rows = rng.choice(m, min(m, q.segment_missing_message_id_per_file), replace=False)
    extra = np.concatenate([bad_ts_rows, no_id_rows]).astype(np.int64)
    src = np.concatenate([np.repeat(np.arange(m), copies), extra])
    cols = take_rows({**msg, "off": off, "sent": sent, "received": received}, src)
    kind = np.concatenate([np.zeros(copies.sum(), np.int8),
                           np.full(len(bad_ts_rows), 1, np.int8),
                           np.full(len(no_id_rows), 2, np.int8)])
    cols["serial"] = np.concatenate([np.repeat(serial, copies), m + np.arange(len(extra))])
    order = np.lexsort((cols["serial"], cols["received"]))
    cols = take_rows(cols, order)
    kind = kind[order]
    emails = email_variant(rng, people.email, model.identity.email_variant_p)
    rows = _to_table(chunk, people, j, cols, kind, kiosk_id, emails)
    distinct = {
        "message_ids": m,
        "anonymous_ids": int(anon_used.sum()),  # the shared kiosk device is counted once per run
        "user_ids": len(np.unique(person[msg["logged_in"]])),
    }
    return SegmentRows(rows, malformed=len(extra), duplicates=int(dup.sum()), distinct=distinct,
                       web_events_after_signup=after_signup, anon_used=anon_used,
                       anon_linked=anon_linked,
                       kiosk_used=bool((msg["device"] == KIOSK_DEVICE).any()))


def _to_table(chunk, people, j, cols, kind, kiosk_id, emails) -> pa.Table:
    person = cols["person"]
    k = len(person)
    device = cols["device"]
    kiosk = device == KIOSK_DEVICE
    serial = ids.chunk_serial(chunk.index, cols["serial"])
    mix = ids.keyed(chunk.seed, ids.MESSAGE, serial)
    message_id = ids.strings("ajs-next-", ids.hex_matrix(mix),
                             ids.hex_matrix(ids.keyed(chunk.seed, ids.MESSAGE_B, serial)))
    anon = where(device == 1, gather(people.anon[1], person), gather(people.anon[0], person))
    anon = where(kiosk, kiosk_id, anon)
    is_page = cols["type"] == PAGE
    identified = cols["logged_in"]
    page = cols["page"].astype(np.int64)
    channel = cols["channel"].astype(np.int64)
    ch = np.maximum(channel, 0)
    has_campaign = cols["landing"] & (channel >= 0) & (CAMPAIGN_COUNT[ch] > 0)
    pick = (mix % np.uint64(97)).astype(np.int64) % np.maximum(CAMPAIGN_COUNT[ch], 1)
    campaign = np.where(has_campaign, CAMPAIGN_START[ch] + pick, -1)
    event = cols["event"]
    is_order = event == ORDER_COMPLETED
    is_ride = event == RIDE_BOOKED
    is_identify = cols["type"] == IDENTIFY
    order_serial = people.gidx[person] * 2 + cols["repeat"]
    order_id = ids.strings(  # 11 base-62 digits: the whole 64-bit mix, so never a collision
        "CB-", ids.base62_matrix(ids.keyed(chunk.seed, ids.ORDER, order_serial), 11))
    bike = (people.persona[person].astype(np.int64) * 2 + j.bike_model[person])
    product = np.where(cols["repeat"], len(BIKE_NAMES), bike)
    revenue = np.where(cols["repeat"], j.repeat_revenue[person], j.revenue[person])
    store = np.array(names.ZONE_STORE)[people.zone[person]]
    ua_idx = people.device_ua[person, np.minimum(device, 1)]
    paths = [p[0] for p in PAGES]
    return pa.table({
        "type": ids.take(list(TYPES), cols["type"]),
        "message_id": nullify(message_id, kind == 2),
        "anonymous_id": anon,
        "user_id": nullify(gather(people.user_id, person), ~identified),
        "event": ids.take(list(EVENTS), event),
        "name": ids.take([p[1] for p in PAGES], np.where(is_page, page, -1)),
        "path": ids.take(paths, page),
        "title": ids.take([p[2] for p in PAGES], page),
        "referrer": ids.take(list(names.REFERRERS),
                             np.where(cols["landing"] & (channel >= 0), channel, -1)),
        "prev_path": ids.take(paths, cols["prev_page"]),
        "campaign_source": ids.take([c[0] for c in CAMPAIGN_ROWS], campaign),
        "campaign_medium": ids.take([c[1] for c in CAMPAIGN_ROWS], campaign),
        "campaign_name": ids.take([c[2] for c in CAMPAIGN_ROWS], campaign),
        "method": ids.take(["web", "kiosk"], np.where(event == SIGNED_UP, kiosk.astype(int), -1)),
        "store_id": ids.take(list(names.STORES), np.where(is_ride, store, -1)),
        "ride_at": pa.array(j.ride_at[person], mask=~is_ride),
        "order_id": nullify(order_id, ~is_order),
        "revenue": pa.array(revenue, mask=~is_order),
        "product": ids.take(list(BIKE_NAMES) + ["Accessory bundle"],
                            np.where(is_order, product, -1)),
        "email": nullify(gather(emails, person), ~is_identify),
        "first_name": nullify(gather(people.first_name, person), ~is_identify),
        "last_name": nullify(gather(people.last_name, person), ~is_identify),
        "ip": where(kiosk, KIOSK_IP, gather(people.ip, person)),
        "user_agent": where(kiosk, names.KIOSK_USER_AGENT,
                            ids.take(list(names.USER_AGENTS), ua_idx)),
        "ts": cols["ts"],
        "off": cols["off"],
        "sent": cols["sent"],
        "received": cols["received"],
        "_bad_ts": kind == 1,
        "_truncate": np.zeros(k, bool),
    })
