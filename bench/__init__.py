"""Benchmarks: `make bench` (python -m bench). Numbers, not assertions; see bench/README.md."""
