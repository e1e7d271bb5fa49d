"""Chinese spellings of the plant's romanised supplier and machine names.

A database often writes "Baoshan Strip Steel Co." or "Haitian Mars II 160" while the
engineer types 宝山带钢 or 海天注塑机. A Chinese word names such an entity when it spells
the first word of its name: through its pinyin (宝山 -> baoshan, 海天 -> haitian) or
through the usual Chinese name of a well-known maker or place (恩格尔 -> Engel, 关东 ->
Kanto; ``foreign_names_zh.yaml``). The words after it are taken in when they spell more
of the name or a company suffix (宝山**带钢有限公司**).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tools.monitors.reader.index import CatalogIndex, NamedThing
from tools.monitors.reader.names import NameHit

_FILE = Path(__file__).with_name("foreign_names_zh.yaml")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LONGEST = 6   # characters of one Chinese name word


@cache
def _forms() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Chinese form -> romanised words (makers and places); romanised word -> Chinese
    forms (company words); company suffixes, longest first."""
    data: dict[str, Any] = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    heads: dict[str, list[str]] = defaultdict(list)
    for section in ("makers", "places"):
        for word, forms in data[section].items():
            for form in forms or ():
                heads[str(form)].append(str(word).casefold())
    words = {str(w).casefold(): tuple(str(f) for f in forms or ())
             for w, forms in data["words"].items()}
    for section in ("makers", "places"):
        for word, forms in data[section].items():
            words.setdefault(str(word).casefold(), tuple(str(f) for f in forms or ()))
    suffixes = tuple(sorted((str(s) for s in data["suffixes"]), key=len, reverse=True))
    return {k: tuple(v) for k, v in heads.items()}, words, suffixes


def find_zh_entity_names(text: str, index: CatalogIndex) -> list[NameHit]:
    """Supplier and machine names written in Chinese in ``text`` (see the module
    docstring), in order."""
    heads = index.romanised_heads
    if not heads or not _CJK_RUN.search(text):
        return []
    from pypinyin import lazy_pinyin  # a large dictionary: loaded on the first Chinese name

    hits: list[NameHit] = []
    for run in _CJK_RUN.finditer(text):
        chars = run.group(0)
        syllables = lazy_pinyin(chars)
        position = 0
        while position < len(chars):
            found = _name_at(chars, syllables, position, heads)
            if found is None:
                position += 1
                continue
            end, things = found
            end = _taken_in(chars, end, things)
            kinds = [t.kind for t in things]
            kind = max(set(kinds), key=kinds.count)
            keys = tuple(dict.fromkeys(t.key for t in things if t.kind == kind))
            start = run.start() + position
            hits.append(NameHit(start=start, end=run.start() + end,
                                text=text[start:run.start() + end], kind=kind, keys=keys))
            position = end
    return hits


def _name_at(chars: str, syllables: list[str], position: int,
             heads: dict[str, tuple[NamedThing, ...]]
             ) -> tuple[int, tuple[NamedThing, ...]] | None:
    spelled, _, _ = _forms()
    for length in range(min(_LONGEST, len(chars) - position), 1, -1):
        piece = chars[position:position + length]
        words = [*spelled.get(piece, ()), "".join(syllables[position:position + length])]
        things = tuple(t for w in words for t in heads.get(w, ()))
        if things:
            return position + length, things
    return None


def _taken_in(chars: str, end: int, things: tuple[NamedThing, ...]) -> int:
    """Past the matched head: Chinese forms of the names' later words, then a suffix."""
    _, words, suffixes = _forms()
    later = sorted({form for thing in things for word in thing.words[1:]
                    for form in words.get(word, ())}, key=len, reverse=True)
    moved = True
    while moved:
        moved = False
        for form in later:
            if chars.startswith(form, end):
                end += len(form)
                moved = True
                break
    for suffix in suffixes:
        if chars.startswith(suffix, end):
            return end + len(suffix)
    return end
