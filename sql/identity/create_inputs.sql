-- The two identity inputs besides events (export-formats.md §3), created empty if missing.
-- identity_links: links no single event shows (HubSpot merged vids, Zendesk user to email).
create table if not exists identity_links (
    a_type                  varchar not null,
    a_value                 varchar not null,
    b_type                  varchar not null,
    b_value                 varchar not null,
    edge_kind               varchar not null,
    source_system           varchar not null,
    evidence_event_key      varchar,
    observed_at             timestamp
);

-- person_properties: person attributes (persona, lifecycle stage) keyed by one identifier.
create table if not exists person_properties (
    identifier_type         varchar not null,
    identifier_value        varchar not null,
    source_system           varchar not null,
    properties              json,
    observed_at             timestamp
);
