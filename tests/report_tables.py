"""Tiny hand-made tables in the shapes of /work/notes/CONTRACT.md, for report tests that must not
depend on another layer's numbers.

The map: Awareness -> Consideration -> Purchase; 12 persona customers, 10 of them started a
journey; furthest milestones 1,1,1,1,2,2,2,3,3,3 -> reached M1 10, M2 6 (60 % of 10),
M3 3 (50 % of 6). Touchpoint `visit` was had by 10 of 12 customers = 83 %.
"""

from __future__ import annotations

import duckdb

MAP_ID = "shop_as_is"


def create_map_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("""
    create or replace table journey_maps as
    select * from (values
        ('shop_as_is', 'as_is', 'Shop & co — as drawn', 'Shopper', null::varchar, 1209600,
         'maps/x.yaml')
    ) t(map_id, kind, title, persona_name, ideal_of, window_seconds, file);

    create or replace table map_stages as
    select * from (values
        ('shop_as_is', 'Awareness', 1, false, false),
        ('shop_as_is', 'Consideration', 2, false, false),
        ('shop_as_is', 'Purchase', 3, false, false)
    ) t(map_id, stage, stage_index, optional, repeatable);

    create or replace table map_touchpoints as
    select * from (values
        ('shop_as_is', 'visit', 'Visits the shop site', 'Awareness', 1, 'marketing', 'web', 0, false),
        ('shop_as_is', 'newsletter', 'Reads the newsletter', 'Awareness', 1, 'marketing', 'email', 0, false),
        ('shop_as_is', 'sign_up', 'Creates an account', 'Consideration', 2, 'marketing', 'web', 0, false),
        ('shop_as_is', 'call', 'Gets a sales call', 'Consideration', 2, 'sales', 'phone', 0, false),
        ('shop_as_is', 'order', 'Places an order', 'Purchase', 3, 'sales', 'web', 0, false),
        ('shop_as_is', 'ticket', 'Opens a ticket', 'Purchase', 3, 'support', 'email', 0, false)
    ) t(map_id, touchpoint_id, label, stage, stage_index, department, channel, priority, required);

    create or replace table map_milestones as
    select * from (values
        ('shop_as_is', 1, 'first_visit', 'visit', 1, false, null),
        ('shop_as_is', 2, 'signed_up', 'sign_up', 1, false, null),
        ('shop_as_is', 3, 'first_order', 'order', 1, true, null)
    ) t(map_id, milestone_index, milestone_id, touchpoint_id, occurrence, is_endpoint,
        window_seconds);

    -- journey_events: visit 10 customers (25 events), newsletter 4, sign_up 6, order 3 (4
    -- events), ticket 1; the sales call has none (unmeasured).
    create or replace table journey_events as
    with counts(touchpoint_id, n_customers, n_events) as (values
        ('visit', 10, 25), ('newsletter', 4, 6), ('sign_up', 6, 6), ('order', 3, 4),
        ('ticket', 1, 1)
    )
    select
        'shop_as_is' as map_id,
        'c' || (1 + e % n_customers) as customer_id,
        touchpoint_id || '-' || e as event_key,
        timestamp '2026-10-01 09:00' + to_hours(e) as occurred_at,
        touchpoint_id,
    from counts, range(n_events) t(e);

    create or replace table map_coverage_unmeasured as
    select 'shop_as_is' as map_id, 'call' as touchpoint_id, 'Gets a sales call' as label,
        'Consideration' as stage, 'sales' as department, 'phone' as channel,
        0 as n_rule_matches, 'no event matches its rule' as reason;

    create or replace table map_coverage_unmapped as
    select * from (values
        ('shop_as_is', 'hubspot', 'crm.deal_lost', 7, 5, 7 / 49, ['Lost <b>deal</b>'],
         timestamp '2026-10-01', timestamp '2026-10-20'),
        ('shop_as_is', 'segment', 'web.page_viewed', 5, 4, 5 / 49,
         ['Account', 'Careers', 'FAQ', 'Jobs', 'Press', 'Stores'],
         timestamp '2026-10-01', timestamp '2026-10-30')
    ) t(map_id, source_system, event_type, n_events, n_customers, share_of_events, event_names,
        first_seen_at, last_seen_at);

    create or replace table map_coverage_overlaps as
    select 'shop_as_is' as map_id, ['visit', 'newsletter'] as matched_touchpoints,
        'visit' as assigned_touchpoint, 3 as n_events, 'visit-1' as example_event_key;

    create or replace table customer_journeys as
    select
        'shop_as_is' as map_id,
        'c' || i as customer_id,
        'Shopper' as persona,
        case when i <= 10 then timestamp '2026-10-01 09:00' + to_days(i) end as journey_start_at,
        case when i <= 10 then [1, 1, 1, 1, 2, 2, 2, 3, 3, 3][i] else 0 end as furthest_milestone,
        i in (8, 9, 10) as endpoint_reached,
        false as in_progress,
    from range(1, 13) t(i);
    """)


def create_funnel_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Funnel-layer tables for the same map, in the shapes the funnels layer writes.

    Week-over-week, week of 2026-10-12 vs 2026-10-05 (mature cohorts):
      step 1 first_visit -> signed_up:  30/50 = 60 % vs 33/50 = 66 %, q 0.60 (not significant)
      step 2 signed_up -> first_order:  6/30 = 20 % vs 15/33 = 45 %, q 0.04 (significant)
      persona Rider, step 2: 1/10 = 10 % vs 8/12 = 67 %, q 0.03 (significant)
    """
    create_map_tables(conn)
    conn.execute("""
    create or replace table fct_funnel_week_over_week as
    select * from (values
        ('shop_as_is', 'all', '', date '2026-10-05', 1, 'signed_up', 50, 33, 0.66,
         null::date, null, null, null::double,
         null::double, null::double, null::double, null::boolean,
         null::date, null, null, null::double,
         null::double, null::double, null::double, null::boolean),
        ('shop_as_is', 'all', '', date '2026-10-12', 1, 'signed_up', 50, 30, 0.60,
         date '2026-10-05', 50, 33, 0.66, -0.06, 0.55, 0.60, false,
         date '2026-10-05', 50, 33, 0.66, -0.06, 0.55, 0.60, false),
        ('shop_as_is', 'all', '', date '2026-10-12', 2, 'first_order', 30, 6, 0.20,
         date '2026-10-05', 33, 15, 15 / 33, 0.20 - 15 / 33, 0.02, 0.04, true,
         date '2026-10-05', 33, 15, 15 / 33, 0.20 - 15 / 33, 0.02, 0.04, true),
        ('shop_as_is', 'persona', 'Rider', date '2026-10-12', 2, 'first_order', 10, 1, 0.10,
         date '2026-10-05', 12, 8, 8 / 12, 0.10 - 8 / 12, 0.01, 0.03, true,
         date '2026-10-05', 12, 8, 8 / 12, 0.10 - 8 / 12, 0.01, 0.03, true)
    ) t(map_id, dimension, segment, entry_week, step_index, milestone_id, entered, converted, rate,
        previous_week, previous_entered, previous_converted, previous_rate, change_vs_previous,
        p_vs_previous, q_vs_previous, significant_vs_previous,
        high_water_week, high_water_entered, high_water_converted, high_water_rate,
        change_vs_high_water, p_vs_high_water, q_vs_high_water, significant_vs_high_water);

    create or replace table fct_milestone_funnels as
    select * from (values
        ('shop_as_is', 'all', '', 0, 1, 'first_visit', 'Awareness', 100, 1.0, null, null, null,
         90, null, 0, null),
        ('shop_as_is', 'all', '', 1, 2, 'signed_up', 'Consideration', 60, 0.6, 0.6, 0.5, 0.69,
         55, 0.61, 5, 86400.0),
        ('shop_as_is', 'all', '', 2, 3, 'first_order', 'Purchase', 21, 0.21, 0.35, 0.24, 0.48,
         20, 0.36, 4, 172800.0),
        ('shop_as_is', 'persona', 'Rider', 0, 1, 'first_visit', 'Awareness', 40, 1.0, null,
         null, null, 40, null, 0, null),
        ('shop_as_is', 'persona', 'Rider', 1, 2, 'signed_up', 'Consideration', 20, 0.5, 0.5,
         0.35, 0.65, 20, 0.5, 0, 90000.0),
        ('shop_as_is', 'persona', 'Rider', 2, 3, 'first_order', 'Purchase', 4, 0.1, 0.2, 0.08,
         0.42, 4, 0.2, 0, 180000.0),
        ('shop_as_is', 'persona', 'Walker', 0, 1, 'first_visit', 'Awareness', 60, 1.0, null,
         null, null, 50, null, 0, null),
        ('shop_as_is', 'persona', 'Walker', 1, 2, 'signed_up', 'Consideration', 40, 0.667,
         0.667, 0.54, 0.77, 35, 0.7, 5, 80000.0),
        ('shop_as_is', 'persona', 'Walker', 2, 3, 'first_order', 'Purchase', 17, 0.283, 0.425,
         0.28, 0.58, 16, 0.46, 4, 170000.0),
        ('shop_as_is', 'first_touch_channel', 'web', 0, 1, 'first_visit', 'Awareness', 100,
         1.0, null, null, null, 90, null, 0, null),
        ('shop_as_is', 'first_touch_channel', 'web', 1, 2, 'signed_up', 'Consideration', 60,
         0.6, 0.6, 0.5, 0.69, 55, 0.61, 5, 86400.0),
        ('shop_as_is', 'first_touch_channel', 'web', 2, 3, 'first_order', 'Purchase', 21,
         0.21, 0.35, 0.24, 0.48, 20, 0.36, 4, 172800.0)
    ) t(map_id, dimension, segment, step_index, milestone_index, milestone_id, stage, persons,
        conversion_from_start, conversion_from_previous, conversion_from_previous_low,
        conversion_from_previous_high, mature_persons, mature_conversion_from_previous,
        in_progress, median_seconds);

    -- Step 0: 100 entered = 60 went on + 5 in progress + 35 dropped; step 1: 60 = 21 + 4 + 35.
    create or replace table fct_dropoff_weekly as
    select *, progressed + dropped as closed, dropped / nullif(progressed + dropped, 0) as drop_off_rate,
        0.0 as drop_off_rate_low, 1.0 as drop_off_rate_high
    from (values
        ('shop_as_is', null::date, 0, 'first_visit', 'signed_up', 'Awareness', 100, 60, 5, 35),
        ('shop_as_is', null::date, 1, 'signed_up', 'first_order', 'Consideration', 60, 21, 4, 35),
        ('shop_as_is', date '2026-10-05', 0, 'first_visit', 'signed_up', 'Awareness', 50, 33, 0, 17),
        ('shop_as_is', date '2026-10-05', 1, 'signed_up', 'first_order', 'Consideration', 33, 15, 0, 18),
        ('shop_as_is', date '2026-10-12', 0, 'first_visit', 'signed_up', 'Awareness', 50, 27, 5, 18),
        ('shop_as_is', date '2026-10-12', 1, 'signed_up', 'first_order', 'Consideration', 27, 6, 4, 17)
    ) t(map_id, entry_week, step_index, milestone_id, next_milestone_id, stage, entered,
        progressed, in_progress, dropped);

    create or replace table fct_dropoff_last_touchpoints as
    select * from (values
        ('shop_as_is', null::date, 0, 'visit', 30, 30 / 35, 1),
        ('shop_as_is', null::date, 0, 'newsletter', 5, 5 / 35, 2),
        ('shop_as_is', null::date, 1, 'sign_up', 35, 1.0, 1)
    ) t(map_id, entry_week, step_index, touchpoint_id, persons, share, rank);

    create or replace table fct_dropoff_next_steps as
    select * from (values
        ('shop_as_is', null::date, 0, 'touchpoint', '(nothing)', 20, 20 / 35, 1),
        ('shop_as_is', null::date, 0, 'touchpoint', 'newsletter', 15, 15 / 35, 2),
        ('shop_as_is', null::date, 1, 'touchpoint', 'ticket', 35, 1.0, 1),
        ('shop_as_is', null::date, 1, 'event_type', 'support.ticket_created', 35, 1.0, 1)
    ) t(map_id, entry_week, step_index, kind, value, persons, share, rank);
    """)

    # Kaplan-Meier, all customers. Signed up: 30 of 100 at risk on day 1 (S = 0.7), 20 of 60
    # on day 3 (S = 0.7 * 40/60 = 0.4667: half are there by day 3), 10 of 35 on day 7
    # (S = 0.4667 * 25/35 = 0.3333). First order: 10 of 100 on day 2 (S = 0.9), 11 of 45 on
    # day 5 (S = 0.9 * 34/45 = 0.68).
    conn.execute("""
    create or replace table fct_time_to_milestone as
    select *, 1 - survival as cumulative_conversion,
        1 - survival - 0.05 as cumulative_conversion_low,
        1 - survival + 0.05 as cumulative_conversion_high
    from (values
        ('shop_as_is', 'all', '', 1, 2, 'signed_up', 86400.0, 100, 30, 0, 0.7),
        ('shop_as_is', 'all', '', 1, 2, 'signed_up', 259200.0, 60, 20, 2, 0.7 * 40 / 60),
        ('shop_as_is', 'all', '', 1, 2, 'signed_up', 604800.0, 35, 10, 1, 1 / 3),
        ('shop_as_is', 'all', '', 2, 3, 'first_order', 172800.0, 100, 10, 0, 0.9),
        ('shop_as_is', 'all', '', 2, 3, 'first_order', 432000.0, 45, 11, 3, 0.68)
    ) t(map_id, dimension, segment, step_index, milestone_index, milestone_id, seconds,
        at_risk, conversions, censored, survival);

    create or replace table fct_time_to_milestone_summary as
    select * from (values
        ('shop_as_is', 'all', '', 1, 2, 'signed_up', 100, 60, 5, 0.6, 2 / 3, 0.58, 0.74,
         259200.0),
        ('shop_as_is', 'all', '', 2, 3, 'first_order', 100, 21, 4, 0.21, 0.32, 0.24, 0.40,
         null)
    ) t(map_id, dimension, segment, step_index, milestone_index, milestone_id, entrants,
        converted, in_progress, conversion_to_date, km_conversion, km_conversion_low,
        km_conversion_high, km_median_seconds);
    """)


def create_say_do_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Say-vs-do tables in the conformance layer's shapes.

    intent: 40 said, 5 not due, 35 judged, 14 did -> 40 %, gap 21.
    promoters: 12 said, 12 judged, 9 did -> 75 %, a small group (< 30).
    CSAT in Onboarding: satisfied 20 judged, 8 went on -> 12 satisfied but stalled.
    Stated email: 10 customers, 6 engaged mostly by email, 4 on web; stated web: 5, all web.
    """
    create_map_tables(conn)
    conn.execute("""
    create or replace table say_vs_do as
    select * from (values
        ('shop_as_is', 'intent', 'Says they will buy <soon>', 'all', '', 40, 5, 35, 14,
         0.4, 0.26, 0.56, 21, 0.6, false),
        ('shop_as_is', 'promoters', 'Promoters order again', 'all', '', 12, 0, 12, 9,
         0.75, 0.47, 0.91, 3, 0.25, true),
        ('shop_as_is', 'intent', 'Says they will buy <soon>', 'persona', 'Rider', 20, 2, 18, 5,
         5 / 18, 0.12, 0.5, 13, 13 / 18, true)
    ) t(map_id, claim_id, label, grouping, group_value, said, open, judged, did, rate, rate_low,
        rate_high, gap, gap_rate, small_group);

    create or replace table claim_calibration as
    select * from (values
        ('shop_as_is', 'intent', 1.0, false, 20, 0, 1, 0.05, 0.01, 0.24),
        ('shop_as_is', 'intent', 3.0, false, 20, 0, 4, 0.2, 0.08, 0.42),
        ('shop_as_is', 'intent', 5.0, true, 35, 5, 14, 0.4, 0.26, 0.56),
        ('shop_as_is', 'promoters', 9.0, true, 12, 0, 9, 0.75, 0.47, 0.91)
    ) t(map_id, claim_id, score, in_say_range, respondents, open, behaved, rate, rate_low,
        rate_high);

    create or replace table csat_vs_progression as
    select * from (values
        ('shop_as_is', 'Purchase', true, 22, 20, 8, 0.4, 0.22, 0.61, 12, true),
        ('shop_as_is', 'Purchase', false, 6, 6, 1, 1 / 6, 0.03, 0.56, 0, true),
        ('shop_as_is', 'Awareness', true, 3, 0, 0, null, null, null, 0, true)
    ) t(map_id, stage, satisfied, answers, judged, progressed, progression_rate,
        progression_rate_low, progression_rate_high, satisfied_but_stalled, small_group);

    create or replace table say_vs_do_gap_customers as
    select 'shop_as_is' as map_id, 'intent' as claim_id, 'c1' as customer_id,
        timestamp '2026-10-20 10:00' as said_at;

    -- c1's intent answer, with markup and an address in the comment; a support message of
    -- theirs with a name, which the report must not show.
    create or replace table events as
    select * from (values
        ('e1', timestamp '2026-10-20 10:00', 'survey.response_submitted', 'Purchase intent',
         5.0, '<script>window.__pwned = 1</script> mail me: jo.doe@example.com'),
        ('e2', timestamp '2026-10-21 10:00', 'support.message_sent', 'comment', null,
         'Hi Jo Doe, thanks!')
    ) t(event_key, occurred_at, event_type, event_name_raw, score, text);

    create or replace table event_customers as
    select * from (values ('e1', 'c1'), ('e2', 'c1')) t(event_key, customer_id);

    create or replace table stated_vs_actual_channel as
    select * from (values
        ('shop_as_is', 'Email', 'email', 6, 0.6, true),
        ('shop_as_is', 'Email', 'web', 4, 0.4, false),
        ('shop_as_is', 'Web', 'web', 5, 1.0, true)
    ) t(map_id, stated_channel, engaged_channel, customers, share_of_stated, matches_stated);
    """)


def create_attribution_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Attribution-layer tables in its shapes. 10 conversions; each model's credits add to 10:
    first touch all to visit; last touch 7 order + 3 sign_up; linear 4/3/3; markov 5/3/2."""
    create_map_tables(conn)
    conn.execute("""
    create or replace table fct_attribution_credits as
    select map_id, level, grain, persona, month, model, label, credit, n_conversions,
        credit / n_conversions as credit_share, 1 as group_id
    from (values
        ('shop_as_is', 'touchpoint', 'all', null, null, 'first_touch', 'visit', 10.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'last_touch', 'order', 7.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'last_touch', 'sign_up', 3.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'linear', 'visit', 4.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'linear', 'sign_up', 3.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'linear', 'order', 3.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'markov', 'visit', 5.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'markov', 'sign_up', 3.0, 10),
        ('shop_as_is', 'touchpoint', 'all', null, null, 'markov', 'order', 2.0, 10),
        ('shop_as_is', 'channel', 'all', null, null, 'markov', 'web', 8.0, 10),
        ('shop_as_is', 'channel', 'all', null, null, 'markov', 'email', 2.0, 10),
        ('shop_as_is', 'channel', 'all', null, null, 'linear', 'web', 9.0, 10),
        ('shop_as_is', 'channel', 'all', null, null, 'linear', 'email', 1.0, 10),
        ('shop_as_is', 'touchpoint', 'persona', 'Rider', null, 'markov', 'visit', 3.0, 4),
        ('shop_as_is', 'touchpoint', 'persona', 'Rider', null, 'markov', 'order', 1.0, 4),
        ('shop_as_is', 'touchpoint', 'persona', 'Walker', null, 'markov', 'sign_up', 6.0, 6)
    ) t(map_id, level, grain, persona, month, model, label, credit, n_conversions);

    create or replace table fct_attribution_removal_effects as
    select * from (values
        ('shop_as_is', 'touchpoint', 'all', null, null, 1, 'visit', 0.5, 0.0, 1.0, 0.5),
        ('shop_as_is', 'touchpoint', 'all', null, null, 1, 'sign_up', 0.5, 0.2, 0.6, 0.3),
        ('shop_as_is', 'touchpoint', 'all', null, null, 1, 'order', 0.5, 0.3, 0.4, 0.2)
    ) t(map_id, level, grain, persona, month, group_id, label, conversion_probability,
        conversion_probability_without, removal_effect, credit_share);

    create or replace table fct_branches as
    select * from (values
        ('shop_as_is', 'email', 'Nurture 1', 'nurture_1', 'clicked', 20, 20, 20, 5.0, 20, 8,
         0.2, 0.4, 0.22, 0.61),
        ('shop_as_is', 'email', 'Nurture 1', 'nurture_1', 'nothing', 80, 80, 10, 30.0, 80, 8,
         0.8, 0.1, 0.05, 0.19)
    ) t(map_id, anchor_kind, anchor_label, anchor_touchpoint_id, outcome, n_anchors,
        n_customers, n_with_next_touch, median_hours_to_next_touch, n_conversion_eligible,
        n_converted, outcome_share, conversion_rate, conversion_rate_low, conversion_rate_high);

    create or replace table fct_opportunity_steps as
    select * from (values
        ('shop_as_is', 3, 'first_order', 'all', 60, 21, 0.35, 0.8, 'target', 'map', 0.5, 7.2, 1),
        ('shop_as_is', 2, 'signed_up', 'all', 100, 60, 0.6, 0.35, 'target', 'map', 0.6, 0.0, 2)
    ) t(map_id, milestone_index, milestone_id, population, n_entered, n_converted, rate,
        downstream_rate, benchmark, benchmark_group, benchmark_rate, extra_conversions, rank);
    """)


def create_conformance_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Conformance-layer tables for an ideal copy of the map, `shop_ideal`: Consideration is
    required, Purchase repeatable. Touchpoint moves and the ideal's verdict:
      visit -> sign_up   8  Awareness -> Consideration: expected
      newsletter -> visit 5 within Awareness: expected
      visit -> order     3  skips the required Consideration: unexpected
      order -> sign_up   2  back into Consideration, not repeatable: unexpected
      order -> ticket    1  within Purchase: expected
    Targets: into signed_up 70 % (actual 60 %, 2 more at the endpoint if met); into
    first_order 40 % (actual 50 %, met). Follow-up visit -> sign_up within 3 d: 6 of 10 done.
    """
    create_map_tables(conn)
    conn.execute("""
    insert into journey_maps values
        ('shop_ideal', 'ideal', 'Shop — the ideal', 'Shopper', 'shop_as_is', 1209600, 'i.yaml');
    insert into map_stages values
        ('shop_ideal', 'Awareness', 1, false, false),
        ('shop_ideal', 'Consideration', 2, false, false),
        ('shop_ideal', 'Purchase', 3, false, true);
    insert into map_touchpoints
        select 'shop_ideal', * exclude (map_id, required), touchpoint_id = 'sign_up'
        from map_touchpoints where map_id = 'shop_as_is';
    insert into map_milestones
        select 'shop_ideal', * exclude (map_id) from map_milestones where map_id = 'shop_as_is';
    insert into journey_events
        select 'shop_ideal', * exclude (map_id) from journey_events where map_id = 'shop_as_is';
    insert into customer_journeys
        select 'shop_ideal', * exclude (map_id) from customer_journeys where map_id = 'shop_as_is';

    create or replace table map_follow_ups as
    select 'shop_ideal' as map_id, 'signup_nudge' as follow_up_id,
        'Visitors who skip the newsletter are nudged to sign up' as label,
        'visit' as after_touchpoint, 'newsletter' as unless_touchpoint,
        'sign_up' as expect_touchpoint, 259200 as within_seconds;

    create or replace table follow_up_summary as
    select 'shop_ideal' as map_id, 'signup_nudge' as follow_up_id, 'x' as label, 14 as n_after,
        2 as n_not_needed, 2 as n_not_due, 10 as n_due, 6 as n_done, 4 as n_missing,
        4 as n_customers_missing, 0.6 as done_rate, 0.31 as done_rate_low,
        0.83 as done_rate_high;

    create or replace table conformance_summary as
    select 'shop_ideal' as map_id, 12 as n_journeys, 10 as n_closed, 2 as n_in_progress,
        4 as n_variants, 0.82 as log_fitness, 0.85 as average_fitness,
        0.5 as perfectly_fitting_share;

    create or replace table conformance_by_week as
    select * from (values
        ('shop_ideal', date '2026-10-05', 6, 0.78, 0.8, 0.5),
        ('shop_ideal', date '2026-10-12', 4, 0.88, 0.9, 0.5)
    ) t(map_id, entry_week, n_closed, log_fitness, average_fitness, perfectly_fitting_share);

    create or replace table conformance_deviations as
    select * from (values
        ('shop_ideal', 'skipped_stage', 'Consideration', 3, 0.3, 1),
        ('shop_ideal', 'looped_back', 'Consideration', 2, 0.2, 2)
    ) t(map_id, kind, subject, n_journeys, share_of_closed, deviation_rank);

    create or replace table conformance_touchpoint_dfg as
    select * from (values
        ('shop_ideal', 'visit', 'sign_up', 8, 3600.0),
        ('shop_ideal', 'newsletter', 'visit', 5, 7200.0),
        ('shop_ideal', 'visit', 'order', 3, 86400.0),
        ('shop_ideal', 'order', 'sign_up', 2, 172800.0),
        ('shop_ideal', 'order', 'ticket', 1, 600.0),
        ('shop_ideal', 'visit', 'visit', 9, 60.0)
    ) t(map_id, from_touchpoint, to_touchpoint, n_transitions, median_seconds);

    create or replace table step_targets as
    select * from (values
        ('shop_ideal', 2, 'signed_up', 10, 0, 6, 0.6, 0.31, 0.83, 0.7, -0.1, 90000.0, 172800.0,
         -82800.0, 1.0, 2.0, 1),
        ('shop_ideal', 3, 'first_order', 6, 0, 3, 0.5, 0.19, 0.81, 0.4, 0.1, 180000.0, 259200.0,
         -79200.0, 0.0, 0.0, 2)
    ) t(map_id, milestone_index, milestone_id, entered, open, converted, conversion_rate,
        conversion_rate_low, conversion_rate_high, target_rate, conversion_gap, median_seconds,
        target_median_seconds, median_gap_seconds, lost_vs_target, extra_endpoint_if_met,
        impact_rank);

    create or replace table department_handoffs as
    select * from (values
        ('shop_ideal', 'department', 'marketing', 'sales', null, null, 6, 5, 7200.0, 5, 2,
         0.4, 0.12, 0.77, 1),
        ('shop_ideal', 'department', 'sales', 'support', null, null, 1, 1, 600.0, 1, 0,
         0.0, 0.0, 0.79, 2),
        ('shop_ideal', 'touchpoint', 'marketing', 'sales', 'sign_up', 'order', 6, 5, 7200.0, 5, 2,
         0.4, 0.12, 0.77, 1)
    ) t(map_id, level, from_department, to_department, from_touchpoint, to_touchpoint,
        n_handoffs, n_customers, median_latency_seconds, at_risk, dropped, drop_rate,
        drop_rate_low, drop_rate_high, handoff_rank);
    """)
