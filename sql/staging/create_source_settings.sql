-- Settings of configured sources that the staging views need as data (never spliced into SQL).
create table if not exists source_settings (
    source              varchar primary key,
    kind                varchar not null,
    person_id_type      varchar,
    event_type_prefix   varchar,
    category            varchar,
    channel             varchar
);

insert or replace into source_settings
values ($source, $kind, $person_id_type, $event_type_prefix, $category, $channel);
