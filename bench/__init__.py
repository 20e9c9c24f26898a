"""Benchmarks: scripts that print tables. Run from the repository root: `python -m bench.NAME`."""
