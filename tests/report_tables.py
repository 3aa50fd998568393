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
        ('shop_as_is', 'as_is', 'Shop & co — as drawn', 'Shopper', null, 1209600, 'maps/x.yaml')
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
