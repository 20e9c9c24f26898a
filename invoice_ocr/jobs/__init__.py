"""Async jobs: accepted documents read page by page behind synchronous requests, their
state and results stored (SQLite, or Redis for several replicas), webhooks when they
finish. The HTTP side is `api/routes/jobs.py`; nothing here imports `api/`."""
