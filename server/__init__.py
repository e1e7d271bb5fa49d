"""Andon server package."""
