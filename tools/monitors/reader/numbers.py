"""Requests in one written form: full-width characters folded (NFKC), numbers as digits.

"five batches", "五批", "二十五", "百分之十五", "三成", "１５０ｍｇ" and "1,500" all become
plain digits ("5 batches", "5批", "25", "15%", "30%", "150mg", "1500"), so the rest of the
reader only ever sees Arabic numbers.
"""

from __future__ import annotations

import re
import unicodedata

from tools.monitors.reader.vocabulary import NumberWords, load_vocabulary

_PUNCTUATION = str.maketrans({"。": ". ", "、": ", ", "\u2019": "'", "\u2018": "'",
                              "\u201c": '"', "\u201d": '"', "～": "~", "〜": "~",
                              "≧": "≥", "≦": "≤", "\u2013": "-", "\u2014": "-",
                              "\u2212": "-", "\u2012": "-"})
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# "... -> email x@y", "... → notify QE", "=> notify" (not "=> 5", which is >=): an arrow
# leads on to what to do, not a comparison
_ARROW = re.compile(r"\s*(?:-+>|=+>(?=\s*[^\s\d.+-])|→|⟶|⇒)\s*")
# "C 班" is the C shift as much as "C班"
_SHIFT_LETTER = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9])\s+(?=班(?!组|长))")


_SPAN_EN = r"(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)"
# "half a minute" -> "0.5 minute", "two and a half hours" (after number words) -> "2.5
# hours", "半小时" -> "0.5小时", "1个半小时" -> "1.5小时"
_HALVES = (
    (re.compile(rf"\bhalf\s+an?\s+{_SPAN_EN}\b", re.IGNORECASE), r"0.5 \1"),
    (re.compile(rf"\ban?\s+{_SPAN_EN}\s+and\s+a\s+half\b", re.IGNORECASE), r"1.5 \1"),
    (re.compile(rf"\b(\d+)\s+and\s+a\s+half\s+{_SPAN_EN}\b", re.IGNORECASE), r"\1.5 \2"),
    (re.compile(rf"\b(\d+)\s+{_SPAN_EN}\s+and\s+a\s+half\b", re.IGNORECASE), r"\1.5 \2"),
    (re.compile(rf"\ba\s+quarter\s+(?:of\s+)?an?\s+{_SPAN_EN}\b", re.IGNORECASE), r"0.25 \1"),
    (re.compile(r"(\d+)个半(小时|钟头|月|星期)"), r"\1.5\2"),
    # "每转0.152毫米", "0.152毫米每转" -> "0.152mm/rev"
    (re.compile(r"每转\s*(\d+(?:\.\d+)?)\s*(?:毫米|mm)"), r"\1mm/rev"),
    (re.compile(r"每转\s*(\d+(?:\.\d+)?)\s*(?:微米|um|μm)"), r"\1um/rev"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:毫米|mm)\s*(?:每转|/转)"), r"\1mm/rev"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:微米|um|μm)\s*(?:每转|/转)"), r"\1um/rev"),
    (re.compile(r"(?<![0-9一二三四五六七八九十两])半(?:个)?(小时|钟头|分钟|星期|月)"), r"0.5\1"),
)


def normalize_request(text: str) -> str:
    """The request with NFKC applied, Chinese and English number words as digits, and
    thousands separators dropped; spacing collapsed."""
    words = load_vocabulary().numbers
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    folded = _chinese_numbers(folded, words)
    folded = _english_numbers(folded, words)
    folded = _THOUSANDS.sub("", folded)
    folded = _english_rates(folded, words)
    for pattern, replacement in _HALVES:
        folded = pattern.sub(replacement, folded)
    folded = _ARROW.sub("; ", folded)
    folded = _SHIFT_LETTER.sub(r"\1", folded)
    return " ".join(folded.split())


# -- Chinese ---------------------------------------------------------------------------
def _zh_integer(run: str, words: NumberWords) -> int | None:
    """一 .. 九万九千九百九十九 (also 十五, 二十, 两百); None if not a well-formed number."""
    total, section, digit = 0, 0, None
    for char in run:
        if char in words.zh_digits:
            if digit is not None:  # digits in a row: read them positionally (一五 = 15)
                digit = digit * 10 + words.zh_digits[char]
            else:
                digit = words.zh_digits[char]
        elif char in words.zh_scales:
            scale = words.zh_scales[char]
            if scale == 10_000:
                total = (total + section + (digit or 0)) * scale
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * scale
                digit = None
        else:
            return None
    return total + section + (digit or 0)


def _zh_number(run: str, words: NumberWords) -> str | None:
    whole, _, fraction = run.partition("点")
    integer = _zh_integer(whole, words) if whole else 0
    if integer is None:
        return None
    if not fraction:
        return None if run.endswith("点") else str(integer)
    if any(c not in words.zh_digits for c in fraction):
        return None
    return f"{integer}." + "".join(str(words.zh_digits[c]) for c in fraction)


def _chinese_numbers(text: str, words: NumberWords) -> str:
    chars = "".join([*words.zh_digits, *words.zh_scales])
    run = re.compile(f"[{chars}点]+")
    text = re.sub(f"(?:百分之|百分比)([{chars}点\\d.]+)", lambda m: f"{_as_digits(m[1], words)}%",
                  text)
    text = re.sub(f"千分之([{chars}点\\d.]+)", lambda m: f"{_as_digits(m[1], words)}‰", text)
    text = re.sub(f"万分之([{chars}点\\d.]+)", lambda m: f"{_as_digits(m[1], words)}‱", text)

    def replace(match: re.Match[str]) -> str:
        token, start, end = match[0], match.start(), match.end()
        if token.strip("点") != token.rstrip("点") or token.startswith("点"):
            return token
        context = text[max(0, start - 2):end + 3]
        if any(keep in context and _overlaps(text, keep, start, end) for keep in words.zh_keep):
            return token
        following = text[end:end + 1]
        counted = following in words.zh_classifiers or following == "成" or (
            following.isascii() and not following.isspace())
        if len(token) == 1 and not (following and counted):
            return token
        number = _zh_number(token, words)
        if number is None:
            return token
        before = text[start - 1:start]
        return f" {number}" if before.isascii() and before.isalnum() else number

    text = run.sub(replace, text)
    return re.sub(r"(\d+(?:\.\d+)?)成(?![型本品功为果绩立员])", lambda m: _tenths(m[1]), text)


def _as_digits(text: str, words: NumberWords) -> str:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return text
    return _zh_number(text, words) or text


def _tenths(number: str) -> str:
    return f"{float(number) * 10:g}%"


def _overlaps(text: str, word: str, start: int, end: int) -> bool:
    for found in re.finditer(re.escape(word), text):
        if found.start() < end and start < found.end():
            return True
    return False


# -- English ---------------------------------------------------------------------------
def _english_numbers(text: str, words: NumberWords) -> str:
    out: list[str] = []
    pos = 0
    tokens = list(_WORD.finditer(text))
    index = 0
    while index < len(tokens):
        value, used = _read_number(tokens, index, text, words)
        if used == 0:
            index += 1
            continue
        first, last = tokens[index], tokens[index + used - 1]
        out.append(text[pos:first.start()])
        out.append(value)
        pos = last.end()
        index += used
    out.append(text[pos:])
    return "".join(out)


def _english_rates(text: str, words: NumberWords) -> str:
    """Rates and counts spelled in English: "3 per thousand" -> "3‰", "2.5 per ten
    thousand" -> "2.5‱", "3x in a row" -> "3 times in a row" (not "M4x12")."""
    for sign, phrases in (("‱", words.per_ten_thousand), ("‰", words.per_mille)):
        if phrases:
            spelled = "|".join(r"\s+".join(re.escape(w) for w in p.split())
                               for p in sorted(phrases, key=len, reverse=True))
            text = re.sub(rf"(\d+(?:\.\d+)?)\s*(?:{spelled})(?![A-Za-z0-9])", rf"\1{sign}",
                          text, flags=re.IGNORECASE)
    if words.times_signs:
        signs = "|".join(re.escape(s) for s in words.times_signs)
        text = re.sub(rf"(?<![A-Za-z0-9.])(\d+)\s?(?:{signs})(?![A-Za-z0-9])", r"\1 times",
                      text, flags=re.IGNORECASE)
    return text


def _read_number(tokens: list[re.Match[str]], index: int, text: str,
                 words: NumberWords) -> tuple[str, int]:
    """The number spelled by the words starting at ``index`` and how many words it took."""
    word = tokens[index][0].casefold()
    if word in words.times:
        return f"{words.times[word]} times", 1
    total, current, used, seen_number = 0, 0, 0, False
    position = index
    while position < len(tokens):
        if position > index and not _adjacent(tokens[position - 1], tokens[position], text):
            break
        value = _word_value(tokens, position, words, seen_number)
        if value is None:
            break
        kind, amount = value
        if kind == "unit":
            current += amount
        elif kind == "scale" and amount < 1000:
            current = max(current, 1) * amount
        elif kind == "scale":
            total, current = total + max(current, 1) * amount, 0
        seen_number = seen_number or kind in ("unit", "scale")
        used += 1
        position += 1
    if not seen_number:
        return "", 0
    return str(total + current), used


def _word_value(tokens: list[re.Match[str]], position: int, words: NumberWords,
                seen_number: bool) -> tuple[str, int] | None:
    """("unit", n), ("scale", n), ("glue", 0) for 'a hundred' / 'hundred and five', or None."""
    word = tokens[position][0].casefold()
    following = tokens[position + 1][0].casefold() if position + 1 < len(tokens) else ""
    parts = word.split("-")
    if len(parts) > 1:
        if all(p in words.en for p in parts):
            return "unit", sum(words.en[p] for p in parts)
        return None
    if word in words.en:
        return "unit", words.en[word]
    if word in words.scales and seen_number:
        return "scale", words.scales[word]
    if word in ("a", "an") and not seen_number and following in words.scales:
        return "unit", 1
    if word == "and" and seen_number and following in words.en:
        return "glue", 0
    return None


def _adjacent(before: re.Match[str], after: re.Match[str], text: str) -> bool:
    return text[before.end():after.start()].strip() == ""
