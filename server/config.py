"""Configuration, read once at the edge (environment and command-line) and passed inward.

Only this package reads the environment. Everything below it receives a `Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field

DEMO_DB_NAME = "plant.duckdb"
# A backtest returns every alert: the role's largest row cap, not the interactive default.
BACKTEST_ROW_CAP = 100_000


class Settings(BaseModel):
    """Everything Andon's interfaces need to know about their surroundings."""

    home: Path = Field(description="Where Andon keeps its embedded demo plant and state.")
    db_url: str | None = Field(default=None, description="Plant database URL; None = demo plant.")
    mapping_path: Path | None = Field(default=None, description="YAML table mapping, if any.")
    role: str = "engineer"
    row_cap: int = 1000
    query_timeout_s: float = 30.0
    host: str = "127.0.0.1"
    port: int = 8700
    demo_seed: int = 7
    demo_months: int = 6
    vision_url: str | None = Field(default=None, description="URL of a running vision "
                                   "service; None = inspect in-process")
    vision_model: Path | None = Field(default=None, description="Vision model folder; None = "
                                      "the shipped demo model")

    @property
    def demo_db_path(self) -> Path:
        return self.home / DEMO_DB_NAME

    @property
    def demo_db_url(self) -> str:
        return f"duckdb:///{self.demo_db_path}"

    @property
    def uses_demo_plant(self) -> bool:
        return self.db_url is None

    @property
    def effective_db_url(self) -> str:
        return self.db_url or self.demo_db_url


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from ``ANDON_*`` environment variables, then explicit overrides."""
    env = os.environ if env is None else env
    home = Path(env.get("ANDON_HOME") or Path.home() / ".andon").expanduser()
    values: dict[str, object] = {"home": home}
    if env.get("ANDON_DB"):
        values["db_url"] = env["ANDON_DB"]
    if env.get("ANDON_MAPPING"):
        values["mapping_path"] = Path(env["ANDON_MAPPING"])
    for key, name in (("host", "ANDON_HOST"), ("port", "ANDON_PORT"),
                      ("row_cap", "ANDON_ROW_CAP"), ("role", "ANDON_ROLE"),
                      ("vision_url", "ANDON_VISION_URL"),
                      ("vision_model", "ANDON_VISION_MODEL")):
        if env.get(name):
            values[key] = env[name]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings.model_validate(values)
