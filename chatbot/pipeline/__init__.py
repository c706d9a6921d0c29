"""The assistant's own language work: triage, intents, retrieval, answer composition, medicines, dates."""
