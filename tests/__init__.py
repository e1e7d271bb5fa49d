"""Andon tests package."""
