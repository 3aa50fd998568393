"""Which emails each person is sent, and what they do with each one.

Nurture and reminder outcomes come from the journey (they feed the planted driver); the weekly
newsletter, onboarding and transactional mails are planned here. One row per message;
`sendgrid.py` turns messages into webhook events and `hubspot.py` uses the unsubscribe times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from pipeline.generator.clock import DAY, LAST_EVENT, MINUTE, SECOND, WEEK, epoch_ms
from pipeline.generator.journey import NEVER, Journey
from pipeline.generator.model import Model
from pipeline.generator.population import Chunk, People


@dataclass(frozen=True)
class Campaign:
    name: str
    categories: tuple[str, ...]  # one category is written as a string, several as an array
    marketing_campaign_id: int | None
    user_id_arg: bool  # API sends carry the custom arg user_id; the newsletter does not
    open_p: float | None = None
    click_p: float = 0.0


NURTURE = (0, 1, 2)
REMINDER, NEWSLETTER, ONBOARDING_1, ONBOARDING_2, RIDE_CONFIRMATION, ORDER_CONFIRMATION = \
    3, 4, 5, 6, 7, 8
CAMPAIGNS = (
    Campaign("Nurture 1", ("nurture", "nurture_1"), 4101, True),
    Campaign("Nurture 2", ("nurture", "nurture_2"), 4102, True),
    Campaign("Nurture 3", ("nurture", "nurture_3"), 4103, True),
    Campaign("Nurture Reminder", ("nurture", "reminder"), 4104, True),
    Campaign("Newsletter", ("newsletter",), 5000, False),
    Campaign("Onboarding 1", ("onboarding",), 4201, True),
    Campaign("Onboarding 2", ("onboarding",), 4202, True),
    Campaign("Test Ride Confirmation", ("transactional", "test_ride"), None, True, 0.70, 0.0),
    Campaign("Order Confirmation", ("transactional", "order"), None, True, 0.70, 0.0),
)
CLICK_PATHS = ("/test-rides", "/test-rides", "/test-rides", "/test-rides", "/blog",
               "/support/setup", "/accessories", "/account/rides", "/account/orders")


def newsletter_sends() -> np.ndarray:
    first = epoch_ms("2026-01-08T16:00:00Z")
    return np.arange(first, LAST_EVENT + 1, WEEK, dtype=np.int64)


def newsletter_label(week: int) -> str:
    at = datetime.fromtimestamp(newsletter_sends()[week] / 1000, tz=timezone.utc)
    year, iso_week, _ = at.isocalendar()
    return f"Newsletter {year}-W{iso_week:02d}"


@dataclass
class Messages:
    person: np.ndarray
    campaign: np.ndarray
    week: np.ndarray  # newsletter week index, else -1
    send_at: np.ndarray
    delivered: np.ndarray
    open_at: np.ndarray  # NEVER when not opened
    click_at: np.ndarray
    unsubscribe_at: np.ndarray
    unsubscribed_at: np.ndarray  # per person
    engagements: np.ndarray  # per person: opens and clicks after sign-up

    def __len__(self) -> int:
        return len(self.person)


def plan(chunk: Chunk, people: People, j: Journey, model: Model) -> Messages:
    rng = chunk.rng(4)
    e = model.email
    n = people.n
    style = np.where(people.web_leaning, 0, 1)
    parts = []

    def add(person, campaign, send_at, opened, open_at, clicked, click_at, week=None,
            unsub_at=None):
        k = len(person)
        parts.append(dict(
            person=person.astype(np.int64), campaign=np.full(k, campaign, dtype=np.int8),
            week=np.full(k, -1, np.int16) if week is None else week.astype(np.int16),
            send_at=send_at, opened=opened, open_at=open_at, clicked=clicked,
            click_at=click_at,
            unsub_at=np.full(k, NEVER) if unsub_at is None else unsub_at))

    for c in NURTURE:
        p = np.flatnonzero(j.nurture_sent[:, c])
        add(p, c, j.nurture_send_at[p, c], j.nurture_opened[p, c], j.nurture_open_at[p, c],
            j.nurture_clicked[p, c], j.nurture_click_at[p, c])
    p = np.flatnonzero(j.reminder_sent)
    add(p, REMINDER, j.reminder_send_at[p], j.reminder_opened[p], j.reminder_open_at[p],
        j.reminder_clicked[p], j.reminder_click_at[p])

    # Weekly newsletter from ten days after sign-up; ~1% unsubscribe from one of them.
    weeks = newsletter_sends()
    start = np.searchsorted(weeks, j.signup_at + int(e.newsletter_start_after_signup_days * DAY))
    count = np.where(j.signed, len(weeks) - start, 0)
    person = np.repeat(np.arange(n), count)
    k = np.arange(len(person)) - np.repeat(np.cumsum(count) - count, count)
    week = start[person] + k
    quits = j.signed & ~j.bad_mailbox & (count > 0) & (rng.random(n) < e.unsubscribe_share)
    quit_k = (rng.random(n) * np.minimum(count, 8)).astype(np.int64)
    keep = ~quits[person] | (k <= quit_k[person])
    person, k, week = person[keep], k[keep], week[keep]
    m = len(person)
    send_at = weeks[week] + rng.integers(0, 20 * MINUTE, m)
    is_quit = quits[person] & (k == quit_k[person])
    open_at = send_at + 5 * SECOND + np.minimum(e.newsletter_open_delay.sample(rng, m), 3 * DAY)
    opened = ((rng.random(m) < np.array(e.newsletter_open)[style[person]]) | is_quit) \
        & ~j.bad_mailbox[person] & (open_at <= LAST_EVENT)
    clicked = opened & ~is_quit & (rng.random(m) < e.newsletter_click_given_open)
    click_at = open_at + SECOND + e.click_delay.sample(rng, m)
    clicked &= click_at <= LAST_EVENT
    unsub_at = np.where(is_quit & opened, open_at + rng.integers(MINUTE, 3 * MINUTE, m), NEVER)
    unsub_at = np.where(unsub_at <= LAST_EVENT, unsub_at, NEVER)
    add(person, NEWSLETTER, send_at, opened, open_at, clicked, click_at, week=week,
        unsub_at=unsub_at)

    for c, offset in zip((ONBOARDING_1, ONBOARDING_2), e.onboarding_offsets_days):
        p = np.flatnonzero(j.ordered)
        at = j.order_at[p] + int(offset * DAY) + rng.integers(0, 10 * MINUTE, len(p))
        p, at = p[at <= LAST_EVENT], at[at <= LAST_EVENT]
        _engage(add, rng, j, p, c, at, e.onboarding_open, e.onboarding_click_given_open, e)
    for c, mask, when in ((RIDE_CONFIRMATION, j.booked, j.booked_at),
                          (ORDER_CONFIRMATION, j.ordered, j.order_at),
                          (ORDER_CONFIRMATION, j.repeated, j.repeat_at)):
        p = np.flatnonzero(mask)
        at = when[p] + 20 * SECOND
        _engage(add, rng, j, p, c, at, CAMPAIGNS[c].open_p, CAMPAIGNS[c].click_p, e)

    cols = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    order = np.lexsort((cols["campaign"], cols["send_at"], cols["person"]))
    cols = {key: value[order] for key, value in cols.items()}
    delivered = ~j.bad_mailbox[cols["person"]]
    open_at = np.where(cols["opened"], cols["open_at"], NEVER)
    click_at = np.where(cols["clicked"], cols["click_at"], NEVER)
    unsubscribed = np.full(n, NEVER)
    quit_rows = cols["unsub_at"] >= 0
    unsubscribed[cols["person"][quit_rows]] = cols["unsub_at"][quit_rows]
    engagements = (np.bincount(cols["person"], weights=cols["opened"], minlength=n)
                   + np.bincount(cols["person"], weights=cols["clicked"], minlength=n))
    return Messages(
        person=cols["person"], campaign=cols["campaign"], week=cols["week"],
        send_at=cols["send_at"], delivered=delivered, open_at=open_at, click_at=click_at,
        unsubscribe_at=cols["unsub_at"], unsubscribed_at=unsubscribed,
        engagements=engagements.astype(np.int64))


def _engage(add, rng, j, p, campaign, at, open_p, click_p, e):
    k = len(p)
    open_at = at + 5 * SECOND + np.minimum(e.open_delay.sample(rng, k), 3 * DAY)
    opened = (rng.random(k) < open_p) & ~j.bad_mailbox[p] & (open_at <= LAST_EVENT)
    click_at = open_at + SECOND + e.click_delay.sample(rng, k)
    clicked = opened & (rng.random(k) < click_p) & (click_at <= LAST_EVENT)
    add(p, campaign, at, opened, open_at, clicked, click_at)
