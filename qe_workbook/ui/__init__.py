"""`qe ui`: the office's local page over the workspace library (Flask + Jinja2, served on 127.0.0.1 only)."""
