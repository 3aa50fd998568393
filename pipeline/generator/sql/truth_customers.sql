-- truth/customers.csv: one row per true person; times in UTC ISO-8601, empty when not reached.
select * replace (
    iso_z_ms(first_visit_at) as first_visit_at,
    iso_z_ms(signed_up_at) as signed_up_at,
    iso_z_ms(test_ride_booked_at) as test_ride_booked_at,
    iso_z_ms(test_ride_at) as test_ride_at,
    iso_z_ms(first_order_at) as first_order_at,
    iso_z_ms(repeat_order_at) as repeat_order_at,
    iso_z_ms(deal_lost_at) as deal_lost_at,
    iso_z_ms(merged_at) as merged_at,
    iso_z_ms(first_nurture_click_at) as first_nurture_click_at,
    iso_z_ms(unsubscribed_at) as unsubscribed_at,
    iso_z_ms(intent_responded_at) as intent_responded_at,
    iso_z_ms(nps_responded_at) as nps_responded_at,
    iso_z_ms(csat_responded_at) as csat_responded_at,
    iso_z_ms(ticket_at) as ticket_at,
    printf('%.2f', order_revenue) as order_revenue,
    printf('%.2f', repeat_revenue) as repeat_revenue
)
from rows
