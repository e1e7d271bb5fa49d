"""Andon evals package."""
