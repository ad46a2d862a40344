"""Benchmarks of issue 5 §2: `make bench` runs bench/run.py."""
