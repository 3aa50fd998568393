-- Typed columns of raw_segment__events, extracted from each message once, at load
-- (sql/raw/parse_segment__events.sql), so stg_segment__events never parses the record again.
alter table raw_segment__events add column if not exists message_type varchar;
alter table raw_segment__events add column if not exists track_event varchar;
alter table raw_segment__events add column if not exists page_name varchar;
alter table raw_segment__events add column if not exists timestamp_raw varchar;
alter table raw_segment__events add column if not exists received_at timestamp;
alter table raw_segment__events add column if not exists user_id varchar;
alter table raw_segment__events add column if not exists anonymous_id varchar;
alter table raw_segment__events add column if not exists email_raw varchar;
alter table raw_segment__events add column if not exists page_url varchar;
alter table raw_segment__events add column if not exists page_referrer varchar;
alter table raw_segment__events add column if not exists campaign_name varchar;
alter table raw_segment__events add column if not exists campaign_source varchar;
alter table raw_segment__events add column if not exists campaign_medium varchar;
alter table raw_segment__events add column if not exists campaign_term varchar;
alter table raw_segment__events add column if not exists campaign_content varchar;
alter table raw_segment__events add column if not exists properties json;
