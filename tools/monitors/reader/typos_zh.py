"""Chinese names typed with one wrong character: "粗造度" for 粗糙度, "壁后" for 壁厚.

A stretch of Chinese that no known word covers, as long as one of the plant's measure
names and differing from exactly one of them in a single character, is read as that name.
Two-character names are corrected only in their second character (a wrong first
character leaves too little to go on) and only right before a statistic or a comparator,
where a measure is expected ("壁后均值", "壁后大于"); never inside the common words listed in
vocabulary.yaml (``zh_not_typos``).
"""

from __future__ import annotations

import re

from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.vocabulary import load_vocabulary

_CJK = re.compile(r"[\u3400-\u9fff]+")


def correct_chinese(text: str, index: CatalogIndex) -> str:
    """``text`` with mistyped Chinese measure names replaced (see the module docstring)."""
    if not index.zh_names or _CJK.search(text) is None:
        return text
    covered = [False] * len(text)
    slots: set[int] = set()  # where a statistic or comparator starts
    for match in index.lexicon.find_in(text):
        for position in range(match.start, match.end):
            covered[position] = True
        if match.kinds & {"statistic", "comparator"}:
            slots.add(match.start)
    keep = load_vocabulary().zh_not_typos
    chars = list(text)
    for run in _CJK.finditer(text):
        position = run.start()
        while position < run.end():
            fixed = _fix_at(text, position, run.end(), covered, slots, index, keep)
            if fixed is None:
                position += 1
                continue
            chars[position:position + len(fixed)] = list(fixed)
            position += len(fixed)
    return "".join(chars)


def _fix_at(text: str, start: int, stop: int, covered: list[bool], slots: set[int],
            index: CatalogIndex, keep: frozenset[str]) -> str | None:
    for length in sorted(index.zh_names, reverse=True):
        end = start + length
        if end > stop or any(covered[start:end]) or (length == 2 and _slot_after(
                text, end, slots) is None):
            continue
        written = text[start:end]
        if any(word in text[max(0, start - 2):end + 2] for word in keep):
            continue
        forms = index.zh_names[length]
        close = [name for name in forms if _one_off(written, name)]
        if close and len({forms[name] for name in close}) == 1:
            return close[0]
    return None


def _slot_after(text: str, end: int, slots: set[int]) -> int | None:
    position = end + 1 if text[end:end + 1] == "的" else end
    return position if position in slots else None


def _one_off(written: str, name: str) -> bool:
    wrong = [i for i, (a, b) in enumerate(zip(written, name, strict=True)) if a != b]
    return len(wrong) == 1 and (len(name) > 2 or wrong[0] == 1)
