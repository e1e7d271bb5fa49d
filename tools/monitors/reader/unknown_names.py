"""Supplier and machine names the plant does not have ("lots from supplier Acme",
"供应商华丰塑胶的来料", "住友注塑机"): refused with the names it does have, never dropped.

A monitor scoped to a supplier or machine the reader could not find would watch every
supplier or machine instead, silently; so a name written where a supplier or machine is
named (``entity_cues.yaml``) must be one the tokens read, or the request is refused.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tools.catalog import Catalog
from tools.errors import UnknownPart
from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import load_vocabulary

_FILE = Path(__file__).with_name("entity_cues.yaml")
_KINDS = ("supplier", "machine")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\w&.-]+")
_SHOWN = 6


class _Cues:
    def __init__(self, data: dict[str, Any]) -> None:
        self.english = {k: [re.compile(p) for p in data[k]["en"]] for k in _KINDS}
        self.after = {k: tuple(data[k]["after"]) for k in _KINDS}
        self.before = {k: tuple(data[k]["before"]) for k in _KINDS}
        self.stop = {k: tuple(sorted(data[k]["stop"], key=len, reverse=True)) for k in _KINDS}
        self.not_en = frozenset(str(w).casefold() for w in data["not_names"]["en"])
        self.not_zh = frozenset(str(w) for w in data["not_names"]["zh"])


@cache
def _cues() -> _Cues:
    return _Cues(yaml.safe_load(_FILE.read_text(encoding="utf-8")))


def refuse_unknown_entity_names(text: str, tokens: list[Token], index: CatalogIndex,
                                catalog: Catalog) -> None:
    """Raise ``UnknownPart`` (kind supplier or machine) for a name written where a supplier
    or machine is named that no token read (see the module docstring)."""
    covered = [False] * len(text)
    for token in tokens:
        for position in range(token.start, min(token.end, len(text))):
            covered[position] = True
    for kind in _KINDS:
        said = _english_name(text, covered, kind, index) or _chinese_name(text, covered, kind)
        if said:
            _refuse(said, kind, catalog)


def _english_name(text: str, covered: list[bool], kind: str, index: CatalogIndex) -> str:
    cues = _cues()
    for pattern in cues.english[kind]:
        for match in pattern.finditer(text):
            words: list[str] = []
            for word in _WORD.finditer(text, match.start("name"), match.end("name")):
                folded = word.group(0).casefold().strip(".-")
                if any(covered[word.start():word.end()]) or folded in cues.not_en \
                        or any(c.isdigit() for c in folded) or index.known_word(folded) \
                        or folded in load_vocabulary().common_words or len(folded) < 2:
                    break
                words.append(word.group(0))
            if words:
                return " ".join(words)
    return ""


def _chinese_name(text: str, covered: list[bool], kind: str) -> str:
    cues = _cues()
    for cue in cues.after[kind]:
        for match in re.finditer(re.escape(cue), text):
            end = start = match.end()
            while end < len(text) and not covered[end] and _CJK.match(text[end]) \
                    and not text.startswith(cues.stop[kind], end):
                end += 1
            name = _cleaned(text[start:end])
            if name:
                return name
    for cue in cues.before[kind]:
        for match in re.finditer(re.escape(cue), text):
            start = end = match.start()
            while start > 0 and not covered[start - 1] and _CJK.match(text[start - 1]):
                start -= 1
            name = _cleaned(text[start:end])
            if name:
                return name
    return ""


def _cleaned(run: str) -> str:
    """The run without function characters and modifiers at its ends; empty when what
    is left is not a name."""
    vocabulary = load_vocabulary()
    function = vocabulary.zh_function_chars
    for _ in range(2):
        run = run.strip("".join(function))
        for word in vocabulary.zh_modifiers:
            if run.startswith(word):
                run = run[len(word):]
            if run.endswith(word):
                run = run[:-len(word)]
    return "" if len(run) < 2 or run in _cues().not_zh else run


def _refuse(said: str, kind: str, catalog: Catalog) -> None:
    known = ([(s.supplier_id, s.name) for s in catalog.suppliers] if kind == "supplier"
             else [(m.machine_id, m.name) for m in catalog.machines])
    listed = ", ".join(f"{key} ({name})" for key, name in known[:_SHOWN])
    more = f" and {len(known) - _SHOWN} more" if len(known) > _SHOWN else ""
    raise UnknownPart(f"this plant has no {kind} called {said!r}; its {kind}s are "
                      f"{listed or 'not recorded'}{more}", kind=kind,
                      suggestions=[key for key, _ in known][:_SHOWN])
