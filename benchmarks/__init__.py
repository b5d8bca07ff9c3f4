"""Benchmarks of kg: a synthetic news corpus with gold events, synthetic graphs, and the runner."""
