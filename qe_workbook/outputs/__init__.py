"""Outputs of a run: the run folder, master.xlsx, charts and plain exports."""
