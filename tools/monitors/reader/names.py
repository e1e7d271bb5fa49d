"""Names as people type them: typos corrected, ids in any spelling, names cut short.

- ``correct_spelling``: a word the reader does not know, one edit away (two for long
  words) from exactly one word it knows, is taken as that word ("wieght" -> "weight",
  "housng" -> "housing"); a five-letter word only into a word that names something
  ("torqe" -> "torque", but "valve" is not "value"). Short words, ids and numbers are left
  alone.
- ``find_ids``: id-like tokens ("P100", "p-100", "S-6"?) matched to catalog ids without
  case or separators, and id-shaped tokens that match nothing (for a precise refusal).
- ``find_names``: a multi-word name written in part ("sensor housing" for "Sensor housing,
  small" and "Sensor housing, large"; "Kanto Resin" for a supplier).
"""

from __future__ import annotations

import functools
import re

from pydantic import BaseModel, ConfigDict

from tools.monitors.reader.index import (
    ID_KINDS,
    CatalogIndex,
    NamedThing,
    id_shape,
    singular,
    squash,
)

_ASCII_WORD = re.compile(r"(?<![\w#@.\-])[A-Za-z]+(?:'[a-z]+)?(?![\w@\-])", re.ASCII)
_ID = re.compile(r"(?<![\w#@.])[A-Za-z][A-Za-z0-9]*(?:[-_/.][A-Za-z0-9]+)*(?![\w@])", re.ASCII)
_NAME_WORD = re.compile(r"[A-Za-z0-9]+")
_GLUE = re.compile(r"[\s,-]*")
# size words people use for the one a name uses ("the big sensor housing": "..., large")
SAME_SIZE = {"big": "large", "bigger": "large", "huge": "large", "little": "small",
              "tiny": "small", "smaller": "small", "larger": "large"}
_JOINER = re.compile(r"[\s,-]{1,3}")
_MIN_TYPO_LENGTH = 5
_SHORT_WORD = 5  # typos this short are corrected only into naming words (index.name_words)
_ID_FORM = re.compile(r"[A-Za-z]{1,4}-\d{2,}[A-Za-z]?", re.ASCII)
_KIND_WORDS = {"line": ("line", "产线", "线体"), "machine": ("machine", "press", "机台", "设备"),
               "tool": ("tool", "mold", "mould", "die", "fixture", "模具", "工装"),
               "supplier": ("supplier", "vendor", "供应商"),
               "part": ("part", "part number", "零件", "料号", "产品")}


class IdHit(BaseModel):
    """An id-like token and the catalog ids it names (empty: unknown, ``kind`` guessed)."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    kind: str | None
    keys: tuple[str, ...]


class NameHit(BaseModel):
    """A (possibly partial) multi-word name and the entities of one kind it names."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    kind: str
    keys: tuple[str, ...]


# -- typos -----------------------------------------------------------------------------
def correct_spelling(text: str, index: CatalogIndex) -> str:
    """``text`` with unknown words replaced by their one close known word."""
    out: list[str] = []
    pos = 0
    for match in _ASCII_WORD.finditer(text):
        word = match.group(0).casefold()
        if len(word) < _MIN_TYPO_LENGTH or "'" in word or index.known_word(word):
            continue
        fixed = _closest(word, index)
        if fixed is None:
            continue
        out.append(text[pos:match.start()])
        out.append(fixed)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _closest(word: str, index: CatalogIndex) -> str | None:
    limit = 1 if len(word) < 8 else 2
    best: list[str] = []
    best_distance = limit + 1
    for candidate in index.spelling.get(word[:1], frozenset()):
        if abs(len(candidate) - len(word)) > limit or len(candidate) < 4:
            continue
        if len(word) <= _SHORT_WORD and candidate not in index.name_words:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance > limit:
            continue
        if distance < best_distance:
            best, best_distance = [candidate], distance
        elif distance == best_distance:
            best.append(candidate)
    return best[0] if len(best) == 1 else None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (adjacent swaps count one), or ``limit + 1``
    as soon as it is certain to exceed ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# -- ids -------------------------------------------------------------------------------
def find_ids(text: str, index: CatalogIndex) -> list[IdHit]:
    """Tokens that look like ids (a letter first, a digit somewhere): the catalog ids they
    name, or, when they name none but look like one kind's ids, that kind with no keys."""
    hits: list[IdHit] = []
    for match in _ID.finditer(text):
        token = match.group(0).rstrip(".")
        if not any(c.isdigit() for c in token):
            continue
        found = index.squashed_ids.get(squash(token), ())
        if found:
            kinds = {kind for kind, _ in found}
            kind = next(k for k in ID_KINDS if k in kinds)
            keys = tuple(key for k, key in found if k == kind)
            hits.append(IdHit(start=match.start(), end=match.start() + len(token),
                              text=token, kind=kind, keys=keys))
            continue
        shape = id_shape(token)
        kinds_like = [k for k in ID_KINDS if shape and shape in index.id_shapes.get(k, ())]
        named = _kind_named_before(text, match.start())
        if len(kinds_like) == 1 or (not kinds_like and (named or _ID_FORM.fullmatch(token))):
            kind = kinds_like[0] if kinds_like else named or "part"
            hits.append(IdHit(start=match.start(), end=match.start() + len(token),
                              text=token, kind=kind, keys=()))
    return hits


def _kind_named_before(text: str, start: int) -> str | None:
    """The kind of thing an id is, from the word right before it ("line X-9")."""
    before = text[max(0, start - 16):start].casefold().rstrip(" :#")
    for kind, words in _KIND_WORDS.items():
        if any(before.endswith(w) for w in words):
            return kind
    return None


# -- names written in part ---------------------------------------------------------------
def find_names(text: str, index: CatalogIndex) -> list[NameHit]:
    """Names of parts, suppliers, lines, machines, tools and materials written whole or as
    their first words; the longest reading at each place wins, and a reading shared by
    several entities of one kind names all of them."""
    words = [(singular(m.group(0).casefold()), m.start(), m.end())
             for m in _NAME_WORD.finditer(text)]
    hits: list[NameHit] = []
    position = 0
    while position < len(words):
        best_length, best = 0, []
        for thing in index.names:
            length = max(_prefix_length(words, position, thing.words),
                         _reordered_length(text, words, position, thing.words))
            if length == 0 or not _distinctive(words[position:position + length], thing,
                                               length, index):
                continue
            if length > best_length:
                best_length, best = length, [thing]
            elif length == best_length:
                best.append(thing)
        if best_length == 0:
            position += 1
            continue
        kinds = [t.kind for t in best]
        kind = max(set(kinds), key=kinds.count)
        best = [t for t in best if t.kind == kind]
        first, last = position, position + best_length - 1
        if len(best) > 1:
            best, first, last = _narrowed(words, hits, best, first, last, index)
        else:
            first, last = _grown(text, words, hits, best[0], first, last,
                                 index.generic_words)
        start, end = words[first][1], words[last][2]
        keys = tuple(dict.fromkeys(t.key for t in best))
        hits.append(NameHit(start=start, end=end, text=text[start:end], kind=kind, keys=keys))
        position = last + 1
    return hits


def _narrowed(words: list[tuple[str, int, int]], hits: list[NameHit], best: list[NamedThing],
              first: int, last: int,
              index: CatalogIndex) -> tuple[list[NamedThing], int, int]:
    """A partial name shared by several entities, with a word right before or after it
    that only some of their names hold ("the small sensor housing" for "Sensor housing,
    small"): those entities, and the stretch grown to take the word in."""
    taken = hits[-1].end if hits else -1  # hits are in order; keep clear of the last one
    for neighbour in (first - 1, last + 1):
        if not 0 <= neighbour < len(words) or words[neighbour][1] < taken:
            continue
        word = words[neighbour][0]
        if word.isdigit() or len(word) < 3:
            continue
        word = SAME_SIZE.get(word, word)
        holding = [t for t in best if word in {singular(w) for w in t.words}]
        if holding and len(holding) < len(best):
            return holding, min(first, neighbour), max(last, neighbour)
    return best, first, last


def _grown(text: str, words: list[tuple[str, int, int]], hits: list[NameHit],
           thing: NamedThing, first: int, last: int,
           generic: frozenset[str]) -> tuple[int, int]:
    """The stretch grown over neighbouring words of the same name written in another
    order: "12-pin connector body" for "Connector body 12-pin" (not over generic words:
    "the Schuler press force" keeps "press force")."""
    taken = hits[-1].end if hits else -1
    own = set(_singular_forms(thing.words))

    def joins(inner: int, outer: int) -> bool:
        """``outer`` is a word of the name right next to ``inner``, not yet taken in."""
        left, right = sorted((inner, outer))
        return (_GLUE.fullmatch(text[words[left][2]:words[right][1]]) is not None
                and words[outer][0] in own and words[outer][0] not in generic
                and words[outer][0] not in {w for w, _, _ in words[first:last + 1]})

    while first > 0 and words[first - 1][1] > taken and joins(first, first - 1):
        first -= 1
    while last + 1 < len(words) and joins(last, last + 1):
        last += 1
    return first, last


def _prefix_length(words: list[tuple[str, int, int]], position: int,
                   name: tuple[str, ...]) -> int:
    forms = _singular_forms(name)
    length = 0
    while (length < len(forms) and position + length < len(words)
           and words[position + length][0] == forms[length]):
        length += 1
    return length


@functools.lru_cache(maxsize=4096)
def _singular_forms(name: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(singular(w) for w in name)


@functools.lru_cache(maxsize=4096)
def _singular_words(name: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_singular_forms(name))


def _reordered_length(text: str, words: list[tuple[str, int, int]], position: int,
                      name: tuple[str, ...]) -> int:
    """Words of a name written in another order ("press-hardened support bracket" for
    "Heavy support bracket, press hardened"): the run of at least two different words from
    ``position`` that all belong to the name."""
    own = _singular_words(name)
    if words[position][0] not in own:
        return 0
    seen: set[str] = set()
    length = 0
    while position + length < len(words):
        word, start, _ = words[position + length]
        joined = length == 0 or _JOINER.fullmatch(text[words[position + length - 1][2]:start])
        if word.isdigit() or word not in own or word in seen or not joined:
            break
        seen.add(word)
        length += 1
    return length if length >= 2 else 0


def _distinctive(matched: list[tuple[str, int, int]], thing: NamedThing, length: int,
                 index: CatalogIndex) -> bool:
    """A whole name always counts; a part of one needs a word that is not generic
    vocabulary, and one word alone counts only for a supplier ("Kanto") or as a machine's
    maker ("the Engel press": the first word of "Engel victory 200")."""
    kind = thing.kind
    if length == len(thing.words):
        return length > 1 or thing.words[0] not in index.generic_words
    distinct = [w for w, _, _ in matched if w not in index.generic_words and not w.isdigit()]
    if not distinct:
        return False
    return length >= 2 or (kind in ("supplier", "machine") and len(distinct[0]) >= 4) \
        or (kind == "material" and _grade_code(distinct[0]))


def _grade_code(word: str) -> bool:
    """A material grade written alone ("30MnB5", "42CrMo4"): letters and digits mixed."""
    return len(word) >= 4 and any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
