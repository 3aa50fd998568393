-- truth/identifiers.csv: identifiers owned by exactly one person, and whether the exports hold
-- evidence linking each to the person's other identifiers (pipeline/generator/truth.py).
select identifier_type, identifier_value, person_id, linkable from rows
