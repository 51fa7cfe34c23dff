"""Checks of the built dataset: SHACL shapes (on the store; pyshacl as the reference) and check queries."""
