"""Chinese forms of the plant's English names, made from generic word translations
(name_words_zh.yaml): "Drive shaft" -> 驱动轴, "Sensor housing, small" -> 小传感器外壳,
"Stamping Line 1" -> 冲压一线 / 冲压1线 / 冲压线1. They extend the lexicon as the plant's own
terms, so a request may name a part or line in Chinese although the database names it in
English. A name gets forms only when every word of it has a translation."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tools.catalog import Catalog, Term
from tools.catalog.terms import TermKind

_WORDS_FILE = Path(__file__).with_name("name_words_zh.yaml")
_TOKEN = re.compile(r"[a-z]+|\d+")
_ZH_DIGITS = "零一二三四五六七八九"
_MAX_FORMS = 12
_SIZE = re.compile(r"(\d+)\s*-?\s*([a-z]+?)s?\b")


@cache
def _dictionary() -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    data = _data()
    return (_forms(data["words"]), frozenset(str(w) for w in data["skip"]),
            frozenset(str(w) for w in data["qualifiers"]))


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return data


def _forms(raw: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {str(k).casefold(): tuple(str(v) for v in forms) for k, forms in raw.items()}


def zh_forms(name: str) -> tuple[str, ...]:
    """Chinese spellings of an English name and of its shorter forms (without the part
    after a comma, without qualifiers, without a trailing size such as "12-pin"), or ()
    when a word has no translation."""
    _, _, qualifiers = _dictionary()
    head, _, tail = name.casefold().partition(",")
    bare = " ".join(t for t in _TOKEN.findall(head) if t not in qualifiers)
    sized = re.split(r"\s\d+\S*", head, maxsplit=1)[0] if "line" not in head else head
    variants = [_translate(tail) + _translate(head) if tail else _translate(head),
                _translate(head), _translate(bare), _translate(sized)]
    size = _SIZE.search(head)
    if size and "line" not in head:  # "Connector body 12-pin" -> 12针连接器本体
        written = _forms(_data()["sizes"]).get(size.group(2), ())
        spelled = [(f"{size.group(1)}{w}",) for w in written]
        variants += [[s, *_translate(sized)] for s in spelled]
        variants += [[*_translate(sized), s] for s in spelled]
    forms: list[str] = []
    for number, pieces in enumerate(variants):
        if not pieces or any(not p for p in pieces) or (number and len(pieces) < 2):
            continue
        forms.extend("".join(choice) for choice in itertools.islice(
            itertools.product(*pieces), _MAX_FORMS))
    return tuple(f for f in dict.fromkeys(forms) if len(f) >= 2 and not f.isdigit())


def zh_word_forms(name: str) -> tuple[str, ...]:
    """The Chinese forms of each word of an English name ("Sensor housing, large" -> 传感器,
    外壳, 壳体, 大, 大型), for telling parts apart by one word."""
    words, _, _ = _dictionary()
    return tuple(form for token in _TOKEN.findall(name.casefold())
                 for form in words.get(token, ()))


def _translate(text: str) -> list[tuple[str, ...]]:
    """One tuple of alternatives per word or phrase; an empty tuple marks an unknown word."""
    words, skip, _ = _dictionary()
    tokens = [t for t in _TOKEN.findall(text) if t not in skip]
    out: list[tuple[str, ...]] = []
    index = 0
    while index < len(tokens):
        pair = " ".join(tokens[index:index + 2])
        if index + 1 < len(tokens) and pair in words:
            out.append(words[pair])
            index += 2
            continue
        token = tokens[index]
        if token == "line" and index + 1 < len(tokens) and tokens[index + 1].isdigit():
            out.append(_numbered_line(tokens[index + 1]))
            index += 2
            continue
        before_line = _forms(_data()["before_line"]) if tokens[index + 1:index + 2] == [
            "line"] else {}
        out.append(before_line.get(token) or words.get(token, ()) if not token.isdigit()
                   else (token,))
        index += 1
    return _qualifiers_first(tokens, out)


def _numbered_line(number: str) -> tuple[str, ...]:
    forms = [f"{number}线", f"线{number}", f"{number}号线"]
    if len(number) == 1:
        forms[1:1] = [f"{_ZH_DIGITS[int(number)]}线", f"{_ZH_DIGITS[int(number)]}号线"]
    return tuple(forms)


def _qualifiers_first(tokens: list[str], pieces: list[tuple[str, ...]]
                      ) -> list[tuple[str, ...]]:
    _, _, qualifiers = _dictionary()
    if len(tokens) != len(pieces) or len(pieces) < 2 or tokens[-1] not in qualifiers:
        return pieces
    return [pieces[-1], *pieces[:-1]]


def zh_name_terms(catalog: Catalog) -> list[Term]:
    """The plant's part, line and supplier names in Chinese, as lexicon terms."""
    named: list[tuple[TermKind, str, str]] = [
        *(("part", p.part_id, p.name) for p in catalog.parts),
        *(("line", ln.line_id, ln.name) for ln in catalog.lines),
    ]
    out: list[Term] = []
    for kind, key, name in named:
        for form in zh_forms(name):
            out.append(Term(text=form, concept=key, kind=kind, language="zh",
                            source="catalog"))
    return out
