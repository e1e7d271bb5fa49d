"""Andon vision package."""
