"""Values of property mappings: parser by range, splitting of non-functional properties, output.

``parse_values`` yields, for one template parameter, the object terms of the mapped property,
and ``(predicate, term)`` pairs for class-specific unit properties (``dbo:Place/areaTotal``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cache

from mwparserfromhell.nodes import Node, Tag, Text
from mwparserfromhell.smart_list import SmartList

from extractors import units
from extractors.dataparsers import ParseContext
from extractors.dataparsers.dates import parse_date, parse_date_text
from extractors.dataparsers.geo import (
    Coordinates,
    coordinates_from_parts,
    geo_statements,
    parse_coordinates,
    parse_single_coordinate,
)
from extractors.dataparsers.links import parse_boolean, parse_link
from extractors.dataparsers.numbers import parse_double, parse_integer
from extractors.dataparsers.objects import parse_object
from extractors.dataparsers.unit_values import parse_unit_value
from extractors.java_text import JAVA_SPACE
from extractors.mappings import CalculateMapping, GeocoordinatesMapping, SimplePropertyMapping
from extractors.ontology import ENUMERATIONS, Ontology, OntologyProperty
from extractors.rdf import DBO, IRI, XSD, Literal, Triple, java_double
from extractors.wikitext import Wikicode, parse, plain_text

#: ``<br>`` written as text (template transforms insert ``<br />``), in any spelling and case,
#: as the tag splits; DBpedia's split regexes all start with ``<br\s*\/?>`` (Java's ``\s``).
_BR_TEXT = rf"(?i:<br{JAVA_SPACE}*/?>)"
#: DBpedia's split regexes per parser (DataParserConfig, en) after that ``<br>``; ``<br>`` tags
#: are always a split. ``br`` splits at ``<br>`` only (splitPropertyNodeRegexInfobox, used by
#: IntermediateNodeMapping).
_SPLIT = {
    "br": "",
    "default": r"\n",
    "number": r"\n| and | or |;",
    "link": r"\n| and | or |/|;|,",
    "object": r"\n| and | or | in |/|;|,",
    "unit": r"\n| and | or ",
}
_SPLIT_RE = {
    kind: re.compile(f"{_BR_TEXT}|{pattern}" if pattern else _BR_TEXT)
    for kind, pattern in _SPLIT.items()
}
_INTEGER_RANGES = {
    "xsd:integer": lambda value: True,
    "xsd:positiveInteger": lambda value: value > 0,
    "xsd:nonNegativeInteger": lambda value: value >= 0,
    "xsd:nonPositiveInteger": lambda value: value <= 0,
    "xsd:negativeInteger": lambda value: value < 0,
}
_DATE_TYPES = {"xsd:date", "xsd:gYear", "xsd:gYearMonth", "xsd:gMonthDay"}
_INTERVAL_SPLIT = re.compile(r"<br\s*/?>|\n|,|;", re.IGNORECASE)
_DASHES = re.compile(r"\s*(?:[-–—−]|&ndash;|&mdash;|\bto\b)\s*")

Output = IRI | Literal | tuple[str, IRI | Literal]


def _split_kind(prop: OntologyProperty, datatype_kind: str) -> str:
    if prop.is_object:
        return "link" if prop.name == "foaf:homepage" else "object"
    if datatype_kind in ("unit", "dimension"):
        return "unit"
    if (
        prop.range in _INTEGER_RANGES
        or prop.range in _DATE_TYPES
        or prop.range in ("xsd:double", "xsd:float")
    ):
        return "number"
    if prop.range == "xsd:anyURI":
        return "link"
    return "default"


def split_nodes(value: Wikicode, kind: str) -> list[list[Node]]:
    """The nodes of a value between separators: ``<br>`` tags, and in text ``<br>`` or the
    separators of ``kind`` (a key of ``_SPLIT``); links and templates stay whole. Pieces may be
    empty or blank."""
    pattern = _SPLIT_RE[kind]
    pieces: list[list[Node]] = [[]]
    for node in value.nodes:
        if isinstance(node, Tag) and str(node.tag).lower() == "br":
            pieces.append([])
        elif isinstance(node, Text):
            parts = pattern.split(node.value)
            pieces[-1].append(Text(parts[0]))
            pieces.extend([Text(part)] for part in parts[1:])
        else:
            pieces[-1].append(node)
    return pieces


def split_value(value: Wikicode, kind: str) -> list[Wikicode]:
    """Split a value into pieces (:func:`split_nodes`), blank texts and empty pieces dropped."""
    kept = (
        [n for n in nodes if not (isinstance(n, Text) and not n.value.strip())]
        for nodes in split_nodes(value, kind)
    )
    return [Wikicode(SmartList(nodes)) for nodes in kept if nodes]


def split_br(value: Wikicode) -> list[Wikicode]:
    """Split a value at ``<br>`` only (tags and text), keeping the pieces that are not blank."""
    return [
        Wikicode(SmartList(nodes))
        for nodes in split_nodes(value, "br")
        if "".join(map(str, nodes)).strip()
    ]


def _decorate(piece: Wikicode, mapping: SimplePropertyMapping) -> Wikicode:
    """prefix / suffix / transform, applied to a piece that is plain text only."""
    if not (mapping.prefix or mapping.suffix or mapping.transform):
        return piece
    if not all(isinstance(node, Text) for node in piece.nodes):
        return piece
    text = f"{mapping.prefix}{str(piece).strip()}{mapping.suffix}"
    if mapping.transform == "internal":
        return parse(f"[[{text}]]")
    if mapping.transform == "external":
        return parse(f"[{text}]" if "://" in text else f"[http://{text}]")
    return parse(text)


def parse_values(
    value: Wikicode,
    mapping: SimplePropertyMapping,
    prop: OntologyProperty,
    classes: Sequence[str],
    ontology: Ontology,
    context: ParseContext,
) -> Iterator[Output]:
    """The outputs of one SimplePropertyMapping for one parameter value (rules §1.3)."""
    datatype = ontology.datatypes.get(prop.range)
    kind = "class" if prop.is_object else (datatype.kind if datatype else "xsd")
    if prop.functional:
        pieces = [value]
    else:
        pieces = [
            _decorate(piece, mapping) for piece in split_value(value, _split_kind(prop, kind))
        ]
    results: list[list[Output]] = []
    for piece in pieces:
        produced = list(_parse_piece(piece, mapping, prop, kind, classes, ontology, context))
        if produced:
            results.append(produced)
    if mapping.select == "first":
        results = results[:1]
    elif mapping.select == "last":
        results = results[-1:]
    for produced in results:
        yield from produced


def _parse_piece(
    piece: Wikicode,
    mapping: SimplePropertyMapping,
    prop: OntologyProperty,
    kind: str,
    classes: Sequence[str],
    ontology: Ontology,
    context: ParseContext,
) -> Iterator[Output]:
    rng = prop.range
    if kind == "class":
        iri = (
            parse_link(piece, context)
            if prop.name == "foaf:homepage"
            else parse_object(piece, context)
        )
        if iri is not None:
            yield IRI(iri)
    elif kind in ("unit", "dimension"):
        target = (
            units.unit_by_name(mapping.unit or "")
            or units.unit_by_name(rng)
            or units.dimension_by_name(mapping.unit or rng)
        )
        if target is None:
            return
        found = parse_unit_value(piece, target, context, factor=mapping.factor)
        if found is not None:
            yield from unit_outputs(found.value, found.unit, prop, classes, ontology)
    elif kind == "enumeration":
        text = plain_text(piece)
        if text:
            literal = _enumeration(rng, text)
            if literal:
                yield Literal(literal, DBO + rng)
    elif rng in _INTEGER_RANGES:
        number = parse_integer(piece, context, factor=mapping.factor)
        if number is not None and _INTEGER_RANGES[rng](number):
            yield Literal(str(number), XSD + rng.split(":")[1])
    elif rng in ("xsd:double", "xsd:float"):
        number = parse_double(piece, context, factor=mapping.factor)
        if number is not None:
            yield Literal(java_double(number), XSD + rng.split(":")[1])
    elif rng in _DATE_TYPES:
        literal = parse_date(piece, XSD + rng.split(":")[1], context)
        if literal is not None:
            yield literal
    elif rng == "xsd:boolean":
        flag = parse_boolean(piece, context)
        if flag is not None:
            yield Literal("true" if flag else "false", XSD + "boolean")
    elif rng == "xsd:anyURI":
        iri = parse_link(piece, context)
        if iri is not None:
            yield Literal(iri, XSD + "anyURI")
    elif rng == "xsd:string":
        text = plain_text(piece)
        if text:
            yield Literal(text)
    elif rng == "rdf:langString":
        text = plain_text(piece)
        if text:
            yield Literal(text, lang=mapping.language or context.lang)


def _enumeration(name: str, text: str) -> str | None:
    """The first literal of the enumeration that one of its labels names in the text."""
    lowered = text.lower()
    for literal, pattern in _enumeration_patterns(name):
        if pattern.search(lowered):
            return literal
    return None


@cache
def _enumeration_patterns(name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Per literal of an enumeration, in order: its labels (the literal and its aliases,
    lower-cased) as whole words."""
    patterns = []
    for literal, aliases in ENUMERATIONS.get(name, {}).items():
        labels = "|".join(re.escape(label.lower()) for label in (literal, *aliases))
        patterns.append((literal, re.compile(rf"(?<!\w)(?:{labels})(?!\w)")))
    return tuple(patterns)


def unit_outputs(
    value: float | Decimal,
    unit: units.Unit,
    prop: OntologyProperty,
    classes: Sequence[str],
    ontology: Ontology,
) -> Iterator[Output]:
    """DBpedia's writeUnitValue: the standard-unit double and the class-specific values."""
    if not unit.convertible:
        yield Literal(java_double(float(value)), unit.iri)
        return
    standard = unit.to_standard(value)
    yield Literal(java_double(float(standard)), XSD + "double")
    for cls in classes:
        specific = ontology.specializations.get((cls, prop.name))
        if specific is None:
            continue
        specific_unit = units.unit_by_name(specific)
        if specific_unit is not None:
            yield (
                f"{DBO}{cls}/{prop.name}",
                Literal(
                    java_double(float(specific_unit.from_standard(standard))), specific_unit.iri
                ),
            )


def parse_date_interval(
    value: Wikicode, start_range: str, end_range: str, context: ParseContext
) -> tuple[Literal, Literal | None] | None:
    """DateIntervalMapping: "1990–2005", "since 1990", "1990–present" (rules §1.5)."""
    text = plain_text(value)
    if not text:
        return None
    parts = [part for part in _INTERVAL_SPLIT.split(text) if part.strip()]
    for part in parts:
        bounds = _DASHES.split(part.strip(), maxsplit=1)
        start = parse_date_text(bounds[0], XSD + start_range.split(":")[1], context.lang)
        if start is None:
            continue
        end_text = bounds[1].strip() if len(bounds) > 1 else ""
        if end_text.lower() in ("present", "now"):
            return start, None
        if not end_text:
            open_ended = part.strip().lower().startswith("since") or part.strip().lower().endswith(
                "onward"
            )
            if open_ended:
                return start, None
            return start, Literal(
                start.lexical, XSD + end_range.split(":")[1]
            ) if start_range == end_range else None
        end = parse_date_text(end_text, XSD + end_range.split(":")[1], context.lang)
        if end is not None and end.lexical < start.lexical and not end.lexical.startswith("-"):
            return start, None
        return start, end
    return None


def combine_date(
    parts: list[tuple[Wikicode, str]], range_: str, context: ParseContext
) -> Literal | None:
    """CombineDateMapping: year, month and day from two or three parameters, in ``range_``."""
    year = month = day = None
    for value, datatype in parts:
        literal = parse_date(value, XSD + datatype.split(":")[-1], context)
        if literal is None:
            continue
        lexical = literal.lexical
        if datatype.endswith("gYear"):
            year = lexical
        elif datatype.endswith("gMonthDay"):
            month, day = lexical[2:4], lexical[5:7]
        elif datatype.endswith("gYearMonth"):
            year, month = lexical.rsplit("-", 1)
        elif datatype.endswith("date"):
            year, month, day = lexical.rsplit("-", 2)
    name = range_.split(":")[-1]
    if name == "date" and year and month and day:
        return Literal(f"{year}-{month}-{day}", XSD + "date")
    if name == "gYearMonth" and year and month:
        return Literal(f"{year}-{month}", XSD + "gYearMonth")
    if name == "gYear" and year:
        return Literal(year, XSD + "gYear")
    return None


def calculate(
    first: Wikicode,
    second: Wikicode,
    mapping: CalculateMapping,
    prop: OntologyProperty,
    ontology: Ontology,
    context: ParseContext,
) -> list[Output]:
    """CalculateMapping with ``operation = add``."""
    unit1 = units.unit_by_name(mapping.unit1 or "") or units.dimension_by_name(mapping.unit1 or "")
    unit2 = units.unit_by_name(mapping.unit2 or "") or units.dimension_by_name(mapping.unit2 or "")
    if unit1 is not None and unit2 is not None:
        a = parse_unit_value(first, unit1, context)
        b = parse_unit_value(second, unit2, context)
        standard = a.unit.dimension.standard_unit if a is not None else None
        if standard is None or b is None or not (a.unit.convertible and b.unit.convertible):
            return []
        total = a.unit.to_standard(a.value) + b.unit.to_standard(b.value)
        if not total.is_finite():
            return []
        domain_classes = ontology.related_classes(prop.domain)
        return list(unit_outputs(total, standard, prop, domain_classes, ontology))
    x, y = parse_double(first, context), parse_double(second, context)
    if x is None or y is None:
        return []
    datatype = ontology.datatypes.get(prop.range)
    if prop.range in _INTEGER_RANGES:
        return [Literal(str(round(x + y)), datatype.iri if datatype else None)]
    return [Literal(java_double(x + y), datatype.iri if datatype else XSD + "double")]


def parse_mapping_coordinates(
    mapping: GeocoordinatesMapping, params: dict[str, Wikicode], context: ParseContext
) -> Coordinates | None:
    """The coordinates a GeocoordinatesMapping reads, in whichever form it is written."""
    if mapping.coordinates:
        value = params.get(mapping.coordinates)
        return parse_coordinates(value, context) if value is not None else None
    if mapping.latitude and mapping.longitude:
        lat_value, long_value = params.get(mapping.latitude), params.get(mapping.longitude)
        if lat_value is None or long_value is None:
            return None
        latitude = _coordinate(lat_value, context, 90)
        longitude = _coordinate(long_value, context, 180)
        if latitude is None or longitude is None:
            return None
        return Coordinates(latitude, longitude)
    if mapping.latitude_degrees and mapping.longitude_degrees:
        if mapping.latitude_degrees not in params or mapping.longitude_degrees not in params:
            return None
        return coordinates_from_parts(
            _number(params, mapping.latitude_degrees, context),
            _number(params, mapping.latitude_minutes, context),
            _number(params, mapping.latitude_seconds, context),
            _letter(params, mapping.latitude_direction, "N"),
            _number(params, mapping.longitude_degrees, context),
            _number(params, mapping.longitude_minutes, context),
            _number(params, mapping.longitude_seconds, context),
            _letter(params, mapping.longitude_direction, "E"),
        )
    return None


def _coordinate(value: Wikicode, context: ParseContext, bound: float) -> float | None:
    text = plain_text(value)
    single = parse_single_coordinate(text, context) if text else None
    number = single if single is not None else parse_double(value, context)
    return number if number is not None and -bound <= number <= bound else None


def _number(params: dict[str, Wikicode], key: str | None, context: ParseContext) -> float:
    value = params.get(key or "")
    found = parse_double(value, context) if value is not None else None
    return found or 0.0


def _letter(params: dict[str, Wikicode], key: str | None, default: str) -> str:
    value = params.get(key or "")
    text = plain_text(value) if value is not None else None
    return text.strip() if text else default


def geo_triples(subject: str, coordinates: Coordinates, extractor: str) -> list[Triple]:
    """The statements DBpedia writes for a coordinate pair (geo:lat, geo:long, georss:point)."""
    return [
        Triple(subject, predicate, term, extractor)
        for predicate, term in geo_statements(coordinates)
    ]
