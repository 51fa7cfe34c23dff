"""Checks of the built dataset: SHACL shapes and check queries, and their report."""
