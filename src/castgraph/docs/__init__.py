"""HTML documentation of the ontology and the shapes."""
