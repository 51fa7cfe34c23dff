"""Exports of the dataset: RDF formats, JSON-LD and CSV tables."""
