-- truth/identifiers.csv: identifiers owned by exactly one person.
select identifier_type, identifier_value, person_id from rows
