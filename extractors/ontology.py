"""The DBpedia ontology, built from the mappings wiki's OntologyClass / OntologyProperty pages.

Follows DBpedia's ``OntologyReader``: class names are page titles with the first letter upper-cased,
property names with the first letter lower-cased, a prefix such as ``Foaf:`` is lower-cased; the
built-ins owl:Thing, rdf:Property, rdf:type, rdfs:label and rdfs:comment are added; classes and
properties in namespaces DBpedia does not validate (schema:, wikidata:, dul:, …) become stubs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractors import units
from extractors.rdf import DBO, RDF_LANG_STRING, XSD, expand
from extractors.wikitext import parse, plain_text, template_name, template_params

log = logging.getLogger(__name__)

#: Prefixes whose names must be defined in the ontology (DBpedia's RdfNamespace validate flag).
VALIDATED_PREFIXES = frozenset(
    {"owl", "rdf", "rdfs", "foaf", "geo", "georss", "gml", "xsd", "dc", "dct", "dcterms", "skos"}
)

#: The plain XML Schema datatypes DBpedia knows (OntologyDatatypes), plus rdf:langString.
XSD_DATATYPES = (
    "date time dateTime gYear gYearMonth gMonth gMonthDay gDay boolean string integer "
    "positiveInteger nonNegativeInteger nonPositiveInteger negativeInteger double float anyURI"
).split()

#: DBpedia's enumeration datatypes: name -> {literal: [aliases]}.
ENUMERATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "fuelType": {"diesel": (), "petrol": ()},
    "engineConfiguration": {
        "straight-two": ("I2", "inline 2", "inline twin", "parallel twin"),
        "straight-three": ("I3", "inline 3", "inline-three"),
        "straight-four": ("I4", "inline 4", "inline-four"),
        "straight-five": ("I5", "inline 5", "inline-five"),
        "straight-six": ("I6", "inline 6", "inline-six"),
        "straight-eight": ("I8", "inline 8", "inline-eight"),
        "straight-nine": ("I9", "inline 9", "inline-nine"),
        "straight-10": ("I10", "inline 10", "inline-10"),
        "straight-12": ("I12", "inline 12", "inline-12"),
        "straight-14": ("I14", "inline 14", "inline-14"),
        "flat-twin": ("F2", "H2"),
        **{
            name: ()
            for name in "F4 F6 F8 F10 F12 F16 V2 V4 V5 V6 V8 V10 V12 V16 V20 V24 W8 W12 W16 "
            "W18 H U VR X".split()
        },
        **{
            name: ()
            for name in (
                "Square four",
                "Opposed",
                "Single",
                "Radial",
                "Rotary",
                "Deltic",
                "Pistonless",
                "Wankel",
            )
        },
    },
    "valvetrain": {
        "SOHC": (),
        "DOHC": (),
        "L-head": ("L-block", "flathead", "sidevalve"),
        "F-head": (),
        "I-head": ("OHV",),
        "Camless": (),
    },
}


def iri_of(name: str) -> str:
    """The IRI of an ontology name: ``City`` -> dbo:City, ``foaf:name`` -> foaf:name's IRI."""
    expanded = expand(name)
    return expanded if expanded != name or "://" in name else DBO + name


def is_validated(name: str) -> bool:
    """Whether a name must be defined in the ontology (else a stub is made for it).

    As in DBpedia, only the well-known prefixes are validated: an undefined plain name such as
    ``Location`` becomes a stub class in the DBpedia ontology namespace.
    """
    prefix, sep, _ = name.partition(":")
    return bool(sep) and prefix in VALIDATED_PREFIXES


@dataclass(frozen=True)
class Datatype:
    """A datatype a property's range can name: xsd, enumeration, dimension or unit."""

    name: str
    iri: str
    kind: str  # "xsd", "enumeration", "dimension", "unit"


@dataclass
class OntologyClass:
    """An ontology class with its direct bases and equivalents (names), and its closure."""

    name: str
    iri: str
    labels: dict[str, str] = field(default_factory=dict)
    bases: list[str] = field(default_factory=list)
    equivalents: list[str] = field(default_factory=list)
    related: tuple[str, ...] = ()  # self, equivalents and superclasses, deduplicated: names


@dataclass
class OntologyProperty:
    """An ontology property: object or datatype, domain class and range (class or datatype)."""

    name: str
    iri: str
    is_object: bool
    functional: bool
    domain: str
    range: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Ontology:
    """Classes, properties and datatypes by name, and the class-specific units."""

    classes: dict[str, OntologyClass]
    properties: dict[str, OntologyProperty]
    datatypes: dict[str, Datatype]
    #: (class name, property name) -> unit name
    specializations: dict[tuple[str, str], str]

    def related_classes(self, name: str) -> tuple[str, ...]:
        """A class and everything it is also an instance of, ending in owl:Thing."""
        cls = self.classes.get(name)
        return cls.related if cls else ()

    def is_subclass(self, child: str, parent: str) -> bool:
        """Whether ``child`` is ``parent`` or one of its subclasses (through bases/equivalents)."""
        return parent in self.related_classes(child)


def _base_datatypes() -> dict[str, Datatype]:
    types = {f"xsd:{name}": Datatype(f"xsd:{name}", XSD + name, "xsd") for name in XSD_DATATYPES}
    types["rdf:langString"] = Datatype("rdf:langString", RDF_LANG_STRING, "xsd")
    for name in ENUMERATIONS:
        types[name] = Datatype(name, DBO + name, "enumeration")
    for dimension in units.DIMENSIONS:
        types[dimension.name] = Datatype(dimension.name, dimension.iri, "dimension")
        for unit in dimension.units:
            types[unit.name] = Datatype(unit.name, unit.iri, "unit")
    return types


def _ontology_name(title: str, upper: bool) -> str:
    local = title.split(":", 1)[1] if ":" in title else title
    prefix, sep, rest = local.partition(":")
    if not sep:
        prefix, rest = "", local
    rest = rest.replace(" ", "_")
    rest = (rest[:1].upper() if upper else rest[:1].lower()) + rest[1:]
    return f"{prefix.lower()}:{rest}" if prefix else rest


def _text(value) -> str | None:  # type: ignore[no-untyped-def]
    return plain_text(value)


def _list(value) -> list[str]:  # type: ignore[no-untyped-def]
    text = _text(value) if value is not None else None
    return [part.strip() for part in text.split(",") if part.strip()] if text else []


def _localized(params: dict, key: str) -> dict[str, str]:  # type: ignore[type-arg]
    """``rdfs:label@en = x`` params plus ``labels = {{label|en|x}}`` templates."""
    found: dict[str, str] = {}
    for name, value in params.items():
        if name.startswith(f"rdfs:{key}@"):
            text = _text(value)
            if text:
                found[name.split("@", 1)[1].strip()] = text
    for template in params.get(f"{key}s", parse("")).filter_templates(recursive=False):
        if template_name(template).lower() == key:
            inner = template_params(template)
            lang, text = _text(inner.get("1", parse(""))), _text(inner.get("2", parse("")))
            if lang and text:
                found[lang] = text
    return found


def build_ontology(pages: Iterable[tuple[str, str]]) -> Ontology:
    """Build the ontology from (title, wikitext) pairs of OntologyClass/OntologyProperty pages."""
    classes: dict[str, OntologyClass] = {
        "owl:Thing": OntologyClass("owl:Thing", iri_of("owl:Thing"), {"en": "Thing"}),
        "rdf:Property": OntologyClass(
            "rdf:Property", iri_of("rdf:Property"), {"en": "Property"}, ["owl:Thing"]
        ),
    }
    properties: dict[str, OntologyProperty] = {
        "rdf:type": OntologyProperty(
            "rdf:type", iri_of("rdf:type"), True, False, "owl:Thing", "owl:Thing"
        ),
        "rdfs:label": OntologyProperty(
            "rdfs:label", iri_of("rdfs:label"), False, False, "owl:Thing", "rdf:langString"
        ),
        "rdfs:comment": OntologyProperty(
            "rdfs:comment", iri_of("rdfs:comment"), False, False, "owl:Thing", "rdf:langString"
        ),
    }
    datatypes = _base_datatypes()
    specific: list[tuple[str, str, str]] = []

    for title, wikitext in pages:
        for template in parse(wikitext).filter_templates(recursive=False):
            kind = template_name(template)
            params = template_params(template)
            if kind == "Class":
                name = _ontology_name(title, upper=True)
                bases = _list(params.get("rdfs:subClassOf")) or ["owl:Thing"]
                classes[name] = OntologyClass(
                    name,
                    iri_of(name),
                    _localized(params, "label"),
                    bases,
                    _list(params.get("owl:equivalentClass")),
                )
                for spec in params.get("specificProperties", parse("")).filter_templates(
                    recursive=False
                ):
                    inner = template_params(spec)
                    prop = _text(inner.get("ontologyProperty", parse("")))
                    unit = _text(inner.get("unit", parse("")))
                    if template_name(spec) == "SpecificProperty" and prop and unit:
                        specific.append((name, prop, unit))
            elif kind in ("ObjectProperty", "DatatypeProperty"):
                name = _ontology_name(title, upper=False)
                is_object = kind == "ObjectProperty"
                range_ = _text(params.get("rdfs:range", parse(""))) or (
                    "owl:Thing" if is_object else None
                )
                if range_ is None:
                    log.warning("%s: datatype property without a range", title)
                    continue
                properties[name] = OntologyProperty(
                    name,
                    iri_of(name),
                    is_object,
                    _text(params.get("rdf:type", parse(""))) == "owl:FunctionalProperty",
                    _text(params.get("rdfs:domain", parse(""))) or "owl:Thing",
                    range_,
                    _localized(params, "label"),
                )

    _add_stub_classes(classes)
    properties = _resolve_properties(properties, classes, datatypes)
    for cls in classes.values():
        cls.related = _related(cls.name, classes)
    specializations = _resolve_specializations(specific, classes, properties, datatypes)
    return Ontology(classes, properties, datatypes, specializations)


def _add_stub_classes(classes: dict[str, OntologyClass]) -> None:
    """Undefined classes get stubs if unvalidated; else they are dropped, with a warning."""
    for cls in list(classes.values()):
        for names in (cls.bases, cls.equivalents):
            for name in list(names):
                if name in classes:
                    continue
                if is_validated(name):
                    log.warning("class %s: related class %s not found", cls.name, name)
                    names.remove(name)
                else:
                    classes[name] = OntologyClass(name, iri_of(name))


def _related(name: str, classes: dict[str, OntologyClass]) -> tuple[str, ...]:
    """Depth first: the class, its equivalents, then its bases, each recursively; deduplicated."""
    seen: dict[str, None] = {}
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen or current not in classes:
            continue
        seen[current] = None
        cls = classes[current]
        stack.extend(reversed(cls.equivalents + cls.bases))
    return tuple(seen)


def _resolve_properties(
    properties: dict[str, OntologyProperty],
    classes: dict[str, OntologyClass],
    datatypes: dict[str, Datatype],
) -> dict[str, OntologyProperty]:
    resolved: dict[str, OntologyProperty] = {}
    for name, prop in properties.items():
        if prop.domain not in classes:
            if is_validated(prop.domain):
                log.warning("property %s: domain %s not found", name, prop.domain)
                continue
            classes[prop.domain] = OntologyClass(prop.domain, iri_of(prop.domain))
        if prop.is_object:
            if prop.range not in classes:
                if is_validated(prop.range):
                    log.warning("property %s: range %s not found", name, prop.range)
                    continue
                classes[prop.range] = OntologyClass(prop.range, iri_of(prop.range))
        elif prop.range not in datatypes:
            log.warning("property %s: datatype %s not found", name, prop.range)
            continue
        resolved[name] = prop
    return resolved


def _resolve_specializations(
    specific: list[tuple[str, str, str]],
    classes: dict[str, OntologyClass],
    properties: dict[str, OntologyProperty],
    datatypes: dict[str, Datatype],
) -> dict[tuple[str, str], str]:
    resolved: dict[tuple[str, str], str] = {}
    for class_name, prop_name, unit_name in specific:
        prop = properties.get(prop_name)
        unit = units.unit_by_name(unit_name)
        if class_name not in classes or prop is None or unit is None:
            log.warning(
                "specific property %s/%s (%s) does not resolve", class_name, prop_name, unit_name
            )
            continue
        if datatypes.get(prop.range, Datatype("", "", "")).kind != "dimension":
            log.warning("specific property %s/%s: range is not a dimension", class_name, prop_name)
            continue
        if unit.dimension.name != prop.range:
            log.warning("specific property %s/%s: unit of another dimension", class_name, prop_name)
            continue
        resolved[(class_name, prop_name)] = unit_name
    return resolved
