"""The planted journey model of "Cadence Bikes": every probability and delay the generator uses.

Nothing here draws random numbers. `journey.py` samples from these parameters and `truth.py`
writes them beside the realised rates, so a pipeline can be checked against what was planted.
Per-persona tuples are ordered like PERSONAS.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from pipeline.generator.clock import HOUR

COMPANY = "Cadence Bikes"
PERSONAS = ("Urban Commuter", "Weekend Explorer", "Family Hauler")
STAGES = ("Awareness", "Consideration", "Purchase", "Onboarding", "Loyalty")
MILESTONES = ("first_visit", "signed_up", "test_ride_booked", "first_order", "repeat_order")
MILESTONE_STAGE = {
    "first_visit": "Awareness",
    "signed_up": "Consideration",
    "test_ride_booked": "Consideration",
    "first_order": "Purchase",
    "repeat_order": "Loyalty",
}
CHANNELS = ("paid_search", "organic", "social", "email", "referral")
PREFERRED_CHANNELS = ("Email", "Phone", "Web", "Chat", "In store")


@dataclass(frozen=True)
class Delay:
    """A lognormal delay, given by its median (hours) and the sigma of its log."""

    median_hours: float
    sigma: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        z = rng.standard_normal(n)
        return (self.median_hours * HOUR * np.exp(self.sigma * z)).astype(np.int64)


@dataclass(frozen=True)
class Funnel:
    persona_share: tuple[float, ...] = (0.50, 0.35, 0.15)
    p_signup: tuple[float, ...] = (0.55, 0.45, 0.50)
    p_test_ride_given_signup: tuple[float, ...] = (0.45, 0.35, 0.55)
    p_order_given_test_ride: tuple[float, ...] = (0.55, 0.40, 0.50)
    p_repeat_given_order: tuple[float, ...] = (0.30, 0.20, 0.35)
    visit_to_signup: Delay = Delay(48, 0.8)
    signup_to_test_ride: Delay = Delay(120, 0.8)
    # A nurture click pulls the booking forward: it follows the first click by this delay.
    click_to_test_ride: Delay = Delay(36, 0.7)
    # The ride happens 1-4 days after booking, the order soon after the ride: together a
    # median of about 3 days from booking to order.
    ride_after_booking_hours: tuple[float, float] = (24, 96)
    ride_to_order: Delay = Delay(12, 0.8)
    order_to_repeat: Delay = Delay(45 * 24, 0.5)
    lost_after_ride_hours: tuple[float, float] = (7 * 24, 14 * 24)
    # Bike list prices per persona (two models each) and repeat-order accessory prices.
    bike_prices: tuple[tuple[float, float], ...] = ((1899.0, 2399.0), (2999.0, 3799.0),
                                                    (4499.0, 5299.0))
    accessory_price_range: tuple[float, float] = (49.0, 599.0)


@dataclass(frozen=True)
class Web:
    awareness_sessions_p: tuple[float, ...] = (0.45, 0.35, 0.20)  # 1, 2 or 3 sessions
    pages_per_session: tuple[int, int] = (1, 6)
    page_gap: Delay = Delay(45 / 3600, 0.7)
    channel_mix: tuple[float, ...] = (0.30, 0.25, 0.20, 0.10, 0.15)
    non_signup_window_days: float = 14
    # Post-signup sessions per week, by engagement style (web-leaning, email-leaning).
    sessions_per_week_after_signup: tuple[float, float] = (0.5, 0.03)
    second_device_share: float = 0.30
    second_device_login: Delay = Delay(48, 0.8)
    kiosk_device_login: Delay = Delay(24, 0.8)
    late_share: float = 0.015
    late_delay_hours: tuple[float, float] = (48, 120)


@dataclass(frozen=True)
class Email:
    nurture_offsets_days: tuple[float, ...] = (1, 4, 8)
    nurture_names: tuple[str, ...] = ("Nurture 1", "Nurture 2", "Nurture 3")
    bad_mailbox_share: float = 0.02  # every mail to these bounces: 98% delivered
    # Open rate by engagement style (web-leaning, email-leaning): about 45% on average.
    nurture_open: tuple[float, float] = (0.30, 0.60)
    click_given_open: float = 0.30
    open_delay: Delay = Delay(2, 1.0)
    max_open_delay_hours: float = 60
    click_delay: Delay = Delay(0.03, 0.8)
    # PLANTED DRIVER: a nurture click multiplies the test-ride probability.
    driver_multiplier: float = 1.8
    # Expected follow-up with a hole: only 60% of Nurture 1 non-openers get the reminder.
    reminder_probability: float = 0.6
    reminder_window_hours: tuple[float, float] = (24, 72)
    reminder_open_factor: float = 0.5
    newsletter_first_send: str = "2026-01-08T16:00:00Z"
    newsletter_start_after_signup_days: float = 10
    newsletter_open: tuple[float, float] = (0.12, 0.45)
    newsletter_click_given_open: float = 0.12
    newsletter_open_delay: Delay = Delay(6, 1.0)
    unsubscribe_share: float = 0.01
    onboarding_offsets_days: tuple[float, ...] = (1, 7)
    onboarding_open: float = 0.60
    onboarding_click_given_open: float = 0.25


@dataclass(frozen=True)
class Support:
    ticket_share_after_order: float = 0.40
    ticket_delay: Delay = Delay(72, 0.8)
    comments: tuple[int, int] = (1, 4)
    comment_gap: Delay = Delay(4, 0.8)
    solve_after_last_comment: Delay = Delay(20, 0.8)
    rated_share: float = 0.70
    good_share: float = 0.80
    rating_comment_share: float = 0.40
    script_comment_share: float = 0.005


@dataclass(frozen=True)
class Surveys:
    intent_delay_hours: tuple[float, float] = (24, 72)
    intent_response: float = 0.35
    response_delay: Delay = Delay(4, 0.8)
    # PLANTED SAY-VS-DO GAP: intent groups (1-2, 3, 4-5) buy within the window at these rates.
    intent_window_days: float = 30
    intent_buy_rate: tuple[float, float, float] = (0.08, 0.20, 0.45)
    intent_mid_share: float = 0.25
    # Stated channel by engagement style (web-leaning, email-leaning), in PREFERRED_CHANNELS
    # order: 40% of those who say "Email" actually lean to the web.
    preferred_channel_p: tuple[tuple[float, ...], ...] = ((0.30, 0.08, 0.35, 0.12, 0.15),
                                                          (0.45, 0.12, 0.15, 0.13, 0.15))
    nps_after_order_days: float = 30
    nps_response: float = 0.40
    nps_bucket_share: tuple[float, float, float] = (0.45, 0.30, 0.25)  # promoter, passive, detr.
    repeat_given_nps_bucket: tuple[float, float, float] = (0.45, 0.25, 0.10)
    csat_after_order_days: float = 14
    csat_response: float = 0.25
    test_responses_per_file: int = 2


@dataclass(frozen=True)
class Identity:
    email_variant_p: tuple[float, ...] = (0.75, 0.10, 0.07, 0.08)  # as-is, Title, UPPER, padded
    zendesk_external_id_share: float = 0.90
    duplicate_contact_share_of_signups: float = 0.04
    duplicate_created: Delay = Delay(48, 0.8)
    duplicate_merged: Delay = Delay(120, 0.8)
    role_address_share: float = 0.005
    role_group_size: tuple[int, int] = (2, 4)
    kiosk_min_persons: int = 30
    kiosk_share_of_signups: float = 0.006
    store_visit_share: float = 0.15


@dataclass(frozen=True)
class Quirks:
    segment_duplicate_share: float = 0.005
    segment_bad_timestamp_per_file: int = 2
    segment_missing_message_id_per_file: int = 2
    sendgrid_duplicate_share: float = 0.03
    sendgrid_duplicate_same_file_share: float = 0.5
    sendgrid_late_share: float = 0.015
    sendgrid_capitalised_share: float = 0.02
    sendgrid_string_timestamp_share: float = 0.01
    sendgrid_truncated_per_file: int = 2
    zendesk_truncated_tickets_per_file: int = 1
    survey_short_rows_per_file: int = 2
    hubspot_bad_history_timestamps_per_file: int = 2


@dataclass(frozen=True)
class Model:
    funnel: Funnel = field(default_factory=Funnel)
    web: Web = field(default_factory=Web)
    email: Email = field(default_factory=Email)
    support: Support = field(default_factory=Support)
    surveys: Surveys = field(default_factory=Surveys)
    identity: Identity = field(default_factory=Identity)
    quirks: Quirks = field(default_factory=Quirks)

    def describe(self) -> dict:
        return {
            "company": COMPANY,
            "personas": list(PERSONAS),
            "stages": list(STAGES),
            "milestones": list(MILESTONES),
            "milestone_stage": dict(MILESTONE_STAGE),
            "endpoint": "first_order",
            "channels": list(CHANNELS),
            "planted_driver": {
                "milestone": "test_ride_booked",
                "touchpoint": "nurture email click",
                "multiplier": self.email.driver_multiplier,
            },
            **asdict(self),
        }


MODEL = Model()
