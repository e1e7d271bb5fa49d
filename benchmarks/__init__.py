"""Andon benchmarks package."""
