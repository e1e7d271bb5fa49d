"""Forms of the plant's measure names, derived from the lexicon once per catalog (see
index.py): concepts the plant calls by another of their forms, generic heads of several
names ("转速"), and Chinese names by length for typo correction."""

from __future__ import annotations

from collections import defaultdict

from tools.catalog import Lexicon
from tools.catalog.terms import normalize_text

MEASURES_OF_NAME_KIND = {"characteristic": ("characteristic", "incoming"),
                         "inspection_characteristic": ("incoming", "characteristic"),
                         "parameter": ("parameter",), "defect": ("defect_code",)}


def generic_heads(lexicon: Lexicon, by_measure: dict[str, dict[str, str]]
                  ) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per measure, forms that end longer forms of the plant's names, and those names:
    转速 (spindle speed) also ends 拧紧转速 (screw speed), so 转速 alone can mean either;
    "thickness" in a plant whose only thickness is coating_thickness means that one
    (defect codes excepted: their synonyms overlap too loosely to tell)."""
    heads: dict[str, dict[str, tuple[str, ...]]] = {"defect_code": {}}
    for measure, names in by_measure.items():
        if measure == "defect_code":
            continue
        forms: list[tuple[str, str | None]] = []
        for term in lexicon.terms:
            if measure in MEASURES_OF_NAME_KIND.get(term.kind, ()):
                forms.append((normalize_text(term.text),
                              names.get(normalize_text(term.concept))))
        found: dict[str, set[str]] = defaultdict(set)
        for short, name in forms:
            for long, other in forms:
                if other is not None and other != name and len(long) > len(short) \
                        and long.endswith(short) \
                        and (not short.isascii() or long.endswith(" " + short)):
                    found[short].update(n for n in (name, other) if n is not None)
        heads[measure] = {k: tuple(sorted(v)) for k, v in found.items()}
    return heads


def with_aliases(lexicon: Lexicon, by_measure: dict[str, dict[str, str]]
                 ) -> dict[str, dict[str, str]]:
    """The plant's names by measure, plus lexicon concepts the plant calls by another of
    their forms (an incoming item named 'thickness' is what 厚度 / wall_thickness means
    for lots)."""
    out = {measure: dict(names) for measure, names in by_measure.items()}
    for term in lexicon.terms:
        concept = normalize_text(term.concept)
        written = normalize_text(term.text)
        for measure in MEASURES_OF_NAME_KIND.get(term.kind, ()):
            names = by_measure[measure]
            if written in names and concept not in out[measure]:
                out[measure][concept] = names[written]
    return out


def zh_names(lexicon: Lexicon, by_measure: dict[str, dict[str, str]]
             ) -> dict[int, dict[str, str]]:
    """Chinese forms of the measures this plant has and their concepts, by length (for
    typo correction)."""
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for term in lexicon.terms:
        measures = MEASURES_OF_NAME_KIND.get(term.kind, ())
        if term.language != "zh" or not any(normalize_text(term.concept) in by_measure[m]
                                             for m in measures):
            continue
        text = normalize_text(term.text)
        if len(text) >= 2 and all("\u3400" <= c <= "\u9fff" for c in text):
            found[len(text)][text] = f"{term.kind}:{term.concept}"
    return {length: dict(sorted(forms.items())) for length, forms in found.items()}
