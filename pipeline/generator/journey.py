"""Simulate every person's journey through the planted model, vectorised over one chunk.

The result holds decisions and instants (int64 epoch ms, -1 when a step never happens), not
vendor rows: the source modules render it. Anything that would happen after LAST_EVENT has not
happened yet and is dropped, which is how the fixed window censors late journeys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.generator.clock import (DAY, HOUR, JOURNEY_START_MAX, JOURNEY_START_MIN,
                                      LAST_EVENT, MINUTE, SECOND, offset_minutes)
from pipeline.generator.model import Model
from pipeline.generator.population import Chunk, People

NEVER = np.int64(-1)
_INF = np.iinfo(np.int64).max


@dataclass
class Journey:
    first_visit_at: np.ndarray
    channel: np.ndarray
    awareness_sessions: np.ndarray
    signed: np.ndarray
    signup_at: np.ndarray
    hubspot_at: np.ndarray
    bad_mailbox: np.ndarray
    # Nurture emails: (n, 3) arrays.
    nurture_send_at: np.ndarray
    nurture_sent: np.ndarray
    nurture_opened: np.ndarray
    nurture_open_at: np.ndarray
    nurture_clicked: np.ndarray
    nurture_click_at: np.ndarray
    reminder_eligible: np.ndarray
    reminder_sent: np.ndarray
    reminder_send_at: np.ndarray
    reminder_opened: np.ndarray
    reminder_open_at: np.ndarray
    reminder_clicked: np.ndarray
    reminder_click_at: np.ndarray
    clicked_nurture: np.ndarray
    first_click_at: np.ndarray
    booked: np.ndarray
    booked_at: np.ndarray
    booked_by_click: np.ndarray  # would not have booked without the click (the planted uplift)
    ride_at: np.ndarray
    ordered: np.ndarray
    order_at: np.ndarray
    bike_model: np.ndarray
    revenue: np.ndarray
    lost_at: np.ndarray
    repeated: np.ndarray
    repeat_at: np.ndarray
    repeat_revenue: np.ndarray
    nps_at: np.ndarray
    nps_score: np.ndarray
    intent_at: np.ndarray
    intent: np.ndarray
    preferred_channel: np.ndarray
    bought_within_intent_window: np.ndarray
    csat_at: np.ndarray
    csat_score: np.ndarray
    ticket_at: np.ndarray
    second_device_login_at: np.ndarray
    kiosk_login_at: np.ndarray


def _uniform_ms(rng: np.random.Generator, lo_hours: float, hi_hours: float, n: int) -> np.ndarray:
    return (rng.uniform(lo_hours, hi_hours, n) * HOUR).astype(np.int64)


def _when(mask: np.ndarray, at: np.ndarray) -> np.ndarray:
    return np.where(mask, at, NEVER)


def simulate(chunk: Chunk, people: People, model: Model) -> Journey:
    rng = chunk.rng(3)
    n = people.n
    f, e, s = model.funnel, model.email, model.surveys
    persona = people.persona.astype(np.int64)
    style = np.where(people.web_leaning, 0, 1)  # index into (web-leaning, email-leaning) params

    # Awareness: the first visit lands on a weekday-agnostic day at a waking local hour,
    # uniformly over the local days up to the one before JOURNEY_START_MAX's (23:00 there in
    # Los Angeles is still 06:00 UTC before it), so arrivals do not thin out near as-of.
    days = (JOURNEY_START_MAX - JOURNEY_START_MIN) // DAY - 1
    naive = (JOURNEY_START_MIN + rng.integers(0, days, n) * DAY
             + rng.integers(7 * 60, 23 * 60, n) * MINUTE + rng.integers(0, MINUTE, n))
    first_visit = naive - offset_minutes(people.zone, naive).astype(np.int64) * MINUTE
    first_visit = np.clip(first_visit, JOURNEY_START_MIN, JOURNEY_START_MAX - 1)
    channel = rng.choice(5, n, p=model.web.channel_mix).astype(np.int8)
    sessions = rng.choice([1, 2, 3], n, p=model.web.awareness_sessions_p).astype(np.int8)

    # Sign-up (a day of room so the whole sign-up flow fits inside the window).
    signup_at = first_visit + f.visit_to_signup.sample(rng, n)
    signed = (rng.random(n) < np.array(f.p_signup)[persona]) & (signup_at <= LAST_EVENT - DAY)
    hubspot_at = signup_at + (30 * SECOND * np.exp(0.5 * rng.standard_normal(n))).astype(np.int64)
    bad = signed & (rng.random(n) < e.bad_mailbox_share)

    # Nurture sequence: outcomes are drawn up front, then cut by booking and by the window.
    offsets = (np.array(e.nurture_offsets_days) * DAY).astype(np.int64)
    send = hubspot_at[:, None] + offsets[None, :] + rng.integers(0, 10 * MINUTE, (n, 3))
    open_p = np.array(e.nurture_open)[style]
    would_open = rng.random((n, 3)) < open_p[:, None]
    open_delay = np.minimum(e.open_delay.sample(rng, 3 * n).reshape(n, 3),
                            int(e.max_open_delay_hours * HOUR))
    open_at = send + 5 * SECOND + open_delay
    would_click = would_open & (rng.random((n, 3)) < e.click_given_open)
    click_at = open_at + SECOND + e.click_delay.sample(rng, 3 * n).reshape(n, 3)

    base_p = np.array(f.p_test_ride_given_signup)[persona]
    u = rng.random(n)
    organic_at = signup_at + f.signup_to_test_ride.sample(rng, n)
    books_anyway = signed & (u < base_p)
    # Booking ends the nurture workflow, so later nurture mails are never sent.
    cut = np.where(books_anyway, organic_at, _INF)
    sent = signed[:, None] & (send < cut[:, None]) & (send <= LAST_EVENT)

    # The reminder is its own automation: 60% of Nurture 1 non-openers, within 3 days.
    reminder_send_at = send[:, 0] + _uniform_ms(rng, *e.reminder_window_hours, n)
    delivered0 = sent[:, 0] & ~bad
    eligible = delivered0 & ~would_open[:, 0] & (send[:, 0] + 72 * HOUR <= LAST_EVENT)
    reminder_sent = eligible & (rng.random(n) < e.reminder_probability)
    r_open = reminder_sent & ~bad & (rng.random(n) < open_p * e.reminder_open_factor)
    r_open_at = reminder_send_at + 5 * SECOND + np.minimum(
        e.open_delay.sample(rng, n), int(e.max_open_delay_hours * HOUR))
    r_click = r_open & (rng.random(n) < e.click_given_open)
    r_click_at = r_open_at + SECOND + e.click_delay.sample(rng, n)
    r_open &= r_open_at <= LAST_EVENT
    r_click &= r_open & (r_click_at <= LAST_EVENT)

    def outcomes(sent_mask):
        delivered = sent_mask & ~bad[:, None]
        opened = delivered & would_open & (open_at <= LAST_EVENT)
        clicked = opened & would_click & (click_at <= LAST_EVENT)
        return opened, clicked

    opened, clicked = outcomes(sent)
    clicks = np.where(clicked, click_at, _INF).min(axis=1)
    first_click = np.minimum(clicks, np.where(r_click, r_click_at, _INF))

    # PLANTED DRIVER: a click raises the booking probability by the multiplier; the extra
    # bookings follow the click.
    clicked_any = first_click < _INF
    boosted = np.minimum(1.0, base_p * e.driver_multiplier)
    by_click = signed & ~books_anyway & clicked_any & (u < boosted)
    click_booked_at = np.where(by_click, first_click, 0) + f.click_to_test_ride.sample(rng, n)
    booked_at = np.where(books_anyway, organic_at, np.where(by_click, click_booked_at, NEVER))
    booked = (books_anyway | by_click) & (booked_at <= LAST_EVENT)
    sent &= ~(by_click[:, None] & (send >= click_booked_at[:, None]))
    opened, clicked = outcomes(sent)

    # Test ride, then the order (the journey's endpoint) or a lost deal.
    ride_at = booked_at + _uniform_ms(rng, *f.ride_after_booking_hours, n)
    rode = booked & (ride_at <= LAST_EVENT)
    buys = rng.random(n) < np.array(f.p_order_given_test_ride)[persona]
    order_at = ride_at + f.ride_to_order.sample(rng, n)
    ordered = rode & buys & (order_at <= LAST_EVENT)
    bike_model = rng.integers(0, 2, n).astype(np.int8)
    revenue = np.array(f.bike_prices)[persona, bike_model]
    lost_at = ride_at + _uniform_ms(rng, *f.lost_after_ride_hours, n)
    lost = rode & ~buys & (lost_at <= LAST_EVENT)

    # NPS 30 days after the order; the answer sets the repeat propensity of those who answer.
    nps_at = order_at + int(s.nps_after_order_days * DAY) + s.response_delay.sample(rng, n)
    nps = ordered & (rng.random(n) < s.nps_response) & (nps_at <= LAST_EVENT)
    bucket = rng.choice(3, n, p=s.nps_bucket_share)
    score = np.select(
        [bucket == 0, bucket == 1],
        [9 + rng.integers(0, 2, n), 7 + rng.integers(0, 2, n)],
        rng.choice(7, n, p=(0.03, 0.03, 0.05, 0.09, 0.15, 0.30, 0.35)))
    p_repeat = np.where(nps, np.array(s.repeat_given_nps_bucket)[bucket],
                        np.array(f.p_repeat_given_order)[persona])
    repeat_at = order_at + f.order_to_repeat.sample(rng, n)
    repeated = ordered & (rng.random(n) < p_repeat) & (repeat_at <= LAST_EVENT)
    lo, hi = f.accessory_price_range
    repeat_revenue = np.round(rng.uniform(lo, hi, n)) - 0.01

    # The answer reflects what the person will do, even when the order comes after as-of.
    will_order = (books_anyway | by_click) & buys
    intent_at, intent, preferred, within = _intent_survey(rng, people, signed, signup_at,
                                                          will_order, ordered, order_at, style,
                                                          model)

    csat_at = order_at + int(s.csat_after_order_days * DAY) + s.response_delay.sample(rng, n)
    csat = ordered & (rng.random(n) < s.csat_response) & (csat_at <= LAST_EVENT)
    csat_score = rng.choice(5, n, p=(0.05, 0.07, 0.15, 0.33, 0.40)) + 1

    ticket_at = order_at + model.support.ticket_delay.sample(rng, n)
    ticket = ordered & (rng.random(n) < model.support.ticket_share_after_order) & (
        ticket_at <= LAST_EVENT - HOUR)

    second_login = signup_at + model.web.second_device_login.sample(rng, n)
    second_login_ok = signed & people.two_devices & (second_login <= LAST_EVENT)
    kiosk_login = signup_at + model.web.kiosk_device_login.sample(rng, n)

    return Journey(
        first_visit_at=first_visit, channel=channel, awareness_sessions=sessions,
        signed=signed, signup_at=_when(signed, signup_at), hubspot_at=_when(signed, hubspot_at),
        bad_mailbox=bad,
        nurture_send_at=send, nurture_sent=sent, nurture_opened=opened, nurture_open_at=open_at,
        nurture_clicked=clicked, nurture_click_at=click_at,
        reminder_eligible=eligible, reminder_sent=reminder_sent,
        reminder_send_at=reminder_send_at, reminder_opened=r_open, reminder_open_at=r_open_at,
        reminder_clicked=r_click, reminder_click_at=r_click_at,
        clicked_nurture=clicked.any(axis=1) | r_click,
        first_click_at=np.where(clicked_any, first_click, NEVER),
        booked=booked, booked_at=_when(booked, booked_at), booked_by_click=booked & by_click,
        ride_at=_when(rode, ride_at), ordered=ordered, order_at=_when(ordered, order_at),
        bike_model=bike_model, revenue=revenue, lost_at=_when(lost, lost_at),
        repeated=repeated, repeat_at=_when(repeated, repeat_at), repeat_revenue=repeat_revenue,
        nps_at=_when(nps, nps_at), nps_score=np.where(nps, score, -1),
        intent_at=intent_at, intent=intent, preferred_channel=preferred,
        bought_within_intent_window=within,
        csat_at=_when(csat, csat_at), csat_score=np.where(csat, csat_score, -1),
        ticket_at=_when(ticket, ticket_at),
        second_device_login_at=_when(second_login_ok, second_login),
        kiosk_login_at=np.where(signed & (kiosk_login <= LAST_EVENT), kiosk_login, NEVER),
    )


def _intent_survey(rng, people, signed, signup_at, will_order, ordered, order_at, style, model):
    """PLANTED SAY-VS-DO GAP. Stated intent is drawn given what the person then does, so that
    the buy rate within the window is (about) fixed per intent group whatever the funnel gives:
    P(group | bought) is proportional to share * rate, P(group | not) to share * (1 - rate).
    "Bought" is the planted outcome (`will_order`), also when the window runs past as-of, so
    the rates hold in every closed cohort; the returned flag is what the exports show."""
    s = model.surveys
    n = people.n
    sent_at = signup_at + _uniform_ms(rng, *s.intent_delay_hours, n)
    at = sent_at + s.response_delay.sample(rng, n)
    answered = signed & (rng.random(n) < s.intent_response) & (at <= LAST_EVENT)
    window = int(s.intent_window_days * DAY)
    in_window = (order_at >= at) & (order_at <= at + window)
    bought = will_order & in_window
    q = bought[answered].mean() if answered.any() else 0.0
    r_low, r_mid, r_high = s.intent_buy_rate
    mid = s.intent_mid_share
    high = np.clip((q - (1 - mid) * r_low - mid * r_mid) / (r_high - r_low), 0.05, 0.70)
    share = np.array([1 - mid - high, mid, high])
    rate = np.array(s.intent_buy_rate)
    p_bought = share * rate / (share * rate).sum()
    p_not = share * (1 - rate) / (share * (1 - rate)).sum()
    g_bought = rng.choice(3, n, p=p_bought)
    g_not = rng.choice(3, n, p=p_not)
    group = np.where(bought, g_bought, g_not)
    low_score = 1 + (rng.random(n) < 0.55)
    high_score = 4 + (rng.random(n) < 0.55)
    intent = np.select([group == 0, group == 1], [low_score, 3], high_score)
    channel_p = np.array(s.preferred_channel_p)
    draw = rng.random(n)
    cum = np.cumsum(channel_p[style], axis=1)
    preferred = np.minimum((draw[:, None] > cum).sum(axis=1), len(s.preferred_channel_p[0]) - 1)
    return (np.where(answered, at, NEVER), np.where(answered, intent, -1),
            np.where(answered, preferred, -1), answered & ordered & in_window)
