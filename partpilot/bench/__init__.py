"""Benchmarks of the assembled application (HTTP API and channel webhooks); each writes a JSON report.
Benchmarks of one layer live with it: `agent/bench.py`, `knowledge/bench_search.py`."""
