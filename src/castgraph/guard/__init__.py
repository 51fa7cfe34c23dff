"""Guards that stand between hostile input and the parsers and engines that cannot defend themselves.

One module per job, none importing anything heavy at import time:

- ``inputs``: read only regular files, with the size cap applied while reading;
- ``nesting``: a linear pre-scan for nesting depth and over-long terms (Turtle family, JSON,
  RDF/XML, YAML, SPARQL), run before any parser that can crash, recurse or go quadratic;
- ``sparql``: classify a query by a real parse (rdflib's SPARQL grammar) and refuse SERVICE,
  updates, LOAD and FROM / FROM NAMED;
- ``deadline``: run a callable in a forked child that is killed at a deadline or on Ctrl-C;
- ``rdf_input``: parse an RDF file through all of the above, with a base IRI, into quads.

Every limit comes from ``castgraph.limits``; every refusal is a one-line ``InputError``.
"""
