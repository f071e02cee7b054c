"""DBpedia's DateTimeParser: wikitext -> xsd:date, gYear, gYearMonth or gMonthDay literals.

The rules are those of ``dataparser/DateTimeParser.scala`` and ``util/Date.scala``:

1. The first date template among the value's direct children (name lower-cased after redirects,
   looked up in :data:`~extractors.dataparsers.date_config.TEMPLATES`) gives the date.
2. Otherwise the value's text is searched: a full date in one of eight forms, then, for gYear,
   "June 2007" or a bare year; for gMonthDay, "November 8" or "4th of July"; for gYearMonth,
   "June 2007".
3. The date is validated as ``javax.xml.datatype.XMLGregorianCalendar`` does (no year, month or day
   0, month 1-12, day within its month) and written in XSD lexical form: ``1954-07-17``,
   ``-0020``, ``2007-06``, ``--07-04``.

Where the framework throws (an invalid date, an unparsable number), the whole value has no date:
no later template or pattern is tried. Faithful details worth knowing:

* The text is that of the framework's ``nodeToString``: link labels, and the parameter values of
  templates (``{{circa|1850}}`` reads as ``1850``).
* A full date is reduced to the requested type (``3 June 1981`` as gYear is ``1981``), but some
  results carry their own type, as the framework's ``Date`` does: for gYear, "June 2007" is a
  gYearMonth; a date template without month (day) gives a gYear (gYearMonth). The returned
  literal's datatype is always the type its lexical form has.
* ``strict`` (the raw infobox extractor) anchors the full-date patterns at both ends of the value;
  the searches of step 2 ("June 2007", "4th of July", a bare year) stay unanchored, as upstream.
* The eighth full-date form ("20 de Janeiro de 1999") converts the month *name* to a number in the
  framework, which always fails; so a value it matches has no date at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from mwparserfromhell.nodes import Node, Template, Text
from mwparserfromhell.wikicode import Wikicode

from extractors.dataparsers import ParseContext
from extractors.dataparsers.date_config import (
    ERAS,
    MONTHS,
    ORDINAL_SUFFIXES,
    TEMPLATES,
    DateTemplate,
    FlagDate,
    ParamDate,
    TextDate,
)
from extractors.java_text import JAVA_DOT, JAVA_SPACE, JAVA_SPACE_CHARS, JAVA_TRIM, JAVA_WORD
from extractors.rdf import XSD, Literal
from extractors.wikitext import flat_text, template_name, template_params

__all__ = [
    "XSD_DATE",
    "XSD_GDAY",
    "XSD_GMONTH",
    "XSD_GMONTHDAY",
    "XSD_GYEAR",
    "XSD_GYEARMONTH",
    "parse_date",
    "parse_date_text",
]

XSD_DATE = XSD + "date"
XSD_GYEAR = XSD + "gYear"
XSD_GYEARMONTH = XSD + "gYearMonth"
XSD_GMONTHDAY = XSD + "gMonthDay"
XSD_GMONTH = XSD + "gMonth"
XSD_GDAY = XSD + "gDay"

# Java regex semantics without UNICODE_CHARACTER_CLASS: \d, \s and \w are ASCII, and "." stops
# at any line terminator (see extractors.java_text).
_D = "[0-9]"
_S = JAVA_SPACE
_DOT = JAVA_DOT
# Java's (?<![\d\pL\w]); Python's [^\W\d_] is "letter" (plus a few numeric symbols such as ½)
_NO_WORD_BEFORE = rf"(?<!{JAVA_WORD})(?<![^\W\d_])"
_DAY_OF_MONTH = "[1-9]|0[1-9]|[12][0-9]|3[01]"
_JAVA_INT = re.compile(r"[+-]?\d+")


class _NoDate(Exception):
    """Where the framework throws IllegalArgumentException or NumberFormatException."""


@dataclass(frozen=True)
class _Rules:
    """Everything one (language, strictness) needs, regexes compiled."""

    months: dict[str, int]
    bc_eras: tuple[str, ...]
    templates: dict[str, DateTemplate]
    two_digit_year: re.Pattern[str]
    day_month_year: re.Pattern[str]
    month_day_year: re.Pattern[str]
    numeric_dmy: re.Pattern[str]
    named_dmy: re.Pattern[str]
    numeric_ymd: re.Pattern[str]
    portuguese: re.Pattern[str]
    year_month_day: re.Pattern[str]
    month_day: re.Pattern[str]
    day_of_month: re.Pattern[str]
    month_year: re.Pattern[str]
    year: re.Pattern[str]
    era_year: re.Pattern[str]


def _alternatives(fragments: Iterable[str]) -> str:
    # upstream order is a hash order; longest first makes "červenec" win over "červen"
    return "|".join(sorted(fragments, key=lambda fragment: (-len(fragment), fragment)))


@cache  # once per language and strictness: all languages at import would cost 0.2 s
def _compile_rules(lang: str, strict: bool) -> _Rules:
    months = MONTHS[lang]
    eras = ERAS.get(lang, ERAS["en"])
    m = f"(?P<month>{_alternatives(months)})"
    e = _alternatives(eras)
    era = f"(?P<era>{e})"
    ordinal = ORDINAL_SUFFIXES.get(lang, ORDINAL_SUFFIXES["en"])
    pre, post = (f"{_S}*", f"{_S}*") if strict else (f"{_DOT}*?", f"{_DOT}*")
    d, s = _D, _S

    def rx(body: str) -> re.Pattern[str]:
        return re.compile(pre + body, re.IGNORECASE)

    return _Rules(
        months=months,
        bc_eras=tuple(key.lower() for key, sign in eras.items() if sign == -1),
        templates=TEMPLATES.get(lang, {}),
        # "8 June 07", "07 June 45"
        two_digit_year=rx(
            rf"(?P<day>{d}{{1,2}}){s}*{m}{s}*(?P<year>{d}{{2}})(?!{d}){s}*(?!{s})(?!{e})"
            rf"{_DOT}*{post}"
        ),
        # "[[29 January]] [[300 AD]]", "09:32, 6 March 2000 (UTC)", "3 June 1981"
        day_month_year=rx(
            rf"(?<!{d})\[?\[?(?P<day>{d}{{1,2}})(?:\.|{ordinal})?{s}*{m}\]?\]?,? "
            rf"\[?\[?(?P<year>-?{d}{{1,4}}){s}*{era}?\]?\]?(?!{d}){post}"
        ),
        # "[[January 20]] [[1995 AD]]", "January 20 1995"
        month_day_year=rx(
            rf"\[?\[?{m}{s}*,?{s}+(?P<day>{d}{{1,2}})\]?\]?(?:{ordinal})?{s}*[.,]?{s}+"
            rf"\[?\[?(?P<year>{d}{{1,4}}){s}*{era}?\]?\]?{post}"
        ),
        # "24-06-1867", "bla24/06/1867bla"
        numeric_dmy=rx(
            rf"(?<!{d})(?P<day>{d}{{1,2}}+)[-/](?P<month>{d}{{1,2}}+)[-/]"
            rf"(?P<year>{d}{{3,4}}+)(?!{d}){post}"
        ),
        # "24-june-1867", "24|juillet|1867"
        named_dmy=rx(
            rf"(?<!{d})(?P<day>{d}{{1,2}}+)[-/|]{m}[-/|](?P<year>{d}{{3,4}}+)(?!{d}){post}"
        ),
        # "1990-06-24", "1990 06 24", "1977-01-01 00:00:00.000000"
        numeric_ymd=rx(
            rf"(?<!{d})(?P<year>{d}{{3,4}})[-/{JAVA_SPACE_CHARS}](?P<month>{d}{{1,2}})"
            rf"[-/{JAVA_SPACE_CHARS}](?P<day>{d}{{1,2}})(?!{d}){_DOT}*"
        ),
        # "20 de Janeiro de 1999"
        portuguese=rx(
            rf"(?<!{d})\[?\[?{d}{{1,2}}(?:\.|{ordinal})?{s}*d?e?{s}*{m}\]?\]?{s}*d?e?{s}*"
            rf"\[?\[?{d}{{0,4}}{s}*?\]?\]?(?!{d}){post}"
        ),
        # "1520, March 16"
        year_month_day=rx(
            rf"(?P<year>{d}{{3,4}}),?{s}+{m}{s}+(?P<day>{d}{{1,2}})(?:{ordinal})?{s}*"
        ),
        # "[[November 8]]"
        month_day=rx(rf"{m}\]?\]?{s}*\[?\[?(?P<day>{_DAY_OF_MONTH})(?!{d}){post}"),
        # "4th of July"
        day_of_month=rx(
            rf"(?<!{d})(?P<day>{_DAY_OF_MONTH}){s}*(?:{ordinal})?\]?\]?{s}*(?:of)?{s}*"
            rf"\[?\[?{m}\]?\]?{post}"
        ),
        # "June 2007", "June 50 BC"
        month_year=rx(rf"{m}\]?\]?,?{s}*\[?\[?(?P<year>{d}{{1,4}}){s}*{era}?{post}"),
        # "1990", "20 BC"
        year=rx(rf"{_NO_WORD_BEFORE}(?P<year>-?{d}{{1,4}})(?!{d}){s}*{era}?{post}"),
        # "AD20"
        era_year=rx(rf"{era}(?<![0-9])(?P<year>{d}{{1,4}})(?!{d}){s}*{post}"),
    )


def parse_date(
    value: Wikicode, datatype: str, context: ParseContext, *, strict: bool = False
) -> Literal | None:
    """The date in a wikitext value as a typed literal, or None (see the module docstring)."""
    rules = _rules(context.lang, strict)
    try:
        for node in value.nodes:
            if isinstance(node, Template):
                found = _from_template(node, datatype, rules, context)
                if found is not None:
                    return found
        return _find_date(_node_text(value.nodes), datatype, rules)
    except _NoDate:
        return None


def parse_date_text(
    text: str, datatype: str, lang: str = "en", *, strict: bool = False
) -> Literal | None:
    """:func:`parse_date` for text already taken out of wikitext (no templates to look at)."""
    try:
        return _find_date(text, datatype, _rules(lang, strict))
    except _NoDate:
        return None


def _rules(lang: str, strict: bool) -> _Rules:
    return _compile_rules(lang if lang in MONTHS else "en", strict)


def _node_text(nodes: Iterable[Node]) -> str:
    """The framework's nodeToString: link labels and text, template parameter values included."""
    parts: list[str] = []
    run: list[Node] = []
    for node in nodes:
        if isinstance(node, Template):
            parts.append(flat_text(run))
            run = []
            parts.extend(_node_text(param.value.nodes) for param in node.params)
        else:
            run.append(node)
    parts.append(flat_text(run))
    return "".join(parts)


def _texts(value: Wikicode | None) -> list[str]:
    """The trimmed, non-empty text nodes of a parameter value."""
    if value is None:
        return []
    return [text for node in value.nodes if isinstance(node, Text) and (text := node.value.strip())]


def _from_template(
    template: Template, datatype: str, rules: _Rules, context: ParseContext
) -> Literal | None:
    spec = rules.templates.get(context.resolve_template(template_name(template)).lower())
    if spec is None:
        return None
    params = template_params(template)
    if isinstance(spec, TextDate):
        if not _texts(params.get(spec.param)):
            return None
        text = "".join(_node_text(param.value.nodes) for param in template.params)
        return _find_date(text, datatype, rules)
    if isinstance(spec, FlagDate):
        flags = _texts(params.get(spec.flag))
        spec = spec.otherwise if any(flag != spec.value for flag in flags) else spec.when_set
    return _from_params(params, spec, datatype, rules)


def _from_params(
    params: dict[str, Wikicode], spec: ParamDate, datatype: str, rules: _Rules
) -> Literal | None:
    year = month = day = None
    if (
        spec.year
        and (texts := _texts(params.get(spec.year)))
        and (match := rules.year.fullmatch(texts[0]) or rules.era_year.fullmatch(texts[0]))
    ):
        year = _java_int(_era_sign(match["era"], rules) + match["year"])
    if spec.month and (texts := _texts(params.get(spec.month))):
        month = rules.months.get(texts[0].lower()) or _java_int(texts[0])
    if spec.day and (texts := _texts(params.get(spec.day))):
        day = _java_int(texts[0])
    if year is None:
        return None
    if month is None:
        datatype = XSD_GYEAR
    elif day is None:
        datatype = XSD_GYEARMONTH
    return _literal(year, month, day, datatype)


def _find_date(text: str, datatype: str, rules: _Rules) -> Literal | None:
    text = text.strip(JAVA_TRIM)
    found = _full_date(text, datatype, rules)
    if found is not None or datatype not in (XSD_GYEAR, XSD_GMONTHDAY, XSD_GYEARMONTH):
        return found
    if datatype == XSD_GMONTHDAY:
        return _day_and_month(text, rules)
    return _month_and_year(text, rules) or (_year(text, rules) if datatype == XSD_GYEAR else None)


def _full_date(text: str, datatype: str, rules: _Rules) -> Literal | None:
    months = rules.months
    if (match := rules.two_digit_year.fullmatch(text)) and (
        month := months.get(match["month"].lower())
    ):
        century = "19" if int(match["year"]) > 20 else "20"
        return _literal(int(century + match["year"]), month, int(match["day"]), datatype)
    for pattern in (rules.day_month_year, rules.month_day_year):
        if (match := pattern.fullmatch(text)) and (month := months.get(match["month"].lower())):
            year = _java_int(_era_sign(match["era"], rules) + match["year"])
            return _literal(year, month, int(match["day"]), datatype)
    if match := rules.numeric_dmy.fullmatch(text):
        return _literal(int(match["year"]), int(match["month"]), int(match["day"]), datatype)
    if (match := rules.named_dmy.fullmatch(text)) and (month := months.get(match["month"].lower())):
        return _literal(int(match["year"]), month, int(match["day"]), datatype)
    if match := rules.numeric_ymd.fullmatch(text):
        return _literal(int(match["year"]), int(match["month"]), int(match["day"]), datatype)
    if rules.portuguese.fullmatch(text):
        raise _NoDate  # upstream converts the month name with toInt, which always throws
    if (match := rules.year_month_day.fullmatch(text)) and (
        month := months.get(match["month"].lower())
    ):
        return _literal(int(match["year"]), month, int(match["day"]), datatype)
    return None


def _day_and_month(text: str, rules: _Rules) -> Literal | None:
    for pattern in (rules.month_day, rules.day_of_month):
        if (match := pattern.search(text)) and (month := rules.months.get(match["month"].lower())):
            return _literal(None, month, int(match["day"]), XSD_GMONTHDAY)
    return None


def _month_and_year(text: str, rules: _Rules) -> Literal | None:
    if (match := rules.month_year.search(text)) and (
        month := rules.months.get(match["month"].lower())
    ):
        year = _java_int(_era_sign(match["era"], rules) + match["year"])
        return _literal(year, month, None, XSD_GYEARMONTH)
    return None


def _year(text: str, rules: _Rules) -> Literal | None:
    match = rules.year.search(text) or rules.era_year.search(text)
    if match is None:
        return None
    return _literal(
        _java_int(_era_sign(match["era"], rules) + match["year"]), None, None, XSD_GYEAR
    )


def _era_sign(era: str | None, rules: _Rules) -> str:
    """The sign an era marker gives a year: "-" before Christ.

    As upstream, the marker with its dots escaped must start with a BC marker of the config.
    """
    if era is None:
        return ""
    escaped = era.replace(".", "\\.").lower()
    return "-" if any(key == escaped[: len(key)] for key in rules.bc_eras) else ""


def _java_int(text: str) -> int:
    """Java's Integer.parseInt: an optional sign and digits, within 32 bits."""
    if not _JAVA_INT.fullmatch(text) or not -(2**31) <= (number := int(text)) < 2**31:
        raise _NoDate
    return number


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _literal(year: int | None, month: int | None, day: int | None, datatype: str) -> Literal:
    """The framework's Date: an XMLGregorianCalendar with just the datatype's fields, validated."""
    if 0 in (year, month, day):
        raise _NoDate
    if datatype == XSD_DATE:
        lexical = f"{_year_text(year)}-{_month_text(month)}-{_day_text(day, month, year)}"
    elif datatype == XSD_GYEAR:
        lexical = _year_text(year)
    elif datatype == XSD_GYEARMONTH:
        lexical = f"{_year_text(year)}-{_month_text(month)}"
    elif datatype == XSD_GMONTHDAY:
        lexical = f"--{_month_text(month)}-{_day_text(day, month, None)}"
    elif datatype == XSD_GMONTH:
        lexical = f"--{_month_text(month)}"
    elif datatype == XSD_GDAY:
        lexical = f"---{_day_text(day, None, None)}"
    else:
        raise _NoDate
    return Literal(lexical, datatype)


def _year_text(year: int | None) -> str:
    if year is None:
        raise _NoDate
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _month_text(month: int | None) -> str:
    if month is None or not 1 <= month <= 12:
        raise _NoDate
    return f"{month:02d}"


def _day_text(day: int | None, month: int | None, year: int | None) -> str:
    """The day, checked against its month (February of an unknown year has 29 days)."""
    if day is None or not 1 <= day <= 31:
        raise _NoDate
    if month is not None and 1 <= month <= 12:
        leap = year is None or year % 400 == 0 or (year % 100 != 0 and year % 4 == 0)
        if day > (29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]):
            raise _NoDate
    return f"{day:02d}"
