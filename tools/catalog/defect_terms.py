"""Defect words from the project's unified defect code list (knowledge_graph), as terms.

The code list lives in ``knowledge_graph/data/defect_codes.yaml`` with its loader
``knowledge_graph.defect_codes.load_defect_codes``. This reader is deliberately tolerant:
it takes each entry's code plus every string found under keys that hold names or
synonyms (``name``, ``name_en``, ``zh``, ``synonyms``...), and yields nothing, without
failing, when the list is absent or unreadable.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tools.catalog.terms import Term, language_of

_NAME_TOKENS = {"name", "names", "synonym", "synonyms", "alias", "aliases", "label", "labels",
                "term", "terms", "en", "zh", "english", "chinese", "cn"}
_SKIP_TOKENS = {"description", "descriptions", "category", "process", "processes", "cause",
                "causes", "action", "actions", "note", "notes", "method", "methods"}


def _as_dict(entry: Any) -> dict[str, Any] | None:
    if isinstance(entry, dict):
        return entry
    if hasattr(entry, "model_dump"):
        dumped = entry.model_dump()
        return dumped if isinstance(dumped, dict) else None
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        return dataclasses.asdict(entry)
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.strip():
            yield value.strip()
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _strings(item)


def _entries_from(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("codes", "defect_codes", "defects", "items"):
            if isinstance(data.get(key), list | dict):
                return _entries_from(data[key])
        # {CODE: {...}} form
        return [dict(v, code=k) if isinstance(v, dict) else {"code": k, "name": v}
                for k, v in data.items() if k != "version"]
    return []


def _raw_entries(path: Path | None) -> list[Any]:
    if path is None:
        try:
            module = importlib.import_module("knowledge_graph.defect_codes")
            loaded = module.load_defect_codes()
            return list(loaded.values()) if isinstance(loaded, dict) else list(loaded)
        except Exception:  # an absent or unfinished loader must not break the lexicon
            pass
        try:
            resource = resources.files("knowledge_graph").joinpath("data/defect_codes.yaml")
            if not resource.is_file():
                return []
            text = resource.read_text(encoding="utf-8")
        except (OSError, ModuleNotFoundError):
            return []
    else:
        if not path.is_file():
            return []
        text = path.read_text(encoding="utf-8")
    try:
        return _entries_from(yaml.safe_load(text))
    except yaml.YAMLError:
        return []


def defect_terms(path: Path | None = None) -> list[Term]:
    """Terms for every defect code: the code itself and each name or synonym, language
    told by script. ``path`` overrides the knowledge graph's own list (tests)."""
    terms: list[Term] = []
    for raw in _raw_entries(path):
        entry = _as_dict(raw)
        if not entry:
            continue
        code = entry.get("code") or entry.get("id")
        if not isinstance(code, str) or not code.strip():
            continue
        code = code.strip()
        texts = [code, *_name_strings(entry)]
        terms.extend(Term(text=t, concept=code, kind="defect", language=language_of(t),
                          source="defect_codes") for t in _unique(texts))
    return terms


def _name_strings(entry: dict[str, Any]) -> Iterator[str]:
    for key, value in entry.items():
        tokens = set(str(key).lower().split("_"))
        if tokens & _SKIP_TOKENS or not tokens & _NAME_TOKENS:
            continue
        yield from _strings(value)


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        seen.setdefault(text, None)
    return list(seen)
