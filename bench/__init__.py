"""Benchmarks (bench/README.md): `make bench` runs bench/run.py."""
