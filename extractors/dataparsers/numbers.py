"""DBpedia's IntegerParser and DoubleParser, and the number helpers (ParserUtils) they share.

Numbers are read as Java's locale ``NumberFormat`` reads them: the longest valid prefix counts,
grouping separators are skipped wherever they stand, a space counts as a grouping separator, and
text that does not start with a digit, a separator or a minus sign is no number. Before that,
``convert_large_numbers`` spells out scale words ("1.5 million" → "1500000").

Regex classes follow Java's defaults, which are ASCII-only: ``\\d`` is ``[0-9]``, ``\\s`` is
``[ \\t\\n\\x0b\\f\\r]``, and ``.`` stops at any line terminator.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from extractors.dataparsers import ParseContext
from extractors.java_text import JAVA_DOT, JAVA_SPACE, java_trim
from extractors.wikitext import Wikicode, plain_text

__all__ = [
    "DASHES",
    "NumberSymbols",
    "convert_large_numbers",
    "double_from_text",
    "integer_from_text",
    "java_round",
    "locale_number_prefix",
    "normalize_dashes",
    "number_symbols",
    "parse_double",
    "parse_integer",
    "parse_number",
]

#: ``DataParserConfig.dashVariations``: characters that read as a minus sign before a number
DASHES = "-־‐‑‒–—―⁻₋−﹣－"
_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))

_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1

#: grouping and decimal separator of Java's locale data (JRE) for common Wikipedia languages;
#: any other language gets the root locale, like ``en``
_DOT_GROUPING = frozenset("ca da de el es hr id is it nl pt ro sl sr tr vi".split())  # "1.234,5"
_SPACE_GROUPING = frozenset(
    "bg cs et fi fr hu lt lv nb nn no pl ru sk sv uk".split()
)  # "1 234,5", grouped with a no-break space

#: ``ParserUtilsConfig.decimalSeparators``: languages that accept more than one decimal separator
#: (ParserUtils puts the value in a character class as written, so "|" counts as one too)
_DECIMAL_OVERRIDES = {"bg": ",|.", "fr": ",|.", "gl": ","}

#: ``ParserUtilsConfig.scalesMap`` (a selection of languages); others use the English scales
_SCALES: dict[str, dict[str, int]] = {
    "en": {
        "thousand": 3,
        "million": 6,
        "mio": 6,
        "mln": 6,
        "billion": 9,
        "bln": 9,
        "trillion": 12,
        "quadrillion": 15,
    },
    "de": {
        "tausend": 3,
        "million": 6,
        "mio": 6,
        "mio.": 6,
        "milliarde": 9,
        "mrd": 9,
        "mrd.": 9,
        "billion": 12,
    },
    "es": {
        "mil": 3,
        "millón": 6,
        "millones": 6,
        "mill.": 6,
        "millardo": 9,
        "billón": 12,
        "trillón": 18,
        "cuatrillón": 24,
    },
    "fr": {
        "mille": 3,
        "million": 6,
        "millions": 6,
        "million de": 6,
        "million d'": 6,
        "millions de": 6,
        "millions d'": 6,
        "milliard": 9,
        "milliards": 9,
        "milliard de": 9,
        "milliard d'": 9,
        "milliards de": 9,
        "milliards d'": 9,
        "mrd": 9,
        "billion": 12,
        "trillion": 18,
    },
    "it": {
        "mille": 3,
        "milione": 6,
        "milioni": 6,
        "milioni di": 6,
        "mln": 6,
        "miliardo": 9,
        "miliardi": 9,
        "miliardi di": 9,
        "bilione": 12,
        "quadrilione": 15,
    },
    "nl": {
        "honderd": 2,
        "duizend": 3,
        "miljoen": 6,
        "mio": 6,
        "mln": 6,
        "miljard": 9,
        "milj.": 9,
        "mrd": 9,
        "biljard": 12,
        "triljoen": 15,
    },
    "pt": {
        "mil": 3,
        "milhão": 6,
        "mil milhões": 9,
        "bilhão": 9,
        "bilhões": 9,
        "bilião": 12,
        "biliões": 12,
        "trilhão": 12,
        "trilhões": 12,
        "mil bilhões": 15,
        "quatrilhão": 15,
        "quatrilhões": 15,
        "trilião": 18,
        "triliões": 18,
        "quintilhão": 18,
        "quintilhões": 18,
        "quinquilhão": 18,
        "quinquilhões": 18,
    },
}

_INTEGER = re.compile(rf"[^0-9]*?(?:[^0-9][0-9]+{JAVA_SPACE}+)?(-?[0-9,. ]+)")
_DOUBLE = re.compile(rf"[^0-9]*?-?[0-9\-,. ]+{JAVA_DOT}*")
_EXPONENT = re.compile(r"-?(\d+)")  # after "E"; any Unicode decimal digit, as in Java


@dataclass(frozen=True, slots=True)
class NumberSymbols:
    """How a language writes numbers: ``grouping`` and ``decimal`` separator characters, and
    ``decimal_pattern``, a regex for every character accepted as decimal separator."""

    grouping: str
    decimal: str
    decimal_pattern: str
    overrides: str  # characters replaced by ``decimal`` before parsing ("" if none)


@cache
def number_symbols(lang: str) -> NumberSymbols:
    """The number symbols of a wiki language code."""
    if lang in _DOT_GROUPING:
        grouping, decimal = ".", ","
    elif lang in _SPACE_GROUPING:
        grouping, decimal = "\u00a0", ","
    else:
        grouping, decimal = ",", "."
    overrides = _DECIMAL_OVERRIDES.get(lang, "")
    pattern = f"[{re.escape(overrides)}]" if overrides else re.escape(decimal)
    return NumberSymbols(grouping, decimal, pattern, overrides)


def normalize_dashes(text: str) -> str:
    """Every dash variant replaced by ``-``."""
    return text.translate(_DASH_TABLE)


def java_round(value: float) -> int:
    """``Math.round``: the nearest long, ties toward positive infinity, clamped to long."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return _LONG_MAX if value > 0 else _LONG_MIN
    floor = math.floor(value)
    rounded = floor + 1 if value - floor >= 0.5 else floor
    return max(_LONG_MIN, min(_LONG_MAX, rounded))


@cache
def _large_number_pattern(lang: str) -> re.Pattern[str]:
    symbols = number_symbols(lang)
    scales = sorted(_SCALES.get(lang, _SCALES["en"]), key=len, reverse=True)
    return re.compile(
        rf"([^0-9]*)([0-9]+(?:{re.escape(symbols.grouping)}[0-9]{{3}})*)"
        rf"({symbols.decimal_pattern}[0-9]+)?{JAVA_SPACE}?\[?\[?"
        rf"({'|'.join(map(re.escape, scales))})\]?\]?({JAVA_DOT}*)",
        re.IGNORECASE,
    )


def convert_large_numbers(text: str, lang: str) -> str:
    """``ParserUtils.convertLargeNumbers``: write out a scaled first number, so
    "US$ 14.835 billion (2007)" becomes "US$ 14835000000 (2007)"; other text stays as it is."""
    match = _large_number_pattern(lang).fullmatch(text)
    if match is None:
        return text
    begin, integer, fraction, scale, end = match.groups()
    magnitude = _SCALES.get(lang, _SCALES["en"]).get(scale.lower())
    if magnitude is None:  # e.g. "ſ" matches "s" only case-insensitively
        return text
    symbols = number_symbols(lang)
    digits = fraction[1:] if fraction else ""
    if len(digits) <= magnitude:
        digits += "0" * (magnitude - len(digits))
    else:
        digits = digits[:magnitude] + symbols.decimal + digits[magnitude:]
    return begin + integer.replace(symbols.grouping, "") + digits + end


def _digit(char: str) -> int | None:
    if "0" <= char <= "9":
        return ord(char) - 48
    return unicodedata.decimal(char, None)


def _exponent(text: str, start: int) -> int:
    """The exponent after an "E"; 0 if none, or if it fits no long (Java then ignores it)."""
    match = _EXPONENT.match(text, start)
    digits = match.group(1).lstrip("0") if match else ""
    if match is None or len(digits) > 19 or int(digits or "0") > _LONG_MAX:
        return 0
    return -int(digits or "0") if match.group(0).startswith("-") else int(digits or "0")


def locale_number_prefix(text: str, lang: str) -> float | None:
    """``NumberFormat.parse`` for the language: the value of the longest number that starts
    ``text`` (grouping separators skipped, one decimal separator, an optional ``E`` exponent)."""
    symbols = number_symbols(lang)
    grouping, decimal = symbols.grouping, symbols.decimal
    negative = text.startswith("-")
    position = 1 if negative else 0
    integer: list[str] = []
    fraction: list[str] = []
    exponent = 0
    saw_decimal = False
    while position < len(text):
        char = text[position]
        digit = _digit(char)
        if digit is not None:
            (fraction if saw_decimal else integer).append(str(digit))
        elif char == decimal and not saw_decimal:
            saw_decimal = True
        elif char == grouping and not saw_decimal:
            pass  # grouping separators are skipped wherever they stand
        elif char == "E" and (integer or fraction):
            exponent = _exponent(text, position + 1)
            break
        else:
            break
        position += 1
    if not integer and not fraction:
        return None
    result = float(f"{''.join(integer) or '0'}.{''.join(fraction) or '0'}e{exponent}")
    return -result if negative else result


def parse_number(text: str, lang: str) -> float | None:
    """``ParserUtils.parse``: a locale number at the start of ``text`` (spaces read as grouping)."""
    symbols = number_symbols(lang)
    for char in symbols.overrides:
        text = text.replace(char, symbols.decimal)
    return locale_number_prefix(text.replace(" ", symbols.grouping), lang)


def _signed(value: float, text: str, number: str) -> float:
    """A dash variant before the number (outside what was parsed) makes it negative."""
    trimmed = java_trim(text)
    if value >= 0 and text != number and trimmed and trimmed[0] in DASHES:
        return -value
    return value


def _signed_number(
    text: str, lang: str, strict: bool, pattern: re.Pattern[str], group: int
) -> float | None:
    """What IntegerParser and DoubleParser share: scale words written out, the number text (the
    whole trimmed text when strict, else ``group`` of the first match of ``pattern``) read in
    the language, negated by a dash before it."""
    converted = convert_large_numbers(text, lang)
    if strict:
        number = java_trim(converted)
    else:
        match = pattern.search(java_trim(converted))
        if match is None:
            return None
        number = match.group(group)
    value = parse_number(number, lang)
    return None if value is None else _signed(value, converted, number)


def integer_from_text(
    text: str, lang: str, *, factor: float = 1.0, strict: bool = False
) -> int | None:
    """IntegerParser on plain text. Strict (the raw infobox extractor's parser) reads the whole
    trimmed text as a number and accepts only whole values; otherwise the first number counts."""
    value = _signed_number(text, lang, strict, _INTEGER, 1)
    if value is None or (strict and value % 1 != 0):
        return None
    return java_round(value * factor)


def double_from_text(
    text: str, lang: str, *, factor: float = 1.0, strict: bool = False
) -> float | None:
    """DoubleParser on plain text. Unlike IntegerParser, the whole match from the start of the
    text is read as a number, so text before the number makes it fail."""
    value = _signed_number(text, lang, strict, _DOUBLE, 0)
    return None if value is None else value * factor


def parse_integer(
    value: Wikicode, context: ParseContext, *, factor: float = 1.0, strict: bool = False
) -> int | None:
    """DBpedia's IntegerParser: the value's number, times ``factor``, rounded to a long."""
    text = plain_text(value)
    if text is None:
        return None
    return integer_from_text(text, context.lang, factor=factor, strict=strict)


def parse_double(
    value: Wikicode, context: ParseContext, *, factor: float = 1.0, strict: bool = False
) -> float | None:
    """DBpedia's DoubleParser: the value's number times ``factor``."""
    text = plain_text(value)
    if text is None:
        return None
    return double_from_text(text, context.lang, factor=factor, strict=strict)
