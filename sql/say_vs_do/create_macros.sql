-- Engagement: what the customer did, as opposed to what the company sent them. Sends and
-- deliveries are the company's acts; opens, clicks, visits, answers, orders are the customer's.
create or replace macro is_engagement(event_type) as
    event_type not in ('email.sent', 'email.processed', 'email.delivered', 'email.deferred',
                       'email.bounced', 'email.dropped');
