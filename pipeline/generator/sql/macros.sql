-- Formatting macros for the export writers. Times arrive as epoch milliseconds (UTC) plus, where
-- a vendor writes local time, the UTC offset in minutes computed in clock.py.
create or replace macro offset_suffix(off_min) as
    case when off_min < 0 then '-' else '+' end
    || lpad((abs(off_min) // 60)::varchar, 2, '0') || ':'
    || lpad((abs(off_min) % 60)::varchar, 2, '0');

-- 2026-03-04T06:07:08.123+01:00 (device clocks, Segment)
create or replace macro iso_offset_ms(ms, off_min) as
    strftime(epoch_ms(ms + off_min * 60000), '%Y-%m-%dT%H:%M:%S.%g') || offset_suffix(off_min);

-- 2026-03-04T06:07:08-05:00 (the point-of-sale tool)
create or replace macro iso_offset_s(ms, off_min) as
    strftime(epoch_ms(ms + off_min * 60000), '%Y-%m-%dT%H:%M:%S') || offset_suffix(off_min);

-- 2026-03-04T05:06:07.123Z (Segment receivedAt)
create or replace macro iso_z_ms(ms) as strftime(epoch_ms(ms), '%Y-%m-%dT%H:%M:%S.%gZ');

-- 2026-03-04T05:06:07Z (Zendesk)
create or replace macro iso_z(ms) as strftime(epoch_ms(ms), '%Y-%m-%dT%H:%M:%SZ');

-- Naive local wall-clock times (HubSpot UI exports, the survey tool).
create or replace macro local_minute(ms, off_min) as
    strftime(epoch_ms(ms + off_min * 60000), '%Y-%m-%d %H:%M');
create or replace macro local_second(ms, off_min) as
    strftime(epoch_ms(ms + off_min * 60000), '%Y-%m-%d %H:%M:%S');

-- RFC 4180 field: quoted only when it has to be (and when edge spaces must survive).
create or replace macro csv_field(v) as
    case
        when v is null then ''
        when regexp_matches(v, '[",\r\n]|^\s|\s$') then '"' || replace(v, '"', '""') || '"'
        else v
    end;

-- JSON Merge Patch (RFC 7386) onto {} removes every null member, nested ones included, so
-- optional vendor fields are absent rather than null.
create or replace macro drop_nulls(j) as json_merge_patch('{}', j);
