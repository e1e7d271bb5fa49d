"""The unified quality event code list (defect taxonomy) shipped in ``data/defect_codes.yaml``.

``defects.defect_code`` in the reference schema holds one of these codes. The list is data:
this module only loads, validates and looks it up (it imports nothing from the rest of Andon).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

DEFECT_CODES_PATH = Path(__file__).resolve().parent / "data" / "defect_codes.yaml"

DefectCategory = Literal["dimensional", "appearance", "functional", "material"]


class DefectCode(BaseModel):
    """One quality event code with its names, category, processes and synonyms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_en: str
    name_zh: str
    category: DefectCategory
    processes: tuple[str, ...]
    detection_method: str
    synonyms_en: tuple[str, ...] = ()
    synonyms_zh: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        """The code, both names and every synonym: the words that mean this defect."""
        return (self.code, self.name_en, self.name_zh, *self.synonyms_en, *self.synonyms_zh)


class _DefectCodeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    codes: tuple[DefectCode, ...]


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return " ".join(folded.replace("_", " ").replace("-", " ").split())


@functools.cache
def _codes(path: Path) -> tuple[DefectCode, ...]:
    data = _DefectCodeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    seen: set[str] = set()
    for item in data.codes:
        if item.code in seen:
            raise ValueError(f"defect code {item.code!r} appears twice in {path}")
        seen.add(item.code)
    return data.codes


def load_defect_codes(path: Path | None = None) -> list[DefectCode]:
    """Every defect code of the unified list, in file order (cached after the first read)."""
    return list(_codes(path or DEFECT_CODES_PATH))


def defect_codes_by_code(path: Path | None = None) -> dict[str, DefectCode]:
    """The list keyed by ``code``."""
    return {item.code: item for item in _codes(path or DEFECT_CODES_PATH)}


def lookup_defect_code(text: str, path: Path | None = None) -> DefectCode | None:
    """The code a word names (code, English or Chinese name or synonym), or None.

    Matching ignores case, width, underscores and hyphens; it is exact, not fuzzy.
    """
    wanted = _normalize(text)
    for item in _codes(path or DEFECT_CODES_PATH):
        if any(_normalize(name) == wanted for name in item.all_names()):
            return item
    return None
