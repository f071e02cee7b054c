"""DBpedia's raw InfoboxExtractor: every infobox parameter as a ``dbp:`` statement (rules §1.7).

After the framework's ``mappings/InfoboxExtractor.scala`` (which runs ``ExtendedInfoboxExtractor``
keeping the first successful parse) and ``config/mappings/InfoboxExtractorConfig.scala``:

Templates
    Every template not nested in another template (found inside tags, tables, link labels and
    headings too, not inside ``<ref>`` and the like); ``{{name:…}}`` is a parser function, not a
    template. Skipped: names (after redirects, lower-cased) ``redirect``, ``seealso``, ``main``,
    ``cquote``, ``chess diagram``, ``ipa``, ``lang``, … or matching ``cite.*``, ``citation.*``,
    ``zh-.*``, …; parameters ``image``/``image_photo`` (per-language lists for ar, el, eo, id);
    templates with fewer than 2 named keys or whose named keys are at most 75 % of the parameters.
    Positional (all-digit) keys are never extracted.

Predicates
    ``<lang namespace>/property/`` + the key lower-cased, camel-cased at ``_``, whitespace, ``-``
    and ``:``, trailing digits removed, DBpedia-encoded: ``area_total_km2`` -> ``dbp:areaTotalKm``,
    ``leader_name1`` -> ``dbp:leaderName``, ``nom de naissance`` -> ``dbp:nomDeNaissance``. The
    release URI policy ``xml-safe-predicates`` then appends ``_`` when the local name cannot end an
    XML name (``dbp:tailleimage(enPx)_``); it applies in predicate position only.

Values
    The value in DBpedia's node view (:func:`~extractors.dataparsers.objects.dbpedia_nodes`), text
    in parentheses removed (links and templates inside them too), split at ``<br>``; each piece
    gives the first of: a unit value in exactly one dimension (strict) -> ``"v"^^dbt:<unit as
    written>`` (several dimensions: the string); a date (xsd:date, gMonthDay, gMonth; strict),
    else the dates of all its ``-``/``–``/``,``/``;`` parts; a single coordinate ``51/12/N`` ->
    xsd:double; an integer (strict), else a double; a rank ``3rd`` -> xsd:integer; the wiki links
    (then external links) when every ``\\W+``-separated part is one; the string ``"…"@lang``.
    Text parts are split as the framework's ``NodeUtil.splitPropertyNode`` did when the French
    gold samples were made: a part counts when it is not empty (blank parts included).

Datasets (the ``extractor`` of each triple)
    ``infobox`` is DBpedia's ``infobox-properties``. ``infobox-extended`` holds what the framework
    writes only to ``infobox-properties-extended``, which its InfoboxExtractor does not publish:
    the links or dates after the first of a piece, and every value of a template written on one
    line. ``infobox-property-definitions`` declares each predicate once per page:
    ``dbp:x a rdf:Property ; rdfs:label "x"@lang`` (the key, ``_`` as space, trailing digits
    removed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    Heading,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.smart_list import SmartList
from mwparserfromhell.wikicode import Wikicode

from extractors import raw_values
from extractors.dataparsers import ParseContext
from extractors.dataparsers.geo import parse_single_coordinate
from extractors.dataparsers.numbers import double_from_text, integer_from_text, normalize_dashes
from extractors.dataparsers.objects import JAVA_TRIM
from extractors.dataparsers.unit_values import parse_unit_value
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
from extractors.rdf import IRI, RDF, RDF_TYPE, RDFS, Literal, Term, Triple, java_double
from extractors.titles import (
    InvalidTitle,
    link_title,
    parse_link_target,
    resource_iri,
    wiki_encode,
)
from extractors.units import DIMENSIONS
from extractors.wikitext import DROPPED_TAGS, clean_text, flat_text, template_name

__all__ = [
    "INFOBOX",
    "INFOBOX_EXTENDED",
    "PROPERTY_DEFINITIONS",
    "extract_infobox",
    "property_iri",
]

INFOBOX = "infobox"
INFOBOX_EXTENDED = "infobox-extended"
PROPERTY_DEFINITIONS = "infobox-property-definitions"

_IGNORED_TEMPLATES = frozenset(
    {"redirect", "seealso", "see_also", "main", "cquote", "chess diagram", "ipa", "lang", "تحويل"}
)
# Matched against the lower-cased name, so "IPA-.*" never matches, as upstream.
_IGNORED_TEMPLATE_PATTERN = re.compile(
    "cite.*|citation.*|assessment.*|zh-.*|llang.*|IPA-.*|citajxo.*", re.DOTALL
)
_IGNORED_KEYS = {
    "en": frozenset({"image", "image_photo"}),
    "ar": frozenset({"صورة"}),
    "id": frozenset({"foto", "gambar"}),
    "el": frozenset({"εικόνα", "εικονα", "Εικόνα", "Εικονα", "χάρτης", "Χάρτης"}),
    "eo": frozenset({"dosiero"}),
}
_MIN_NAMED_KEYS = 2
_MIN_NAMED_RATIO = 0.75

# Java's "$": the end, or before a final line terminator
_TRAILING_NUMBER = re.compile("[0-9]+(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?\\Z)")
_DIGIT = re.compile(r"\d")
# Unless the value is a template, a dimension's text patterns need one of its unit labels (except
# Length's "6 ft 2 in" and Time's durations): a cheap test that spares the parser.
_DIMENSION_LABELS = [
    (
        dimension,
        None
        if dimension.name in ("Length", "Time")
        else re.compile("|".join(map(re.escape, dimension.labels)), re.IGNORECASE),
    )
    for dimension in DIMENSIONS
]
_LINK_SCHEMES = frozenset({"http", "https", "ftp"})
_URL_SCHEME = re.compile("([A-Za-z][A-Za-z0-9+.-]*):")
_RDF_PROPERTY = IRI(RDF + "Property")
_RDFS_LABEL = RDFS + "label"
# Java's locale-sensitive case mapping differs from the default for Turkish and Azeri.
_DOTTED_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_DOTTED_UPPER = str.maketrans({"i": "İ"})
# scala.xml.Utility: isNameStart (plus "_") and the further isNameChar categories (plus ".-:·")


def extract_infobox(
    wikicode: Wikicode, subject: str, context: ParseContext, *, xml_safe_predicates: bool = True
) -> list[Triple]:
    """The raw infobox statements of a page (see the module docstring).

    ``xml_safe_predicates=False`` leaves predicates as the extractor makes them, before the
    release URI policy (as the framework's gold samples are written).
    """
    declared: set[str] = set()
    triples: list[Triple] = []
    for template in _templates(wikicode.nodes):
        triples += _template_triples(template, subject, context, xml_safe_predicates, declared)
    return triples


def property_iri(key: str, lang: str) -> str:
    """The ``dbp:`` IRI of a template parameter key (before the XML-safe URI policy)."""
    turkic = lang in ("tr", "az")
    lowered = (key.translate(_DOTTED_LOWER) if turkic else key).lower().strip(JAVA_TRIM)
    words = KEY_WORDS.split(lowered)
    while words and not words[-1]:  # Java's split drops trailing empty strings
        words.pop()
    camel = "".join([words[0], *(_capitalize(word, turkic) for word in words[1:])]) if words else ""
    return _namespace(lang, "property") + wiki_encode(_TRAILING_NUMBER.sub("", camel, count=1))


def _templates(nodes: list[Node]) -> Iterator[Template]:
    """Templates not nested in templates, as DBpedia's ``collectTemplates`` finds them."""
    for node in nodes:
        if isinstance(node, Template):
            if not any(
                ":" in str(part) for part in node.name.nodes if not isinstance(part, Comment)
            ):
                yield node
        elif isinstance(node, Tag):
            if node.contents is not None and str(node.tag).lower() not in DROPPED_TAGS:
                yield from _templates(node.contents.nodes)
        elif isinstance(node, Wikilink | ExternalLink):
            label = node.text if isinstance(node, Wikilink) else node.title
            if label is not None:
                yield from _templates(label.nodes)
        elif isinstance(node, Heading):
            yield from _templates(node.title.nodes)


def _template_triples(
    template: Template, subject: str, context: ParseContext, xml_safe: bool, declared: set[str]
) -> list[Triple]:
    name = context.resolve_template(template_name(template)).lower()
    if name in _IGNORED_TEMPLATES or _IGNORED_TEMPLATE_PATTERN.fullmatch(name):
        return []
    ignored = _IGNORED_KEYS.get(context.lang, _IGNORED_KEYS["en"])
    params = [
        (key, param.value)
        for param in template.params
        if (key := parameter_key(param)).lower() not in ignored
    ]
    named = [(key, value) for key, value in params if key and not key.isdecimal()]
    if len(named) < _MIN_NAMED_KEYS or len(named) / len(params) <= _MIN_NAMED_RATIO:
        return []
    published = _spans_lines(template)
    lang = context.lang
    triples: list[Triple] = []
    for key, value in named:
        iri = property_iri(key, lang)
        predicate = xml_safe_predicate(iri) if xml_safe else iri
        for piece in split_property(remove_parentheses(children(value)), BR):
            values = _values(piece, context)
            for term in values:
                extractor = INFOBOX if published and term == values[0] else INFOBOX_EXTENDED
                triples.append(Triple(subject, predicate, term, extractor))
            if values and iri not in declared:
                declared.add(iri)
                triples += _declaration(iri, key, lang)
    return triples


def _declaration(iri: str, key: str, lang: str) -> list[Triple]:
    """``dbp:x a rdf:Property ; rdfs:label "x"@lang``, the label being the key with spaces for
    underscores and trailing digits removed."""
    label = Literal(_TRAILING_NUMBER.sub("", key.replace("_", " "), count=1), lang=lang)
    return [
        Triple(iri, RDF_TYPE, _RDF_PROPERTY, PROPERTY_DEFINITIONS),
        Triple(iri, _RDFS_LABEL, label, PROPERTY_DEFINITIONS),
    ]


def _spans_lines(template: Template) -> bool:
    """Whether a parameter starts on another line than the template (the framework writes the
    values of one-line templates to infobox-properties-extended only)."""
    return "\n" in str(template.name) or any("\n" in str(param) for param in template.params[:-1])


def _values(nodes: list[Node], context: ParseContext) -> list[Term]:
    """The terms of one piece: the first parser that succeeds (see the module docstring)."""
    raw = flat_text(nodes)
    text = clean_text(raw)
    # unit values and dates need a digit (in the text or a template's), the others one in the text
    has_template = any(isinstance(node, Template) for node in nodes)
    if has_template or _DIGIT.search(raw):
        unit = _unit_value(Wikicode(SmartList(nodes)), text, context)
        if unit is not None:
            return [unit]
        dates = raw_values.dates(nodes, context)
        if dates:
            return dates
    if text is not None and _DIGIT.search(text):
        number = _number(text, context)
        if number is not None:
            return [number]
    links = _links(nodes, context)
    if links:
        return links
    return [Literal(text, lang=context.lang)] if text is not None else []


def _unit_value(value: Wikicode, text: str | None, context: ParseContext) -> Literal | None:
    """A unit value in exactly one dimension; in several, the string."""
    significant = [n for n in value.nodes if not (isinstance(n, Text) and not n.value.strip())]
    template = len(significant) == 1 and isinstance(significant[0], Template)  # strict: alone
    normalized = normalize_dashes(text) if text is not None else ""
    found = [
        result
        for dimension, labels in _DIMENSION_LABELS
        if (template or labels is None or labels.search(normalized))
        and (result := parse_unit_value(value, dimension, context, strict=True)) is not None
    ]
    if len(found) == 1:
        return Literal(java_double(found[0].value), found[0].unit.iri)
    if found and text is not None:
        return Literal(text, lang=context.lang)
    return None


def _number(text: str, context: ParseContext) -> Literal | None:
    """Single coordinate, integer, double or rank, in that order."""
    coordinate = parse_single_coordinate(text, context)
    if coordinate is not None:
        return Literal(java_double(coordinate), XSD_DOUBLE)
    integer = integer_from_text(text, context.lang, strict=True)
    if integer is not None:
        return Literal(str(integer), XSD_INTEGER)
    double = double_from_text(text, context.lang, strict=True)
    if double is not None:
        return Literal(java_double(double), XSD_DOUBLE)
    rank = RANK.fullmatch(text)
    return Literal(rank.group(1), XSD_INTEGER) if rank else None


def _links(nodes: list[Node], context: ParseContext) -> list[Term]:
    """Wiki links, else external links, when every ``\\W+``-separated part is one."""
    parts = split_property(nodes, NON_WORD)
    sole = [raw_values.sole(part) for part in parts]
    wiki: list[Term] = [
        iri
        for node in sole
        if isinstance(node, Wikilink) and (iri := _link_iri(node, context)) is not None
    ]
    if len(wiki) == len(parts):
        return wiki
    external = [str(node.url) for node in sole if isinstance(node, ExternalLink)]
    if len(external) != len(parts):
        return []
    return [IRI(url) for url in external if _clean_link(url)]


def _link_iri(link: Wikilink, context: ParseContext) -> IRI | None:
    """The resource of a wiki link in any namespace; ``[[#Section]]`` is a section of the page."""
    try:
        title = link_title(parse_link_target(str(link.title)), context.page_title)
    except InvalidTitle:
        return None
    return IRI(resource_iri(title, _namespace(context.lang, "resource")))


def _clean_link(url: str) -> bool:
    """``UriUtils.cleanLink``: only http, https and ftp links are kept."""
    scheme = _URL_SCHEME.match(url)
    return scheme is not None and scheme.group(1) in _LINK_SCHEMES


def _namespace(lang: str, kind: str) -> str:
    return f"http://dbpedia.org/{kind}/" if lang == "en" else f"http://{lang}.dbpedia.org/{kind}/"


def _capitalize(word: str, turkic: bool) -> str:
    """``RichString.capitalize``: the first UTF-16 unit upper-cased, a leading ß kept."""
    if not word or word[0] == "ß" or ord(word[0]) > 0xFFFF:
        return word
    head = word[0].translate(_DOTTED_UPPER) if turkic else word[0]
    return head.upper() + word[1:]
