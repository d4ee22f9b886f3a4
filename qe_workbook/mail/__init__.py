"""The office mailbox: fetching returns with their receipt times, chasing by e-mail."""
