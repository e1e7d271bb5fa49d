"""What the reader needs to know about one plant, computed once per catalog and cached.

``catalog_index(catalog, lexicon)`` gathers the plant's names in the shapes the reader
looks them up in: the lexicon extended with the plant's own names, units of every
characteristic per part, ids without their separators ("p100" for P-100), the word lists
of multi-word names (for "sensor housing" or "Kanto" standing for a longer name), and the
spelling vocabulary used to correct typos ("wieght").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from tools.catalog import Catalog, Lexicon, Term
from tools.catalog.terms import normalize_text
from tools.monitors.reader.index_forms import generic_heads, with_aliases, zh_names
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.reader.zh_name_forms import zh_name_terms

_CACHE_SIZE = 8
_cache: OrderedDict[tuple[int, int], tuple[Catalog, Lexicon, CatalogIndex]] = OrderedDict()
_lock = threading.Lock()
_WORDS = re.compile(r"[a-z0-9]+")
ID_KINDS = ("part", "line", "machine", "tool", "supplier")


def squash(text: str) -> str:
    """An id or name without case, spaces or punctuation ('P-100' and 'p100' agree)."""
    return "".join(_WORDS.findall(text.casefold()))


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.casefold()))


def id_shape(text: str) -> str:
    """The letters before the first digit of an id ('LN-IM1' -> 'ln-im'); what ids of one
    kind usually share."""
    match = re.match(r"[^\d]*", text.casefold())
    return match.group(0) if match else ""


class NamedThing(BaseModel):
    """A multi-word name of a catalog entity, for partial and typo-tolerant matching."""

    model_config = ConfigDict(frozen=True)

    kind: str
    key: str
    words: tuple[str, ...]


class CatalogIndex(BaseModel):
    """Lookups over one catalog (see the module docstring)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    lexicon: Lexicon
    characteristic_units: dict[str, dict[str, str]]
    parameter_units: dict[str, str | None]
    parameter_parts: dict[str, tuple[str, ...]]
    inspection_units: dict[str, str | None]
    defect_codes: frozenset[str]
    families: frozenset[str]
    processes: frozenset[str]
    part_family: dict[str, str]
    part_processes: dict[str, tuple[str, ...]]
    part_material: dict[str, str]
    part_names: dict[str, str]
    supplier_names: dict[str, str]
    squashed_ids: dict[str, tuple[tuple[str, str], ...]]
    id_shapes: dict[str, frozenset[str]]
    names: tuple[NamedThing, ...]
    spelling: dict[str, frozenset[str]]
    generic_words: frozenset[str]
    names_by_measure: dict[str, dict[str, str]]
    zh_names: dict[int, dict[str, str]] = {}
    name_words: frozenset[str] = frozenset()
    generic_heads: dict[str, dict[str, tuple[str, ...]]] = {}
    romanised_heads: dict[str, tuple[NamedThing, ...]] = {}

    def parts_with_characteristic(self, name: str) -> tuple[str, ...]:
        return tuple(sorted(self.characteristic_units.get(name, {})))

    def catalog_name(self, measure: str, concept: str) -> str | None:
        """The plant's spelling of a characteristic, parameter, inspection item or defect
        code (``SHORT_SHOT`` for the lexicon's ``short_shot``), or None."""
        return self.names_by_measure[measure].get(normalize_text(concept))

    def known_word(self, word: str) -> bool:
        return word in self.spelling.get(word[:1], frozenset())


def catalog_index(catalog: Catalog, lexicon: Lexicon | None = None) -> CatalogIndex:
    """The index of ``catalog`` read with ``lexicon`` (the shipped one by default), cached
    for the last few catalog objects."""
    base = lexicon or Lexicon.load()
    key = (id(catalog), id(base))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is catalog and hit[1] is base:
            _cache.move_to_end(key)
            return hit[2]
    index = _build(catalog, base)
    with _lock:
        _cache[key] = (catalog, base, index)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def _build(catalog: Catalog, base: Lexicon) -> CatalogIndex:
    own = [*catalog.terms(), *zh_name_terms(catalog)]
    lexicon = base.extended([*own, *_plurals([*base.terms, *own])])
    units: dict[str, dict[str, str]] = defaultdict(dict)
    for c in catalog.characteristics:
        units[c.name][c.part_id] = c.unit
    squashed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    shapes: dict[str, set[str]] = defaultdict(set)
    names: list[NamedThing] = []
    entities: dict[str, list[tuple[str, str]]] = {
        "part": [(p.part_id, p.name) for p in catalog.parts],
        "line": [(ln.line_id, ln.name) for ln in catalog.lines],
        "machine": [(m.machine_id, m.name) for m in catalog.machines],
        "tool": [(t.tool_id, t.name) for t in catalog.tools],
        "supplier": [(s.supplier_id, s.name) for s in catalog.suppliers],
    }
    for kind, pairs in entities.items():
        for key, name in pairs:
            squashed[squash(key)].append((kind, key))
            shapes[kind].add(id_shape(key))
            if len(words_of(name)) >= 1:
                names.append(NamedThing(kind=kind, key=key, words=words_of(name)))
    for material in catalog.materials:
        names.append(NamedThing(kind="material", key=material.name,
                                words=words_of(material.name)))
    by_measure = {
        "characteristic": _by_norm(units),
        "parameter": _by_norm(p.name for p in catalog.parameters),
        "incoming": _by_norm(i.name for i in catalog.inspection_characteristics),
        "defect_code": _by_norm(d.code for d in catalog.defect_codes),
    }
    aliased = with_aliases(lexicon, by_measure)
    generic = _generic_words(base)
    return CatalogIndex(
        lexicon=lexicon,
        characteristic_units={k: dict(v) for k, v in units.items()},
        parameter_units={p.name: p.unit for p in catalog.parameters},
        parameter_parts={p.name: tuple(p.part_ids) for p in catalog.parameters},
        inspection_units={i.name: i.unit for i in catalog.inspection_characteristics},
        defect_codes=frozenset(d.code for d in catalog.defect_codes),
        families=frozenset(catalog.families()),
        processes=frozenset(catalog.processes()),
        part_family={p.part_id: p.family for p in catalog.parts},
        part_processes={p.part_id: tuple(p.processes) for p in catalog.parts},
        part_material={p.part_id: p.material for p in catalog.parts},
        part_names={p.part_id: p.name for p in catalog.parts},
        supplier_names={s.supplier_id: s.name for s in catalog.suppliers},
        squashed_ids={k: tuple(v) for k, v in squashed.items()},
        id_shapes={k: frozenset(v) for k, v in shapes.items()},
        names=tuple(names),
        spelling=_spelling(lexicon, names),
        name_words=_name_words(lexicon, names),
        generic_words=generic,
        names_by_measure=aliased,
        zh_names=zh_names(lexicon, by_measure),
        generic_heads=generic_heads(lexicon, aliased),
        romanised_heads=_romanised_heads(names, generic),
    )


_ROMANISED_KINDS = ("supplier", "machine")
_MIN_HEAD = 4  # letters: shorter romanised words collide with everyday pinyin syllables


def _romanised_heads(names: list[NamedThing], generic: frozenset[str]
                     ) -> dict[str, tuple[NamedThing, ...]]:
    """The first word of each romanised supplier and machine name ("baoshan", "engel"),
    and who carries it: what a Chinese spelling of the name is matched against."""
    found: dict[str, list[NamedThing]] = defaultdict(list)
    for thing in names:
        head = thing.words[0] if thing.words else ""
        if thing.kind in _ROMANISED_KINDS and head.isascii() and head.isalpha() \
                and len(head) >= _MIN_HEAD and head not in generic:
            found[head].append(thing)
    return {k: tuple(v) for k, v in found.items()}


def _by_norm(names: Iterable[str]) -> dict[str, str]:
    return {normalize_text(name): name for name in names}


_PLURAL_KINDS = frozenset({"defect", "family", "characteristic", "parameter",
                           "inspection_characteristic"})


def _plurals(terms: list[Term]) -> list[Term]:
    """English plurals the shipped lexicon does not add: defect names ("short shots") and
    the plant's own nouns ("impellers"); and singulars of words for kinds of parts
    ("a stamped part")."""
    out: list[Term] = []
    for term in terms:
        text = normalize_text(term.text)
        last = text.split(" ")[-1]
        if term.denotes_parts and term.language == "en" and " " in text \
                and singular(last) != last:  # "any stamped part" as "stamped parts"
            out.append(term.model_copy(update={"text": text[:-len(last)] + singular(last)}))
            continue
        if term.kind not in _PLURAL_KINDS or term.language != "en" or not last.isalpha() \
                or len(last) < 3 or last.endswith("s"):
            continue
        out.append(term.model_copy(update={"text": text[:-len(last)] + plural(last)}))
    return out


def plural(word: str) -> str:
    if word.endswith(("x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def singular(word: str) -> str:
    """A crude singular, enough to compare "housings" with "housing"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _spelling(lexicon: Lexicon, names: list[NamedThing]) -> dict[str, frozenset[str]]:
    words: set[str] = set(load_vocabulary().common_words)
    for term in lexicon.terms:
        if term.text.isascii():
            words.update(w for w in words_of(term.text) if w.isalpha())
    for thing in names:
        words.update(w for w in thing.words if w.isalpha())
    by_letter: dict[str, set[str]] = defaultdict(set)
    for word in words:
        by_letter[word[:1]].add(word)
    return {k: frozenset(v) for k, v in by_letter.items()}


_NAME_KINDS = frozenset({"characteristic", "parameter", "inspection_characteristic", "defect",
                         "statistic", "family", "process", "unit"})


def _name_words(lexicon: Lexicon, names: list[NamedThing]) -> frozenset[str]:
    """Words that name something on their own: one-word measure, statistic, family and
    process forms, and the words of the plant's names. Short typos are corrected only into
    these ("torqe" -> torque), never into everyday words ("valve" stays valve, not value)."""
    words = {w for thing in names for w in thing.words if w.isalpha()}
    for term in lexicon.terms:
        text = normalize_text(term.text)
        if term.kind in _NAME_KINDS and text.isascii() and text.isalpha():
            words.add(text)
    return frozenset(words)


def _generic_words(base: Lexicon) -> frozenset[str]:
    """Words of the shipped lexicon: a partial name made only of them ('injection molding
    line') names a concept, not one entity."""
    words: set[str] = set(load_vocabulary().common_words)
    for term in base.terms:
        if term.text.isascii():
            words.update(words_of(term.text))
    return frozenset(words)
