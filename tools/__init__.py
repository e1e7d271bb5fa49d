"""Andon tools package."""
