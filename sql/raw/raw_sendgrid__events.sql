-- Typed columns of raw_sendgrid__events, extracted from each event once, at load
-- (sql/raw/parse_sendgrid__events.sql), so stg_sendgrid__events never parses the record again.
alter table raw_sendgrid__events add column if not exists event varchar;
alter table raw_sendgrid__events add column if not exists bounce_type varchar;
alter table raw_sendgrid__events add column if not exists timestamp_raw varchar;
alter table raw_sendgrid__events add column if not exists email varchar;
alter table raw_sendgrid__events add column if not exists user_id varchar;
alter table raw_sendgrid__events add column if not exists sg_message_id varchar;
alter table raw_sendgrid__events add column if not exists marketing_campaign_id varchar;
alter table raw_sendgrid__events add column if not exists marketing_campaign_name varchar;
alter table raw_sendgrid__events add column if not exists url varchar;
alter table raw_sendgrid__events add column if not exists reason varchar;
alter table raw_sendgrid__events add column if not exists status varchar;
alter table raw_sendgrid__events add column if not exists category json;
alter table raw_sendgrid__events add column if not exists sg_machine_open json;
