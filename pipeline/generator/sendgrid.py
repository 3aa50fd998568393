"""SendGrid Event Webhook events, one JSON object per line, from the chunk's message plan.

Webhook delivery is at-least-once and batched, so a share of events arrive in a later capture
file than the rest of their message, some are retried with the same sg_event_id (in the same
file or a later one), and a few lines were cut off mid-write.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generator import ids, names
from pipeline.generator.clock import HOUR, LAST_EVENT, MINUTE, SECOND
from pipeline.generator.frames import concat_parts, gather, nullify, where
from pipeline.generator.mail import CAMPAIGNS, CLICK_PATHS, NEWSLETTER, Messages, newsletter_label
from pipeline.generator.model import Model
from pipeline.generator.population import Chunk, People

PROCESSED, DELIVERED, BOUNCE, OPEN, CLICK, UNSUBSCRIBE = range(6)
EVENT_NAMES = ("processed", "delivered", "bounce", "open", "click", "unsubscribe")
ASM_GROUP = 14523


@dataclass
class SendgridRows:
    now: pa.Table  # rows for this chunk's file
    later: pa.Table  # rows that belong in the next file (late events and late retries)
    events: int  # distinct events
    emails: int  # distinct normalised recipient addresses


def build(chunk: Chunk, people: People, m: Messages, model: Model) -> SendgridRows:
    rng = chunk.rng(6)
    q = model.quirks
    k = len(m)
    has_open = m.open_at >= 0
    has_click = m.click_at >= 0
    has_unsub = m.unsubscribe_at >= 0
    deliver_at = m.send_at + (3 * SECOND * np.exp(0.6 * rng.standard_normal(k))).astype(np.int64)
    msg_idx = np.concatenate([
        np.arange(k), np.arange(k), np.flatnonzero(has_open), np.flatnonzero(has_click),
        np.flatnonzero(has_unsub)])
    event = np.concatenate([
        np.full(k, PROCESSED), np.where(m.delivered, DELIVERED, BOUNCE),
        np.full(has_open.sum(), OPEN), np.full(has_click.sum(), CLICK),
        np.full(has_unsub.sum(), UNSUBSCRIBE)]).astype(np.int8)
    ts = np.concatenate([m.send_at, deliver_at, m.open_at[has_open], m.click_at[has_click],
                         m.unsubscribe_at[has_unsub]])
    order = np.lexsort((event, ts, msg_idx))
    order = order[ts[order] <= LAST_EVENT]  # not delivered yet when the window closes
    msg_idx, event, ts = msg_idx[order], event[order], ts[order]
    e = len(event)
    serial = ids.chunk_serial(chunk.index, np.arange(e))

    # Delivery quirks: late events go to the next file; retries repeat an event verbatim.
    late = rng.random(e) < q.sendgrid_late_share
    retried = rng.random(e) < q.sendgrid_duplicate_share
    retry_later = retried & (rng.random(e) >= q.sendgrid_duplicate_same_file_share)
    arrival = ts + np.where(late, (rng.uniform(1, 24, e) * HOUR).astype(np.int64), 0)
    retry_arrival = arrival + (rng.uniform(1, 30, e) * MINUTE).astype(np.int64)
    base = _columns(chunk, rng, people, m, msg_idx, event, ts, serial, model)

    def pick(mask, arrival_at, copy):
        idx = np.flatnonzero(mask)
        cols = {key: value.take(pa.array(idx)) for key, value in base.items()}
        cols["_arrival"] = pa.array(arrival_at[idx])
        cols["_serial"] = pa.array(serial[idx])
        cols["_copy"] = pa.array(np.full(len(idx), copy, np.int8))
        return cols

    now = [pick(~late, arrival, 0), pick(retried & ~retry_later & ~late, retry_arrival, 1)]
    later = [pick(late, arrival, 0), pick(retried & (retry_later | late), retry_arrival, 1)]
    emails = pc.utf8_lower(pc.utf8_trim_whitespace(gather(people.crm_email, m.person)))
    return SendgridRows(
        now=_table(now), later=_table(later),
        events=e, emails=len(pc.unique(emails)) if len(emails) else 0)


def _table(parts: list[dict]) -> pa.Table:
    cols = concat_parts(parts)
    return pa.table(cols)


def file_rows(tables: list[pa.Table], rng: np.random.Generator,
              truncated: int) -> tuple[pa.Table, int, int]:
    """One capture file: carried-over rows and this chunk's rows in arrival order, plus a few
    lines cut off mid-write (extra copies of real events, so no event is lost to them).
    Returns the rows, the number of cut lines and the number of retried copies."""
    table = pa.concat_tables(tables)
    n = table.num_rows
    retries = int((table["_copy"].to_numpy() == 1).sum())
    cut = np.sort(rng.choice(n, min(n, truncated), replace=False)) if n else np.array([], int)
    if len(cut):
        broken = table.take(pa.array(cut))
        broken = broken.set_column(broken.schema.get_field_index("_truncate"), "_truncate",
                                   pa.array(np.ones(len(cut), bool)))
        broken = broken.set_column(broken.schema.get_field_index("_copy"), "_copy",
                                   pa.array(np.full(len(cut), 2, np.int8)))
        table = pa.concat_tables([table, broken])
    order = np.lexsort((table["_copy"].to_numpy(), table["_serial"].to_numpy(),
                        table["_arrival"].to_numpy()))
    return table.take(pa.array(order)), len(cut), retries


def _columns(chunk, rng, people, m: Messages, msg_idx, event, ts, serial, model) -> dict:
    q = model.quirks
    e = len(event)
    person = m.person[msg_idx]
    campaign = m.campaign[msg_idx].astype(np.int64)
    week = m.week[msg_idx].astype(np.int64)
    message_serial = ids.chunk_serial(chunk.index, msg_idx)
    mix = ids.keyed(chunk.seed, ids.SG_MESSAGE, message_serial)
    msg_b64 = ids.b64url_matrix(mix, ids.keyed(chunk.seed, ids.SG_MESSAGE_B, message_serial))
    sg_message_id = ids.strings(msg_b64, ".filterdrecv-", ids.hex_matrix(mix)[:, :10], "-1-",
                                ids.hex_matrix(mix, upper=True)[:, 8:16], "-", ids.decimal_matrix(
                                    (mix % np.uint64(40)).astype(np.int64), 2), ".0")
    smtp_id = ids.strings("<", msg_b64, "@geopod-ismtpd-", ids.decimal_matrix(
        (mix % np.uint64(997)).astype(np.int64), 3), ">")
    sg_event_id = ids.strings(ids.b64url_matrix(ids.keyed(chunk.seed, ids.SG_EVENT, serial),
                                                ids.keyed(chunk.seed, ids.SG_EVENT_B, serial)))
    is_news = campaign == NEWSLETTER
    names_ = [c.name for c in CAMPAIGNS]
    weeks = sorted(set(week[is_news].tolist()))
    labels = {w: newsletter_label(w) for w in weeks}  # one label per newsletter week
    week_label = ids.take([labels.get(w, "") for w in range(max(weeks, default=-1) + 1)],
                          np.where(is_news, week, -1))
    campaign_name = where(is_news, week_label, ids.take(names_, campaign))
    marketing_id = np.array([c.marketing_campaign_id or -1 for c in CAMPAIGNS])[campaign]
    marketing_id = np.where(is_news, marketing_id + week, marketing_id)
    is_marketing = marketing_id >= 0
    cat_first = ids.take([c.categories[0] for c in CAMPAIGNS], campaign)
    cat_second = ids.take([c.categories[1] if len(c.categories) > 1 else None for c in CAMPAIGNS],
                          campaign)
    user_arg = np.array([c.user_id_arg for c in CAMPAIGNS])[campaign]
    capitalised = rng.random(e) < q.sendgrid_capitalised_share
    event_name = ids.take(list(EVENT_NAMES), event)
    event_name = where(capitalised, pc.utf8_capitalize(event_name), event_name)
    bounce = event == BOUNCE
    blocked = bounce & (rng.random(e) < 0.2)
    async_bounce = bounce & (rng.random(e) < 0.5)
    engaged = (event == OPEN) | (event == CLICK)
    path = ids.take(list(CLICK_PATHS), np.where(event == CLICK, campaign, -1))
    url = pc.binary_join_element_wise(
        "https://www.cadencebikes.com", path, "?utm_source=sendgrid&utm_medium=email&utm_campaign=",
        pc.utf8_lower(pc.replace_substring(campaign_name, " ", "_")), "")
    with_smtp = (event == PROCESSED) | (event == DELIVERED) | bounce
    return {
        "email": gather(people.crm_email, person),
        "ts_s": pa.array(ts // 1000),
        "ts_as_string": pa.array(rng.random(e) < q.sendgrid_string_timestamp_share),
        "event": event_name,
        "smtp_id": nullify(smtp_id, ~with_smtp),
        "sg_event_id": sg_event_id,
        "sg_message_id": nullify(sg_message_id, async_bounce),
        "category_first": cat_first,
        "category_second": cat_second,
        "url": nullify(url, event != CLICK),
        "useragent": nullify(ids.take(list(names.MAIL_USER_AGENTS), person % 3), ~engaged),
        "ip": nullify(gather(people.ip, person), ~engaged),
        "sg_machine_open": pa.array(np.where(event == OPEN, False, None), type=pa.bool_()),
        "response": nullify(pa.array(np.full(e, "250 2.0.0 OK")), event != DELIVERED),
        "reason": where(blocked, "550 5.7.1 Message rejected due to local policy",
                        nullify(pa.array(np.full(e, "550 5.1.1 The email account that you tried "
                                                    "to reach does not exist.")), ~bounce)),
        "status": where(blocked, "5.7.1", nullify(pa.array(np.full(e, "5.1.1")), ~bounce)),
        "bounce_type": where(blocked, "blocked", nullify(pa.array(np.full(e, "bounce")), ~bounce)),
        "asm_group_id": pa.array(np.where(is_marketing, ASM_GROUP, 0), mask=~is_marketing),
        "marketing_campaign_id": pa.array(marketing_id, mask=~is_marketing),
        "marketing_campaign_name": nullify(campaign_name, ~is_marketing),
        "user_id": nullify(gather(people.user_id, person), ~user_arg),
        "_truncate": pa.array(np.zeros(e, bool)),
    }
