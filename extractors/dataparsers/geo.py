"""DBpedia's GeoCoordinateParser and SingleGeoCoordinateParser, and the triples DBpedia writes.

:func:`parse_coordinates` (GeocoordinatesMapping ``coordinates=``) searches the value depth first
for ``{{coord}}`` templates (names after template redirects: coord, coor, coords, coor dm, coor dms,
location, geocoordinate). Its unnamed *and named* parameters, in order, are read as texts; a
parameter that is empty or not a single text is skipped. Then the first form that fits wins:

* ``d|N/S|d|E/W|…``, ``d|m|N/S|d|m|E/W|…``, ``d|m|s|N/S|d|m|s|E/W|…`` -> degrees, minutes, seconds;
  the longitude letter must be E or W, latitude within ±90 and longitude within ±180;
* ``lat|long|…`` -> two decimals, or two single coordinates like ``51/12/N``; this form has no
  range check in DBpedia either.

Every coord template in the value is read, and one that is malformed (a number Java cannot read, a
bad letter, out of range) makes the whole value give nothing. Without a coord template, the plain
text may be ``38º32' N 3º29' W`` (minutes and optional seconds, full match).

Numbers are computed as DBpedia does, ``(deg + (min + sec / 60) / 60) · sign``, and written with
Java's ``Double.toString``: Berlin's ``{{coord|52|31|12|N|13|24|18|E}}`` gives "52.52" and "13.405".
Hemisphere letters are English (N, S, E, W).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mwparserfromhell.nodes import ExternalLink, Heading, Node, Tag, Template, Wikilink

from extractors.dataparsers import ParseContext
from extractors.dataparsers.objects import SKIPPED_TAGS, dbpedia_nodes, retrieve_text
from extractors.java_text import JAVA_SPACE, java_parse_double
from extractors.rdf import GEO, GEORSS, IRI, RDF_TYPE, XSD, XSD_STRING, Literal, Term, java_double
from extractors.wikitext import Wikicode, plain_text, template_name

__all__ = [
    "Coordinates",
    "coordinates_from_parts",
    "geo_statements",
    "parse_coordinates",
    "parse_single_coordinate",
]

_COORD_TEMPLATES = frozenset(
    {"coord", "coor dms", "coor dm", "coor", "location", "geocoordinate", "coords"}
)
_LATITUDE_LETTER = re.compile(r"N|S")
_S = JAVA_SPACE
_DMS_TEXT = re.compile(
    rf"([0-9]{{1,2}})º([0-9]{{1,2}})'([0-9]{{1,2}}(?:\.[0-9]{{1,2}})?)?\"?{_S}?(N|S){_S}"
    rf"([0-9]{{1,3}})º([0-9]{{1,2}})'([0-9]{{1,2}}(?:\.[0-9]{{1,2}})?)?\"?{_S}?(E|W)"
)
# SingleGeoCoordinateParser, with the original's unescaped '.' and two-digit longitude degrees.
_SINGLE_LATITUDE = re.compile(
    rf"([0-9]{{1,2}})/([0-9]{{1,2}})/([0-9]{{0,2}}(?:.[0-9]{{1,2}})?)/?{_S}?(N|S)"
)
_SINGLE_LONGITUDE = re.compile(
    rf"([0-9]{{1,2}})/([0-9]{{1,2}})/([0-9]{{0,2}}(?:.[0-9]{{1,2}})?)/?{_S}?(E|W)"
)

SPATIAL_THING = IRI(GEO + "SpatialThing")
XSD_FLOAT = XSD + "float"


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A point in decimal degrees."""

    latitude: float
    longitude: float


class _Malformed(ValueError):
    """A coordinate DBpedia rejects with an exception (which voids the whole value)."""


def parse_coordinates(value: Wikicode, context: ParseContext) -> Coordinates | None:
    """DBpedia's GeoCoordinateParser: a coord template, else a ``38º32' N 3º29' W`` text."""
    try:
        found = _catch_template(value.nodes, context)
        if found is not None:
            return found
        text = plain_text(value)
        match = _DMS_TEXT.fullmatch(text) if text is not None else None
        if match is None:
            return None
        lat_deg, lat_min, lat_sec, lat_hem, lon_deg, lon_min, lon_sec, lon_hem = match.groups()
        return _from_parts(
            _double(lat_deg), _double(lat_min), _double(lat_sec) if lat_sec else 0.0, lat_hem,
            _double(lon_deg), _double(lon_min), _double(lon_sec) if lon_sec else 0.0, lon_hem,
        )  # fmt: skip
    except _Malformed:
        return None


def _catch_template(nodes: list[Node], context: ParseContext) -> Coordinates | None:
    """The first coord template's coordinates, depth first; every coord template is evaluated."""
    found = None
    for node in nodes:
        if isinstance(node, Template) and (
            context.resolve_template(template_name(node)).lower() in _COORD_TEMPLATES
        ):
            result = _coord_template(node)
        else:
            result = None
            for inner in _inner(node):
                inner_result = _catch_template(inner.nodes, context)
                result = result or inner_result
        found = found or result
    return found


def _inner(node: Node) -> list[Wikicode]:
    """The nested wikitext that DBpedia's parser makes children of a node."""
    if isinstance(node, Template):
        return [param.value for param in node.params]
    if isinstance(node, Wikilink):
        return [node.text] if node.text is not None else []
    if isinstance(node, ExternalLink):
        return [node.title] if node.title is not None else []
    if isinstance(node, Heading):
        return [node.title]
    if isinstance(node, Tag) and node.contents is not None:
        return [] if str(node.tag).startswith(SKIPPED_TAGS) else [node.contents]
    return []


def _coord_template(template: Template) -> Coordinates | None:
    texts = [retrieve_text(dbpedia_nodes(param.value)) for param in template.params]
    p = [text for text in texts if text is not None]
    if len(p) >= 4 and _LATITUDE_LETTER.fullmatch(p[1]):
        return _from_parts(_double(p[0]), 0.0, 0.0, p[1], _double(p[2]), 0.0, 0.0, p[3])
    if len(p) >= 6 and _LATITUDE_LETTER.fullmatch(p[2]):
        return _from_parts(
            _double(p[0]), _double(p[1]), 0.0, p[2], _double(p[3]), _double(p[4]), 0.0, p[5]
        )
    if len(p) >= 8 and _LATITUDE_LETTER.fullmatch(p[3]):
        return _from_parts(
            _double(p[0]), _double(p[1]), _double(p[2]), p[3],
            _double(p[4]), _double(p[5]), _double(p[6]), p[7],
        )  # fmt: skip
    if len(p) >= 2:
        latitude = _single(p[0])
        latitude = _double(p[0]) if latitude is None else latitude
        longitude = _single(p[1])
        longitude = _double(p[1]) if longitude is None else longitude
        return Coordinates(latitude, longitude)
    return None


def coordinates_from_parts(
    lat_deg: float, lat_min: float, lat_sec: float, lat_hem: str,
    lon_deg: float, lon_min: float, lon_sec: float, lon_hem: str,
) -> Coordinates | None:  # fmt: skip
    """A point from degrees, minutes, seconds and letters (N/S, E/W), None if DBpedia rejects it.

    For GeocoordinatesMapping's ``latitudeDegrees``… form (defaults there: 0 minutes and seconds,
    N and E); the hemisphere letters must be exact and the result within range.
    """
    try:
        return _from_parts(lat_deg, lat_min, lat_sec, lat_hem, lon_deg, lon_min, lon_sec, lon_hem)
    except _Malformed:
        return None


def _from_parts(
    lat_deg: float, lat_min: float, lat_sec: float, lat_hem: str,
    lon_deg: float, lon_min: float, lon_sec: float, lon_hem: str,
) -> Coordinates:  # fmt: skip
    return Coordinates(
        _latitude(lat_deg, lat_min, lat_sec, lat_hem),
        _longitude(lon_deg, lon_min, lon_sec, lon_hem),
    )


def _latitude(degrees: float, minutes: float, seconds: float, hemisphere: str) -> float:
    if hemisphere not in ("N", "S"):
        raise _Malformed(f"invalid hemisphere {hemisphere!r}")
    value = (degrees + (minutes + seconds / 60.0) / 60.0) * (-1.0 if hemisphere == "S" else 1.0)
    if not -90.0 <= value <= 90.0:
        raise _Malformed("latitude out of range")
    return value


def _longitude(degrees: float, minutes: float, seconds: float, hemisphere: str) -> float:
    if hemisphere not in ("E", "W"):
        raise _Malformed(f"invalid hemisphere {hemisphere!r}")
    value = (degrees + (minutes + seconds / 60.0) / 60.0) * (-1.0 if hemisphere == "W" else 1.0)
    if not -180.0 <= value <= 180.0:
        raise _Malformed("longitude out of range")
    return value


def parse_single_coordinate(text: str, context: ParseContext | None = None) -> float | None:
    """DBpedia's SingleGeoCoordinateParser on plain text: ``51/12/N`` -> 51.2, ``3/13/W`` -> -3.2….

    Degrees/minutes/optional seconds and a letter, the whole text; latitudes need N or S and
    ±90, longitudes E or W and ±180 (and, as in DBpedia, at most two digits of degrees). The
    letters are English whatever ``context.lang`` says (DBpedia's fallback for other languages).
    """
    try:
        return _single(text)
    except _Malformed:
        return None


def _single(text: str) -> float | None:
    match = _SINGLE_LATITUDE.fullmatch(text)
    if match is not None:
        return _latitude(*_dms(match.groups()))
    match = _SINGLE_LONGITUDE.fullmatch(text)
    if match is not None:
        return _longitude(*_dms(match.groups()))
    return None


def _dms(groups: tuple[str, ...]) -> tuple[float, float, float, str]:
    degrees, minutes, seconds, hemisphere = groups
    return _double(degrees), _double(minutes), _double("0" + seconds), hemisphere


def _double(text: str) -> float:
    """Java's ``String.toDouble``; _Malformed where Java throws NumberFormatException."""
    value = java_parse_double(text)
    if value is None:
        raise _Malformed(f"not a number: {text!r}")
    return value


def geo_statements(coordinates: Coordinates) -> list[tuple[str, Term]]:
    """The (predicate, object) pairs DBpedia writes for a point, in its order.

    ``rdf:type geo:SpatialThing``, ``geo:lat`` and ``geo:long`` as xsd:float literals and
    ``georss:point "lat long"``, the numbers in Java's ``Double.toString`` form.
    """
    latitude = java_double(coordinates.latitude)
    longitude = java_double(coordinates.longitude)
    return [
        (RDF_TYPE, SPATIAL_THING),
        (GEO + "lat", Literal(latitude, XSD_FLOAT)),
        (GEO + "long", Literal(longitude, XSD_FLOAT)),
        (GEORSS + "point", Literal(f"{latitude} {longitude}", XSD_STRING)),
    ]
