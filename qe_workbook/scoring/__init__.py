"""Scoring: exact amounts, the master frame and unit totals, grades and ranks."""
