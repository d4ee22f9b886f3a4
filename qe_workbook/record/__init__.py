"""The record of an assessment year: key backup, check codes on forms, approval stages, the archive."""
