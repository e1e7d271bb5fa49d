"""Standard names, clause-number formats, and clause references found in free text.

``find_references("IATF 16949 10.2.3 and §11.10(e)")`` returns the standards named and the
clause numbers cited; ``parse_key("IATF 16949 10.2.3")`` splits a record key. Which of the
cited numbers exist is decided against the corpus (see ``corpus.Corpus.resolve``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Canonical names, in the order results prefer them when a bare number is ambiguous.
CLAUSE_FORMATS: dict[str, str] = {
    "ISO 9001": r"(?:[4-9]|10)(?:\.\d{1,2}){0,3}",
    "IATF 16949": r"(?:[4-9]|10)(?:\.\d{1,2}){1,4}",
    "VDA 6.3": r"P[1-7](?:\.\d{1,2}){0,2}",
    "ISO 13485": r"[4-8](?:\.\d{1,2}){0,3}",
    "21 CFR Part 11": r"11\.\d{1,3}(?:\([a-z]\))?",
    "AIAG APQP": r"[1-6]",
    "AIAG PPAP": r"[1-6](?:\.\d{1,2}){0,2}",
    "AIAG-VDA FMEA": r"[1-4](?:\.[1-7])?",
    "AIAG MSA": r"(?:I|II|III|IV|V)(?:-[A-F])?",
    "AIAG SPC": r"(?:I|II|III|IV)",
    **{f"AIAG CQI-{n}": r"(?:[1-3]|JA|PT)" for n in (9, 11, 12, 15, 23)},
}
STANDARDS: tuple[str, ...] = tuple(CLAUSE_FORMATS)
_FORMAT_RE = {name: re.compile(rf"^{pattern}$") for name, pattern in CLAUSE_FORMATS.items()}

# Aliases people write. Strong ones name a standard; weak ones (core-tool acronyms) are also
# everyday topic words, so they count as a standard only next to "manual"/"AIAG"/"手册".
_STRONG: dict[str, str] = {
    r"iatf\s*16949(?::\s*2016)?|iatf|ts\s*16949|16949": "IATF 16949",
    r"iso\s*9001(?::\s*2015)?|gb/?t\s*19001|9001(?::\s*2015)?": "ISO 9001",
    r"iso\s*13485(?::\s*2016)?|yy/?t\s*0287|13485": "ISO 13485",
    r"vda\s*6\.3|vda6\.3": "VDA 6.3",
    r"21\s*cfr\s*part\s*11|cfr\s*part\s*11|21\s*cfr|part\s*11(?![\d.])|fda": "21 CFR Part 11",
    **{rf"cqi[\s-]*{n}(?!\d)": f"AIAG CQI-{n}" for n in (9, 11, 12, 15, 23)},
}
_WEAK: dict[str, str] = {
    r"apqp": "AIAG APQP",
    r"ppap": "AIAG PPAP",
    r"(?:aiag[\s&-]*vda\s*)?[dp]?fmea": "AIAG-VDA FMEA",
    r"msa": "AIAG MSA",
    r"spc": "AIAG SPC",
}
_MANUAL = re.compile(r"^\s*(?:reference\s+)?(?:manual|handbook|参考手册|手册)", re.IGNORECASE)
_ALIAS_RE = re.compile(
    "(?<![A-Za-z0-9])(?:"
    + "|".join(f"(?P<s{i}>{p})" for i, p in enumerate(_STRONG))
    + "|" + "|".join(f"(?P<w{i}>{p})" for i, p in enumerate(_WEAK))
    + ")(?![A-Za-z0-9])", re.IGNORECASE)
_STRONG_NAMES = list(_STRONG.values())
_WEAK_NAMES = list(_WEAK.values())

# Clause numbers. Dotted numbers always count; a bare number counts only after a word that
# says it is a clause ("clause 8", "section 3", "第8条", "chapter III").
_A = "A-Za-z0-9_"  # ASCII word characters: Chinese text around a number is no word
_CFR_RE = re.compile(rf"(?:§\s*)?(?<![{_A}.])(11\.\d{{1,3}})(\([a-z]\))?(?:\(\d+\))?(?![{_A}.])")
_VDA_RE = re.compile(rf"(?<![{_A}.])[Pp]\s?([1-7](?:\.\d{{1,2}}){{0,3}})(?![{_A}]|\.\d)")
_DOTTED_RE = re.compile(rf"(?<![{_A}.])(\d{{1,2}}(?:\.\d{{1,2}}){{1,4}})(?![{_A}]|\.\d)")
_KEYWORD_NUM_RE = re.compile(
    r"(?:clause|section|chapter|element|phase|ch\.|sec\.|条款|章节|第)\s*"
    rf"(\d{{1,2}}|I{{1,3}}|IV|V|JA|PT)(?:-([A-F]))?(?![{_A}.])", re.IGNORECASE)
# A number right after a standard's name ("AIAG SPC IV", "CQI-9 3", "ISO 9001 8"); a lone
# "I" needs a word such as "chapter" (it is also the pronoun).
_AFTER_NAME_RE = re.compile(
    r"^\s*(?:(?:clause|section|chapter|phase|ch\.|sec\.|第)\s*)?"
    rf"(\d{{1,2}}|II|III|IV|V|JA|PT)(?:-([A-F]))?(?![{_A}.])")


@dataclass
class Mentions:
    """What a piece of text cites: standards named and clause numbers."""

    standards: list[str] = field(default_factory=list)  # strong mentions, in order
    weak: list[str] = field(default_factory=list)  # core-tool acronyms used as words
    clauses: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), collapsed spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def canonical_standard(name: str) -> str | None:
    """'iatf' -> 'IATF 16949', 'AIAG CQI-9' -> itself; None when not a standard Andon carries."""
    text = normalize(name)
    for std in STANDARDS:
        if text.casefold() == std.casefold():
            return std
    match = _ALIAS_RE.fullmatch(text)
    if match is None:
        return None
    return _alias_name(match)


def _alias_name(match: re.Match[str]) -> str:
    group = match.lastgroup or ""
    index = int(group[1:])
    return _STRONG_NAMES[index] if group.startswith("s") else _WEAK_NAMES[index]


def well_formed(standard: str, clause: str) -> bool:
    """Whether ``clause`` is a well-formed number for ``standard``."""
    pattern = _FORMAT_RE.get(standard)
    return bool(pattern and pattern.match(clause))


def parse_key(key: str) -> tuple[str, str]:
    """'IATF 16949 10.2.3' -> ('IATF 16949', '10.2.3'); the standard must be canonical."""
    text = normalize(key)
    for std in sorted(STANDARDS, key=len, reverse=True):
        if text.startswith(std + " "):
            return std, text[len(std) + 1:].strip()
    raise ValueError(f"not a 'STANDARD CLAUSE' key: {key!r}")


def find_references(text: str) -> Mentions:
    """The standards and clause numbers cited in ``text`` (English or Chinese)."""
    text = normalize(text)
    found = Mentions()
    blanked = list(text)
    spans: list[tuple[int, str]] = []
    for match in _ALIAS_RE.finditer(text):
        name = _alias_name(match)
        strong = (match.lastgroup or "").startswith("s")
        before = text[max(0, match.start() - 6):match.start()].casefold()
        if not strong and (_MANUAL.match(text[match.end():]) or "aiag" in before):
            strong = True
        target = found.standards if strong else found.weak
        if name not in target:
            target.append(name)
        after = _AFTER_NAME_RE.match(text[match.end():])
        if after:
            spans.append((match.end(), after.group(1) + (f"-{after.group(2)}"
                                                         if after.group(2) else "")))
        for i in range(match.start(), match.end()):
            blanked[i] = " "
    rest = "".join(blanked)
    for match in _CFR_RE.finditer(rest):
        spans.append((match.start(), match.group(1) + (match.group(2) or "")))
        rest = rest[:match.start()] + " " * (match.end() - match.start()) + rest[match.end():]
    for match in _VDA_RE.finditer(rest):
        spans.append((match.start(), "P" + match.group(1)))
        rest = rest[:match.start()] + " " * (match.end() - match.start()) + rest[match.end():]
    for match in _DOTTED_RE.finditer(rest):
        spans.append((match.start(), match.group(1)))
        rest = rest[:match.start()] + " " * (match.end() - match.start()) + rest[match.end():]
    for match in _KEYWORD_NUM_RE.finditer(rest):
        number = match.group(1).upper()
        spans.append((match.start(), number + (f"-{match.group(2).upper()}"
                                               if match.group(2) else "")))
    for _, clause in sorted(spans):
        if clause not in found.clauses:
            found.clauses.append(clause)
    return found


def parent_clause(clause: str) -> str | None:
    """'8.5.1.1' -> '8.5.1', '11.10(e)' -> '11.10', 'P6.2.3' -> 'P6.2', 'III-B' -> 'III'."""
    if clause.endswith(")") and "(" in clause:
        return clause[:clause.rindex("(")]
    if "-" in clause:
        return clause.split("-", 1)[0]
    if "." in clause:
        return clause.rsplit(".", 1)[0]
    return None
