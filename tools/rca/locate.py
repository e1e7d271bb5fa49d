"""Reading a root-cause question: what moved (a characteristic, a defect, the defect rate,
an incoming-inspection result), of which part, which statistic, which way and
since when — in English or Chinese, grounded in the plant's catalog.

Names are found with the monitor reader's scanner (``scan``, ``read_scope``), so "P-100",
"the small sensor housing", "克重", "short shots" and "毛刺" read the same here as in a
monitoring request. Direction and time words come from words.yaml (timewords.py).
"""

from __future__ import annotations

import datetime as dt
import re

from tools.catalog import Catalog, Lexicon
from tools.catalog.terms import is_chinese
from tools.errors import AmbiguousRequest, InvalidInput, UnknownCharacteristic, UnknownPart
from tools.monitors.reader.context import read_context
from tools.monitors.reader.index import CatalogIndex, catalog_index
from tools.monitors.reader.names import correct_spelling
from tools.monitors.reader.numbers import normalize_request
from tools.monitors.reader.scope import read_scope
from tools.monitors.reader.tokens import Token, scan
from tools.monitors.reader.typos_zh import correct_chinese
from tools.rca.models import Direction, Measure, Mode, ProblemSpec, Statistic
from tools.rca.timewords import load_words, read_time

MAX_LENGTH = 2000
_RATE_STATISTICS = {"defect_rate": "defect_rate", "qty_defective": "defect_rate",
                    "yield": "yield", "out_of_spec_rate": "defect_rate"}
_EXAMPLE = "e.g. 'why did the weight of P-100 drop in late May?'"


def _concepts(tokens: list[Token], kind: str) -> list[tuple[int, str]]:
    return [(t.start, c) for t in tokens for c in t.concepts(kind)]


def _words_in(text: str, words: list[str]) -> list[int]:
    """Positions where any of ``words`` occurs (English on word boundaries)."""
    hits = []
    for word in words:
        if is_chinese(word):
            hits += [m.start() for m in re.finditer(re.escape(word), text)]
        else:
            hits += [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text,
                                                    re.IGNORECASE)]
    return hits


def read_direction(text: str, after: int = 0) -> Direction | None:
    """'up' or 'down' from the question's verbs (the first after ``after`` wins)."""
    words = load_words()["direction"]
    hits = sorted((pos, direction) for direction in ("up", "down")
                  for pos in _words_in(text, words[direction]["en"] + words[direction]["zh"]))
    if not hits:
        return None
    later = [h for h in hits if h[0] >= after]
    chosen: Direction = (later or hits)[0][1]  # type: ignore[assignment]
    return chosen


def _unstable(text: str) -> bool:
    words = load_words()["unstable"]
    return bool(_words_in(text, words["en"] + words["zh"]))


def anchor_of(catalog: Catalog) -> dt.datetime:
    """The data's "today": the last batch start in the catalog."""
    lasts = [p.last_batch_at for p in catalog.parts if p.last_batch_at is not None]
    if not lasts:
        raise InvalidInput("the database holds no batches; there is nothing to investigate")
    return max(lasts)


def _measure(tokens: list[Token], index: CatalogIndex, catalog: Catalog, lots_meant: bool,
             ) -> tuple[Measure, str, int, list[str]]:
    """What the question asks about: measure, its catalog name, where it was written, and
    the statistics named."""
    stats = [c for _, c in _concepts(tokens, "statistic")]
    defects = [(p, c) for p, c in _concepts(tokens, "defect")]
    named = _concepts(tokens, "characteristic")
    chars = [(p, c) for p, c in named if index.catalog_name("characteristic", c)]
    incoming = [(p, c) for p, c in _concepts(tokens, "inspection_characteristic")
                if index.catalog_name("incoming", c)]
    complaint = [t.start for t in tokens if "complaint" in t.concepts("entity")]
    if incoming and (lots_meant or not chars):
        pos, concept = incoming[0]
        return "incoming_inspection", index.catalog_name("incoming", concept) or concept, pos, stats
    known = [(p, c) for p, c in defects if index.catalog_name("defect_code", c)]
    if chars and not known:
        defects = []  # a defect word the plant never recorded ("spatter" for "scatter")
    readings = []
    if defects:
        readings.append(("defect_code", (known or defects)[0]))
    if chars:
        readings.append(("characteristic", chars[0]))
    if len({r[1][1] for r in readings}) > 1:
        names = [r[1][1].replace("_", " ") for r in readings]
        raise AmbiguousRequest(f"the question names both {names[0]} and {names[1]}; ask about "
                               "one of them", readings=names)
    if readings:
        kind, (pos, concept) = readings[0]
        if kind == "defect_code":
            code = index.catalog_name("defect_code", concept)
            if code is None:
                raise UnknownCharacteristic(
                    f"no {concept.replace('_', ' ')} defects are recorded in this plant's "
                    "data", defect_code=concept)
            return "defect_code", code, pos, stats
        return "characteristic", index.catalog_name("characteristic", concept) or concept, \
            pos, stats
    rates = [s for s in stats if s in _RATE_STATISTICS]
    if rates:
        pos = next(t.start for t in tokens if rates[0] in t.concepts("statistic"))
        return "defect_rate", _RATE_STATISTICS[rates[0]], pos, stats
    if complaint:
        raise InvalidInput("root-cause analysis of complaint counts is not supported yet; ask "
                           "about the defect or characteristic the complaints describe, "
                           f"{_EXAMPLE}")
    if named:  # a characteristic the plant does not measure: refused with the nearest
        catalog.require_characteristic(named[0][1])
    raise InvalidInput("name what to explain: a characteristic, a defect, the defect rate "
                       f"or yield, or an incoming-inspection result, {_EXAMPLE}")


def _statistic(measure: Measure, stats: list[str], unstable: bool) -> Statistic:
    if measure == "characteristic":
        if "stdev" in stats or unstable:
            return "stdev"
        if "range" in stats:
            return "range"
        refused = [s for s in stats if s in ("cpk", "out_of_spec_rate", "count")]
        if refused:
            raise InvalidInput(f"root-cause analysis explains the mean, variation or range of "
                               f"a characteristic, not its {refused[0].replace('_', ' ')}")
        return "mean"
    return {"defect_code": "rate", "defect_rate": "rate",
            "incoming_inspection": "value"}[measure]  # type: ignore[return-value]


def _parts(fields: dict[str, tuple[str, ...]], catalog: Catalog) -> list[str]:
    found: list[str] = list(fields.get("part_ids", ()))
    for key in ("families", "processes", "materials"):
        for value in fields.get(key, ()):
            found += [p.part_id for p in catalog.find_parts(value)]
    return list(dict.fromkeys(found))


def locate(question: str, catalog: Catalog, *, lexicon: Lexicon | None = None) -> ProblemSpec:
    """The problem a question asks about, grounded in ``catalog``.

    Refuses (``InvalidInput``, ``UnknownPart``, ``UnknownCharacteristic``,
    ``AmbiguousRequest``) a question that names nothing to explain, names a part or
    characteristic the plant lacks, or names two different things.
    """
    if not question or not question.strip():
        raise InvalidInput(f"the question is empty; ask why something changed, {_EXAMPLE}")
    if len(question) > MAX_LENGTH:
        raise InvalidInput(f"the question is {len(question)} characters long; keep it under "
                           f"{MAX_LENGTH}")
    index = catalog_index(catalog, lexicon)
    normalized = normalize_request(question)
    working = correct_chinese(correct_spelling(normalized, index), index)
    tokens = scan(working, index)
    fields = dict(read_scope(working, tokens, index, catalog).fields)
    context = read_context(working, tokens, relative=False)
    measure, target, position, stats = _measure(tokens, index, catalog, context.lots_meant)
    unstable = _unstable(normalized)
    statistic = _statistic(measure, stats, unstable)
    direction = read_direction(normalized, after=position)
    if statistic == "stdev" and direction is None and unstable:
        direction = "up"
    asked = target if measure == "defect_rate" else statistic
    if measure == "defect_rate" and target == "yield" and direction is not None:
        direction = "down" if direction == "up" else "up"  # a falling yield: more defectives
    target = "defect_rate" if measure == "defect_rate" else target
    hint = read_time(normalized, anchor_of(catalog))
    parts = _parts(fields, catalog)
    materials: list[str] = list(fields.get("materials", ()))
    unit: str | None = None
    if measure == "characteristic":
        owners = sorted({c.part_id for c in catalog.characteristics if c.name == target})
        for part_id in parts:
            catalog.require_characteristic(target, part_id)
        parts = [p for p in parts if p in owners] or ([] if parts else owners)
        units = {c.unit for c in catalog.characteristics if c.name == target
                 and c.part_id in parts}
        unit = units.pop() if len(units) == 1 else None
    elif measure == "incoming_inspection":
        materials += [m for p in catalog.parts if p.part_id in parts for m in [p.material]]
        unit = next((i.unit for i in catalog.inspection_characteristics if i.name == target),
                    None)
        parts = []
    elif measure in ("defect_code", "defect_rate"):
        parts = parts or [p.part_id for p in catalog.parts if p.batch_count]
        unit = "%"
    if measure != "incoming_inspection" and not parts:
        raise UnknownPart(f"no part of this plant has {target.replace('_', ' ')}; name a part, "
                          f"{_EXAMPLE}")
    mode: Mode = "static" if direction is None and hint is None else "change"
    return ProblemSpec(question=question, language="zh" if is_chinese(question) else "en",
                       part_ids=tuple(parts), measure=measure, target=target,
                       statistic=statistic, asked=asked, direction=direction, unit=unit,
                       hint=hint, materials=tuple(dict.fromkeys(materials)), mode=mode)
