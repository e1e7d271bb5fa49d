"""Andon knowledge_graph package."""
