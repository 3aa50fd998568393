-- Expected follow-up: Nurture 1 non-openers who got the reminder within 3 days.
select
    count_if(reminder_eligible = 'true') as non_openers,
    count_if(got_reminder = 'true') as got_reminder,
    round(count_if(got_reminder = 'true') / nullif(count_if(reminder_eligible = 'true'), 0), 4)
        as rate
from truth_customers
