"""DBpedia's CitationExtractor: citation templates -> citation resources with ``dbp:`` data.

After the framework's ``mappings/CitationExtractor.scala`` (datasets ``citation-links`` and
``citation-data``; en runs it in the generic extraction):

Templates
    Every template on a Main-namespace page, nested ones included (the framework removes every
    ``<ref`` from the source and re-parses, so templates inside references count; here the page's
    one walk, :func:`~extractors.page_extractors.collect`, already sees them); a name with a
    colon is a parser function (``{{#invoke:…}}``), which the framework's parser does not make a
    template. A template is a
    citation when its name, after redirects and lower-cased, *contains* ``cite``, ``citation``,
    ``literatur``, ``internetquelle`` or ``bib`` (the framework searches, it does not anchor:
    ``{{Citation needed}}`` and ``{{Webcite}}`` count too).

Citation resource
    Named by the first of the parameters ``doi``, ``jstor``, ``pmc``, ``pmid``, ``arxiv``,
    ``isbn``, ``issn``, ``oclc``, ``url``, ``website`` (key compared lower-cased; the first such
    parameter that is not empty) whose plain text gives an IRI: the text trimmed and lower-cased,
    after the identifier's base (``http://doi.org/``, ``https://www.jstor.org/stable/``,
    ``https://www.ncbi.nlm.nih.gov/pmc/articles/PMC``, ``https://www.ncbi.nlm.nih.gov/pubmed/``,
    ``http://arxiv.org/abs/``, ``http://books.google.com/books?vid=ISBN``,
    ``https://www.worldcat.org/ISSN/``, ``https://www.worldcat.org/oclc/``; ``url``/``website``
    as they are). The framework's ``org.dbpedia.iri.URI.create`` then percent-encodes
    ``"#%<>?[\\]^`{|}`` in the *whole* string (so ``?vid=`` becomes ``%3Fvid=``) and accepts it
    only with a scheme and a host; a text with a backslash or a malformed ``%`` escape fails, and
    so (here) does one with whitespace or control characters, which no IRI may hold. When no
    parameter gives one: ``http://citation.dbpedia.org/hash/`` + the SHA-256 (hex) of
    ``Name{|key=text|key=text…}`` over the non-empty parameters in descending key order (the
    parameter text here is the flat text of the value, an approximation of the framework's
    ``toPlainText``).

Statements
    ``<citation> dbp:isCitedBy <page>``, then for every parameter whose key is not all digits:
    the value in DBpedia's node view, text in parentheses removed, split at ``<br>``; each piece
    gives the first of: a unit value in exactly one dimension (strict) -> ``"v"^^dbt:<unit>``
    (several dimensions: the string); a date (xsd:date, gMonthDay, gMonth; strict), else the
    dates of all its ``-``/``–``/``,``/``;`` parts; a single coordinate -> xsd:double; a rank
    ``3rd`` -> xsd:integer; links (wiki links, or http/https/ftp links, when every ``\\W+``-part is
    one) -> **nothing**: the framework keeps only results that have a datatype, so a linked value
    gives no statement; the plain text -> an ``xsd:string`` literal. Numbers are not parsed
    (the framework disabled that: "they mess with isbn etc").
    Predicate: ``dbp:`` + the key lower-cased and camel-cased at ``_``, whitespace, ``-`` and
    ``:`` (trailing digits kept: ``last1`` -> ``dbp:last1``), DBpedia-encoded, then made XML-safe
    (release URI policy ``xml-safe-predicates``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache

from mwparserfromhell.nodes import ExternalLink, Node, Template, Text, Wikilink
from mwparserfromhell.smart_list import SmartList
from mwparserfromhell.wikicode import Wikicode

from extractors import raw_values
from extractors.dataparsers import ParseContext
from extractors.dataparsers.date_config import MONTHS
from extractors.dataparsers.geo import parse_single_coordinate
from extractors.dataparsers.numbers import convert_large_numbers, normalize_dashes
from extractors.dataparsers.objects import JAVA_TRIM
from extractors.dataparsers.unit_values import UnitValue, parse_duration, parse_unit_value
from extractors.node_util import (
    BR,
    KEY_WORDS,
    NON_WORD,
    RANK,
    children,
    parameter_key,
    remove_parentheses,
    split_property,
    xml_safe_predicate,
)
from extractors.raw_values import XSD_DOUBLE, XSD_INTEGER
from extractors.rdf import DBP, IRI, Literal, Term, Triple, java_double
from extractors.titles import InvalidTitle, parse_link_target, wiki_encode
from extractors.units import DIMENSIONS, Dimension
from extractors.wikitext import clean_text, flat_text, template_name

__all__ = ["EXTRACTOR", "citation_iri", "extract_citations", "is_citation"]

EXTRACTOR = "citations"

IS_CITED_BY = DBP + "isCitedBy"
HASH_BASE = "http://citation.dbpedia.org/hash/"

_CITATION_NAME = re.compile("cite|citation|literatur|internetquelle|bib")

#: Identifier parameters that name a citation, in order, with the base their value is appended to.
_IDENTIFIERS: tuple[tuple[str, str], ...] = (
    ("doi", "http://doi.org/"),
    ("jstor", "https://www.jstor.org/stable/"),
    ("pmc", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC"),
    ("pmid", "https://www.ncbi.nlm.nih.gov/pubmed/"),
    ("arxiv", "http://arxiv.org/abs/"),
    ("isbn", "http://books.google.com/books?vid=ISBN"),
    ("issn", "https://www.worldcat.org/ISSN/"),
    ("oclc", "https://www.worldcat.org/oclc/"),
    ("url", ""),
    ("website", ""),
)
_IDENTIFIER_BASES = dict(_IDENTIFIERS)
# WikiUtil.iriReplacements, which URI.create escapes everywhere in the string
_IRI_ESCAPED = re.compile(r'["#%<>?\[\\\]^`{|}]')
# what makes URI.create fail: a backslash, a malformed %-escape; and what no IRI may hold
_IRI_REJECTED = re.compile(r"[\\\s\x00-\x1f\x7f-\x9f]|%(?![0-9A-Fa-f]{2})")
# scheme and a non-empty host (prePublischValidation)
_SCHEME_AND_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@]*@)?[^/:@]")

_DIGIT = re.compile("[0-9]")
_LINK_SCHEMES = re.compile("(?:https?|ftp):", re.IGNORECASE)
# a parameter value that is one plain text no parser reads: no digit, markup, entity, emphasis or
# parenthesis; or digits alone (no unit, date, coordinate or rank is only digits)
_PLAIN = re.compile("[^0-9<&'(\u00a0]*|[ \t\n\x0b\f\r]*[0-9]+[ \t\n\x0b\f\r]*")
_SPACES = " \t\n\x0b\f\r"
_NO_UNIT = re.compile("[0-9 \t\n\x0b\f\r./-]*")
_TIME = next(dimension for dimension in DIMENSIONS if dimension.name == "Time")
_CURRENCY = next(dimension for dimension in DIMENSIONS if dimension.name == "Currency")
_LENGTH = next(dimension for dimension in DIMENSIONS if dimension.name == "Length")
# what may stand between the start of a "number unit" text and the unit label (no label starts so)
_NUMBER_PART = re.compile(r"(?:[- \t\n\x0b\f\r0-9.,(\[]|&nbsp;)*")
# a duration needs a number followed by a time unit word, or a colon ("2:35")
_DURATION_HINT = re.compile(r"[0-9][,. \t\n\x0b\f\r0-9]*[^\W\d_]|:")
# a unit label as the "number unit" patterns accept it (not followed by "/", "\\" or a word char)
_LABELS = {
    dimension: re.compile(
        "(?:"
        + "|".join(map(re.escape, sorted(dimension.labels, key=len, reverse=True)))
        + r")(?![/\\A-Za-z0-9_])",
        re.IGNORECASE,
    )
    for dimension in DIMENSIONS
}
_SECOND = _TIME.lookup("second")
# a date without a template needs a month name, or digits on both sides of a - / or space
_NUMERIC_DATE = re.compile(r"[0-9][-/ \t\n\x0b\f\r][0-9]")
_CURRENCY_PREFIX = re.compile(
    "|".join(map(re.escape, sorted(_CURRENCY.labels, key=len, reverse=True))), re.IGNORECASE
)
# scala.xml.Utility: isNameStart categories, and the further isNameChar categories


def is_citation(name: str) -> bool:
    """Whether a template name (after redirects) is a citation template for the framework."""
    return _CITATION_NAME.search(name.lower()) is not None


def extract_citations(
    templates: Iterable[Template], subject: str, context: ParseContext
) -> list[Triple]:
    """The citation statements of a page, given every template on it (see the module docstring)."""
    triples: list[Triple] = []
    predicates: dict[str, str] = {}
    # a value that is one text has terms that depend on the text alone: read each text once
    text_terms: dict[str, list[Term]] = {}
    for template in templates:
        name = template_name(template)
        if ":" in name or not is_citation(context.resolve_template(name)):
            continue  # a parser function ({{#invoke:…}}) is no template for the framework
        params = [(parameter_key(param), param.value) for param in template.params]
        citation = _citation_iri(template, params)
        triples.append(Triple(citation, IS_CITED_BY, IRI(subject), EXTRACTOR))
        for key, value in params:
            if not key or key.isdecimal():
                continue
            predicate = predicates.get(key)
            if predicate is None:
                predicate = predicates[key] = xml_safe_predicate(property_iri(key))
            nodes = value.nodes
            node = nodes[0] if len(nodes) == 1 else None
            if isinstance(node, Text):
                text = node.value
                terms = text_terms.get(text)
                if terms is None:
                    terms = text_terms[text] = _text_terms(text, value, context)
            else:
                terms = _terms(value, context)
            triples += [Triple(citation, predicate, term, EXTRACTOR) for term in terms]
    return triples


def _text_terms(text: str, value: Wikicode, context: ParseContext) -> list[Term]:
    """The literals of a parameter value that is one text."""
    if _PLAIN.fullmatch(text):
        text = text.strip()  # a plain string, and no parser can read it
        return [Literal(text)] if text else []
    return _terms(value, context)


def _terms(value: Wikicode, context: ParseContext) -> list[Term]:
    """The literals of a parameter value, piece by piece."""
    pieces = split_property(remove_parentheses(children(value)), BR)
    return [term for piece in pieces for term in _values(piece, context)]


def citation_iri(template: Template) -> str:
    """The IRI of the citation a template makes: from an identifier, else a hash."""
    return _citation_iri(
        template, [(parameter_key(param), param.value) for param in template.params]
    )


def _citation_iri(template: Template, params: list[tuple[str, Wikicode]]) -> str:
    identifiers: dict[str, Wikicode] = {}  # the first non-empty value of each identifier key
    for key, value in params:
        name = key.lower()
        if name in _IDENTIFIER_BASES and name not in identifiers and str(value).strip():
            identifiers[name] = value
    for name, base in _IDENTIFIERS:
        value = identifiers.get(name)
        if value is None:
            continue
        text = clean_text(flat_text(value))
        if text is None or not text.strip(JAVA_TRIM):
            continue
        iri = _create_uri(base + text.strip(JAVA_TRIM).lower())
        if iri is not None:
            return iri
    return _hash_iri(template, params)


def _create_uri(text: str) -> str | None:
    """``org.dbpedia.iri.URI.create``: the text with DBpedia's IRI characters escaped, or None."""
    if _IRI_REJECTED.search(text) or not _SCHEME_AND_HOST.match(text):
        return None
    return _IRI_ESCAPED.sub(lambda match: f"%{ord(match.group()):02X}", text)


def _hash_iri(template: Template, params: list[tuple[str, Wikicode]]) -> str:
    parts = [
        (key, flat_text(value).strip(JAVA_TRIM)) for key, value in params if str(value).strip()
    ]
    parts.sort(key=lambda part: part[0], reverse=True)  # stable, as Scala's sortWith
    text = template_name(template) + "{" + "".join(f"|{k}={v}" for k, v in parts) + "}"
    return HASH_BASE + hashlib.sha256(text.encode("utf-8")).hexdigest()


def property_iri(key: str) -> str:
    """``getPropertyUri``: ``dbp:`` + the key lower-cased and camel-cased, trailing digits kept."""
    words = KEY_WORDS.split(key.lower().strip(JAVA_TRIM))
    while words and not words[-1]:  # Java's split drops trailing empty strings
        words.pop()
    camel = "".join([words[0], *(w[:1].upper() + w[1:] for w in words[1:])]) if words else ""
    return DBP + wiki_encode(camel)


# --- values -----------------------------------------------------------------------------------


def _values(nodes: list[Node], context: ParseContext) -> list[Term]:
    """The literals of one piece: the first parser that succeeds (see the module docstring)."""
    raw = flat_text(nodes)
    text = clean_text(raw)
    # unit values and dates need a digit (in the text or a template's), the others one in the text
    template = any(isinstance(node, Template) for node in nodes)
    if template or _DIGIT.search(raw):
        units = _unit_values(nodes, text, context)
        if len(units) == 1:
            return [Literal(java_double(units[0].value), units[0].unit.iri)]
        if units and text is not None:
            return [Literal(text)]
        if template or _NUMERIC_DATE.search(raw) or _month_names(context.lang).search(raw):
            dates = raw_values.dates(nodes, context)
            if dates:
                return dates
    if text is not None and _DIGIT.search(text):
        coordinate = parse_single_coordinate(text, context)
        if coordinate is not None:
            return [Literal(java_double(coordinate), XSD_DOUBLE)]
        rank = RANK.fullmatch(text)
        if rank:
            return [Literal(rank.group(1), XSD_INTEGER)]
    if _is_links(nodes):
        return []  # links have no datatype: the framework drops them
    return [Literal(text)] if text is not None else []


def _unit_values(nodes: list[Node], text: str | None, context: ParseContext) -> list[UnitValue]:
    """The strict unit values of a piece in every dimension that has one.

    Only dimensions that can match are asked: a piece that is one template may match any; a text
    can match a ``number unit`` pattern only when it starts like a number, a currency prefix
    (``$ 5``) only when it ends in a digit, and a duration wherever it has one (the framework's
    DurationParser searches the text).
    """
    significant = [n for n in nodes if not (isinstance(n, Text) and not n.value.strip())]
    if len(significant) == 1 and isinstance(significant[0], Template):
        dimensions: Iterable[Dimension] = DIMENSIONS
    elif text is None:
        return []
    else:
        stripped = normalize_dashes(text).strip(_SPACES)
        if _NO_UNIT.fullmatch(stripped):
            return []  # digits, dashes, dots and slashes only: no unit label, no duration
        duration = _DURATION_HINT.search(stripped) is not None
        if stripped[:1] in "-.," or stripped[:1].isdigit():
            # "number unit": the label follows the number; "5,3,," and "5`3``" are feet/inches
            rest = stripped[_NUMBER_PART.match(stripped).end() :]  # type: ignore[union-attr]
            dimensions = [
                d
                for d in DIMENSIONS
                if (d is _TIME and duration)
                or (d is _LENGTH and ("," in stripped or "`" in stripped))
                or _LABELS[d].match(rest)
            ]
        else:
            # no "number unit" pattern can match: a duration, as the Time parser finds it in
            # the text, or a currency label before the number ("$ 5")
            found = []
            if duration:
                lang = context.lang
                converted = convert_large_numbers(normalize_dashes(text), lang)
                seconds = parse_duration(converted, _TIME, lang)
                if seconds is not None:
                    found.append(UnitValue(seconds, _SECOND))  # type: ignore[arg-type]
            if (stripped[-1:] == "-" or stripped[-1:].isdigit()) and _CURRENCY_PREFIX.match(
                stripped
            ):
                found += _parse_units(nodes, (_CURRENCY,), context)
            return found
    return _parse_units(nodes, dimensions, context)


def _parse_units(
    nodes: list[Node], dimensions: Iterable[Dimension], context: ParseContext
) -> list[UnitValue]:
    value = Wikicode(SmartList(nodes))
    return [
        found
        for dimension in dimensions
        if (found := parse_unit_value(value, dimension, context, strict=True)) is not None
    ]


@cache
def _month_names(lang: str) -> re.Pattern[str]:
    """Any month name of the language, as the date patterns name months."""
    months = MONTHS[lang if lang in MONTHS else "en"]
    return re.compile("|".join(sorted(months, key=len, reverse=True)), re.IGNORECASE)


def _is_links(nodes: list[Node]) -> bool:
    """Whether every ``\\W+``-separated part is one wiki link, or one http/https/ftp link."""
    if not any(isinstance(node, Wikilink | ExternalLink) for node in nodes):
        return False
    sole = [raw_values.sole(part) for part in split_property(nodes, NON_WORD)]
    if all(isinstance(node, Wikilink) and _valid_link(node) for node in sole):
        return True
    return all(isinstance(node, ExternalLink) for node in sole) and any(
        _LINK_SCHEMES.match(str(node.url)) for node in sole
    )


def _valid_link(link: Wikilink) -> bool:
    try:
        parse_link_target(str(link.title))
    except InvalidTitle:
        return False
    return True
