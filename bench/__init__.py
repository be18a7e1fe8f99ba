"""Benchmarks and evaluations: commands, never tests."""
