"""Intake of returned forms: discovery, safe containers, isolated reading, checks, collection."""
