"""The clause corpus (one YAML file per standard) and the topic mapping, shipped as package data."""
