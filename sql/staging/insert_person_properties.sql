-- Add one generic source's persons to person_properties.
insert into person_properties by name
select * from stg_{{source}}__persons;
