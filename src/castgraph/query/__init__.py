"""The SPARQL query library, its parameters, and answers as bytes."""
