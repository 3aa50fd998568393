-- Drop the connection-local scratch tables of one build.
drop table if exists temp.identity_rule_blocked_values;
drop table if exists temp.identity_rule_hub_limits;
drop table if exists temp.identity_rule_priority;
drop table if exists temp.identity_link_observations;
drop table if exists temp.identity_event_raw_signatures;
drop table if exists temp.identity_event_signatures;
drop table if exists temp.identity_candidate_edges;
drop table if exists temp.identity_identifier_candidates;
drop table if exists temp.identity_edge_checks;
drop table if exists temp.identity_cc_nodes;
drop table if exists temp.identity_cc_edges;
drop table if exists temp.identity_cc_labels;
drop table if exists temp.identity_match_keys;
drop table if exists temp.identity_signature_customers;
drop table if exists temp.identity_customer_source_events;
