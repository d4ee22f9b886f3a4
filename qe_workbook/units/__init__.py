"""The assessed units' side of the plan: self-evaluation packages, intake of what they send, evidence."""
