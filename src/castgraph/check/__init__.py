"""Checks of the built dataset: SHACL on a pyoxigraph store."""
