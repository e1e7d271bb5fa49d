"""The clause corpus: YAML files under ``data/`` (one per standard), loaded and checked.

Each file holds ``standard``, ``edition``, optional ``default_note`` and ``records``; a record
is a ``ClauseRecord`` without the standard and edition, which come from the file.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tools.standards.errors import AmbiguousClause, UnknownClause, UnknownStandard
from tools.standards.models import ClauseRecord, ClauseRef
from tools.standards.refs import (
    STANDARDS,
    canonical_standard,
    find_references,
    parent_clause,
    parse_key,
    well_formed,
)

NOT_CORPUS = {"topics.yaml"}


def data_dir() -> Path:
    return Path(str(resources.files("tools.standards").joinpath("data")))


def read_corpus_file(path: Path) -> list[ClauseRecord]:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    standard, edition = raw["standard"], str(raw["edition"])
    default_note = raw.get("default_note")
    checked = set(raw.get("checked_in_shared_list") or ())
    records = []
    for item in raw["records"]:
        item = dict(item)
        if "note" not in item and default_note and item["clause"] not in checked:
            item["note"] = default_note
        records.append(ClauseRecord(standard=standard, edition=edition, **item))
    return records


@dataclass(frozen=True)
class Resolution:
    """How a cited clause number maps onto the corpus."""

    cited: str
    records: tuple[ClauseRecord, ...]
    how: str  # "exact" | "parent" | "base" (IATF cites the ISO 9001 clause it builds on)


class Corpus:
    """All clause records, indexed by standard and number."""

    def __init__(self, records: Iterable[ClauseRecord]) -> None:
        self.records: list[ClauseRecord] = list(records)
        self._by_key: dict[str, ClauseRecord] = {}
        for record in self.records:
            self._by_key.setdefault(record.key, record)

    @classmethod
    def load(cls, folder: Path | None = None) -> Corpus:
        folder = folder or data_dir()
        records: list[ClauseRecord] = []
        for path in sorted(folder.glob("*.yaml")):
            if path.name not in NOT_CORPUS:
                records.extend(read_corpus_file(path))
        return cls(records)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[ClauseRecord]:
        return iter(self.records)

    def get(self, standard: str, clause: str) -> ClauseRecord | None:
        return self._by_key.get(f"{standard} {clause}")

    def by_key(self, key: str) -> ClauseRecord | None:
        return self._by_key.get(key)

    def standards(self) -> list[str]:
        present = {r.standard for r in self.records}
        return [s for s in STANDARDS if s in present]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.records:
            counts[record.standard] = counts.get(record.standard, 0) + 1
        return counts

    def problems(self) -> list[str]:
        """Well-formedness: every number valid for its standard, unique per standard, every
        related key resolvable, no empty title or summary. Empty list = corpus is sound."""
        found: list[str] = []
        seen: set[str] = set()
        for record in self.records:
            if record.standard not in STANDARDS:
                found.append(f"{record.key}: unknown standard")
            if not well_formed(record.standard, record.clause):
                found.append(f"{record.key}: malformed clause number for {record.standard}")
            if record.key in seen:
                found.append(f"{record.key}: duplicate clause")
            seen.add(record.key)
            for name in ("title", "summary_en", "summary_zh", "title_zh"):
                if not getattr(record, name).strip():
                    found.append(f"{record.key}: empty {name}")
            for key in record.related:
                if key not in self._by_key:
                    found.append(f"{record.key}: related {key!r} is not in the corpus")
                if key == record.key:
                    found.append(f"{record.key}: related to itself")
        return found

    # ---- resolving references -------------------------------------------------------------

    def resolve(self, text: str, *, within: list[str] | None = None,
                allow_parent: bool = True) -> list[Resolution]:
        """Clause numbers cited in ``text`` that the corpus has, in citation order.

        Candidates are the standards named in the text (or ``within``); with none named, every
        standard. A number missing in a named standard falls back to its parent clause, and
        an IATF 16949 number that IATF does not supplement to the ISO 9001 clause it builds on.
        """
        mentions = find_references(text)
        named = within or mentions.standards or mentions.weak
        scope = named or list(STANDARDS)
        out: list[Resolution] = []
        for cited in mentions.clauses:
            exact = tuple(r for s in scope if (r := self.get(s, cited)) is not None)
            if exact:
                out.append(Resolution(cited, exact, "exact"))
                continue
            if "IATF 16949" in named and (base := self.get("ISO 9001", cited)):
                out.append(Resolution(cited, (base,), "base"))
                continue
            # A parent only for self-identifying numbers or a named standard: a stray "1.67"
            # must not become AIAG APQP 1.
            self_identifying = cited.startswith("P") or cited.startswith("11.")
            if allow_parent and (mentions.standards or within or self_identifying):
                parent = parent_clause(cited)
                while parent:
                    found = tuple(r for s in scope if (r := self.get(s, parent)) is not None
                                  and well_formed(s, cited))
                    if found:
                        out.append(Resolution(cited, found, "parent"))
                        break
                    parent = parent_clause(parent)
        return out

    def lookup(self, reference: str) -> ClauseRecord:
        """Exactly one record for a reference such as 'IATF 16949 10.2.3', '10.2.3', 'P6.4',
        '§11.10(e)'; ``UnknownClause`` (with suggestions) or ``AmbiguousClause`` otherwise."""
        text = reference.strip()
        if not text:
            raise UnknownClause("give a clause reference such as 'IATF 16949 10.2.3'.")
        mentions = find_references(text)
        if not mentions.clauses:
            raise UnknownClause(f"'{text}' does not cite a clause number; try one such as "
                                "'IATF 16949 10.2.3' or 'VDA 6.3 P6.4'.",
                                suggestions=self.suggest(text))
        resolved = self.resolve(text, allow_parent=False)
        exact = [r for res in resolved if res.how == "exact" for r in res.records]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            keys = [r.key for r in exact]
            raise AmbiguousClause(f"'{text}' matches {len(keys)} clauses ({', '.join(keys)}); "
                                  "name the standard.", candidates=keys)
        suggestions = self.suggest(text)
        named = mentions.standards or mentions.weak
        cited = mentions.clauses[0]
        where = f"{named[0]} has no clause {cited}" if named else \
            f"no standard in the corpus has clause {cited}"
        if named[:1] == ["IATF 16949"] and self.get("ISO 9001", cited):
            where = (f"IATF 16949 adds no clause {cited} of its own (it builds on ISO 9001 "
                     f"{cited})")
        hint = f"; nearest: {', '.join(suggestions[:3])}" if suggestions else ""
        raise UnknownClause(f"{where}{hint}.", suggestions=suggestions)

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """Nearest clause keys: the parent and siblings in a named standard, then the IATF->ISO
        base clause, then close spellings."""
        mentions = find_references(text)
        named = mentions.standards or mentions.weak or list(STANDARDS)
        out: list[str] = []
        for cited in mentions.clauses:
            for res in self.resolve(text):
                out.extend(r.key for r in res.records)
            parent = parent_clause(cited)
            for std in named:
                out.extend(r.key for r in self.records  # children of the cited number
                           if r.standard == std and r.clause.startswith(cited + "."))
                if parent and (record := self.get(std, parent)):
                    out.append(record.key)
                if parent:
                    out.extend(r.key for r in self.records  # its siblings
                               if r.standard == std and r.clause.startswith(parent + "."))
        if not out:
            out = difflib.get_close_matches(text, list(self._by_key), n=limit, cutoff=0.5)
        return list(dict.fromkeys(out))[:limit]

    def refs(self, keys: Iterable[str]) -> list[ClauseRef]:
        """``ClauseRef``s for 'STANDARD CLAUSE' keys, each checked to exist."""
        out = []
        for key in keys:
            standard, clause = parse_key(key)
            if self.get(standard, clause) is None:
                raise UnknownClause(f"{key} is not in the corpus.",
                                    suggestions=self.suggest(key))
            out.append(ClauseRef(standard=standard, clause=clause))
        return out

    def check_standards(self, names: Iterable[str]) -> list[str]:
        """Canonical names for a user's standards filter; ``UnknownStandard`` otherwise."""
        out = []
        for name in names:
            canonical = canonical_standard(name)
            if canonical is None or canonical not in self.standards():
                raise UnknownStandard(f"'{name}' is not a standard Andon carries; known: "
                                      f"{', '.join(self.standards())}.",
                                      standards=self.standards())
            out.append(canonical)
        return list(dict.fromkeys(out))


@functools.cache
def default_corpus() -> Corpus:
    """The corpus shipped with Andon (loaded once per process)."""
    return Corpus.load()
