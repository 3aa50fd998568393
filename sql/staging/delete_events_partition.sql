-- Remove the weeks about to be rebuilt, so re-running a week gives the same table.
delete from events
where event_week >= $first_week and event_week < $end_week;
