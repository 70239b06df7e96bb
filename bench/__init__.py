"""Benchmarks: ``python -m bench <name>``; ``python -m bench`` lists them."""
