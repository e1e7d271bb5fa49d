"""Andon prompts package."""
