"""Funnels with PostHog's semantics: a spec, a DuckDB front end, and a compiled attempt kernel.

`spec` validates a funnel definition, `matching` turns its steps into SQL over an events relation,
`kernel` runs the per-person attempt state machine over sorted arrays, and `engine` ties them
together and aggregates the result in DuckDB. The ad-hoc command and the pipeline both call
`engine.run_funnel`, so there is one implementation of the semantics.
"""
