"""Andon agents package."""
