"""The community template mappings, compiled from "Mapping <lang>:<Template>" pages.

Follows DBpedia's ``MappingsLoader``: a page holds one TemplateMapping or ConditionalMapping; its
property mappings reference ontology classes, properties and datatypes by name. A reference that
does not resolve drops that one property mapping, with a warning. ``#REDIRECT`` mapping pages
become template aliases (an offline fallback for template redirects).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from extractors.ontology import Ontology
from extractors.wikitext import (
    Wikicode,
    normalize_template_name,
    parse,
    plain_text,
    template_name,
    template_params,
)

log = logging.getLogger(__name__)

_REDIRECT = re.compile(r"^\s*#REDIRECT\s*\[\[\s*(?:[^:\]]*:)?([^\]|#]+)", re.IGNORECASE)


class MappingError(ValueError):
    """A mapping element that cannot be loaded; the message says what is wrong."""


@dataclass(frozen=True)
class SimplePropertyMapping:
    """``{{PropertyMapping}}``: one template parameter to one ontology property."""

    template_property: str
    ontology_property: str
    unit: str | None = None
    language: str | None = None
    factor: float = 1.0
    select: str | None = None  # "first" | "last"
    prefix: str = ""
    suffix: str = ""
    transform: str | None = None  # "internal" | "external"


@dataclass(frozen=True)
class IntermediateNodeMapping:
    """``{{IntermediateNodeMapping}}``: values go on a new node linked from the subject."""

    node_class: str
    corresponding_property: str
    mappings: tuple[PropertyMappingType, ...]


@dataclass(frozen=True)
class DateIntervalMapping:
    """``{{DateIntervalMapping}}``: "1990-2005" to a start and an end property."""

    template_property: str
    start_property: str
    end_property: str


@dataclass(frozen=True)
class CombineDateMapping:
    """``{{CombineDateMapping}}``: year, month and day from two or three parameters."""

    ontology_property: str
    parts: tuple[tuple[str, str], ...]  # (template property, datatype name)


@dataclass(frozen=True)
class CalculateMapping:
    """``{{CalculateMapping}}``: the sum of two parameters."""

    template_property1: str
    template_property2: str
    unit1: str | None
    unit2: str | None
    operation: str
    ontology_property: str


@dataclass(frozen=True)
class GeocoordinatesMapping:
    """``{{GeocoordinatesMapping}}`` in any of its forms (coordinates, lat/long, degrees…)."""

    ontology_property: str | None = None
    coordinates: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    latitude_degrees: str | None = None
    latitude_minutes: str | None = None
    latitude_seconds: str | None = None
    latitude_direction: str | None = None
    longitude_degrees: str | None = None
    longitude_minutes: str | None = None
    longitude_seconds: str | None = None
    longitude_direction: str | None = None


@dataclass(frozen=True)
class ConstantMapping:
    """``{{ConstantMapping}}``: a fixed value for every page using the template."""

    ontology_property: str
    value: str
    unit: str | None = None


PropertyMappingType = (
    SimplePropertyMapping
    | IntermediateNodeMapping
    | DateIntervalMapping
    | CombineDateMapping
    | CalculateMapping
    | GeocoordinatesMapping
    | ConstantMapping
)


@dataclass(frozen=True)
class TemplateMapping:
    """``{{TemplateMapping}}``: the template's page is an instance of ``map_to_class``."""

    map_to_class: str
    mappings: tuple[PropertyMappingType, ...]
    corresponding_class: str | None = None
    corresponding_property: str | None = None


@dataclass(frozen=True)
class Condition:
    """One case of a ConditionalMapping."""

    operator: str  # isSet | equals | contains | otherwise
    template_property: str | None
    value: str | None
    mapping: TemplateMapping


@dataclass(frozen=True)
class ConditionalMapping:
    """``{{ConditionalMapping}}``: the first matching case wins; default mappings always run."""

    cases: tuple[Condition, ...]
    default_mappings: tuple[PropertyMappingType, ...]


ClassMapping = TemplateMapping | ConditionalMapping


@dataclass
class Mappings:
    """Template name -> class mapping, plus template aliases from redirect mapping pages."""

    lang: str
    templates: dict[str, ClassMapping] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> ClassMapping | None:
        """The mapping of a normalized template name, following mapping-page redirects."""
        mapping = self.templates.get(name)
        if mapping is None and name in self.aliases:
            mapping = self.templates.get(self.aliases[name])
        return mapping


class _Loader:
    """Turns mapping-page templates into mapping objects, resolving names against the ontology."""

    def __init__(self, ontology: Ontology, page: str) -> None:
        self.ontology = ontology
        self.page = page

    def text(self, params: dict[str, Wikicode], key: str, required: bool = True) -> str | None:
        value = params.get(key)
        text = plain_text(value) if value is not None else None
        if text is None and required:
            raise MappingError(f"{self.page}: missing parameter {key!r}")
        return text

    def name_in(
        self,
        table: Container[str],
        label: str,
        params: dict[str, Wikicode],
        key: str,
        required: bool,
    ) -> str | None:
        """The name ``key`` gives when ``table`` holds it; else None, or, when ``required``, a
        MappingError saying that the ``label`` (``ontology class``…) was not found."""
        name = self.text(params, key, required)
        if name is not None and name not in table:
            if required:
                raise MappingError(f"{self.page}: {label} not found: {name}")
            return None
        return name

    def cls(self, params: dict[str, Wikicode], key: str, required: bool = True) -> str | None:
        return self.name_in(self.ontology.classes, "ontology class", params, key, required)

    def prop(self, params: dict[str, Wikicode], key: str, required: bool = True) -> str | None:
        return self.name_in(self.ontology.properties, "ontology property", params, key, required)

    def datatype(self, params: dict[str, Wikicode], key: str, required: bool = False) -> str | None:
        return self.name_in(self.ontology.datatypes, "datatype", params, key, required)

    def template_mapping(self, template) -> TemplateMapping:  # type: ignore[no-untyped-def]
        params = template_params(template)
        return TemplateMapping(
            map_to_class=self.cls(params, "mapToClass"),  # type: ignore[arg-type]
            corresponding_class=self.cls(params, "correspondingClass", required=False),
            corresponding_property=self.prop(params, "correspondingProperty", required=False),
            mappings=self.property_mappings(params.get("mappings")),
        )

    def conditional_mapping(self, template) -> ConditionalMapping:  # type: ignore[no-untyped-def]
        params = template_params(template)
        cases = []
        for node in _templates(params.get("cases")):
            inner = template_params(node)
            targets = _templates(inner.get("mapping"))
            if not targets:
                raise MappingError(f"{self.page}: a condition defines no mapping")
            cases.append(
                Condition(
                    operator=self.text(inner, "operator", required=False) or "",
                    template_property=self.text(inner, "templateProperty", required=False),
                    value=self.text(inner, "value", required=False),
                    mapping=self.template_mapping(targets[0]),
                )
            )
        return ConditionalMapping(
            tuple(cases), self.property_mappings(params.get("defaultMappings"))
        )

    def property_mappings(self, value: Wikicode | None) -> tuple[PropertyMappingType, ...]:
        loaded = []
        for node in _templates(value):
            try:
                loaded.append(self.property_mapping(node))
            except MappingError as exc:
                log.warning("%s", exc)
        return tuple(loaded)

    def property_mapping(self, template) -> PropertyMappingType:  # type: ignore[no-untyped-def]
        kind = template_name(template)
        params = template_params(template)
        if kind == "PropertyMapping":
            factor_text = self.text(params, "factor", required=False)
            try:
                factor = float(factor_text) if factor_text else 1.0
            except ValueError as exc:
                raise MappingError(f"{self.page}: factor {factor_text!r} is not a number") from exc
            return SimplePropertyMapping(
                template_property=self.text(params, "templateProperty"),  # type: ignore[arg-type]
                ontology_property=self.prop(params, "ontologyProperty"),  # type: ignore[arg-type]
                unit=self.datatype(params, "unit"),
                language=self.text(params, "language", required=False),
                factor=factor,
                select=self.text(params, "select", required=False),
                prefix=_raw(params.get("prefix")),
                suffix=_raw(params.get("suffix")),
                transform=self.text(params, "transform", required=False),
            )
        if kind == "IntermediateNodeMapping":
            return IntermediateNodeMapping(
                node_class=self.cls(params, "nodeClass"),  # type: ignore[arg-type]
                corresponding_property=self.prop(params, "correspondingProperty"),  # type: ignore[arg-type]
                mappings=self.property_mappings(params.get("mappings")),
            )
        if kind == "DateIntervalMapping":
            return DateIntervalMapping(
                template_property=self.text(params, "templateProperty"),  # type: ignore[arg-type]
                start_property=self.prop(params, "startDateOntologyProperty"),  # type: ignore[arg-type]
                end_property=self.prop(params, "endDateOntologyProperty"),  # type: ignore[arg-type]
            )
        if kind == "CombineDateMapping":
            parts = []
            for index in (1, 2, 3):
                required = index < 3
                prop = self.text(params, f"templateProperty{index}", required)
                unit = self.datatype(params, f"unit{index}", required)
                if prop and unit:
                    parts.append((prop, unit))
            return CombineDateMapping(
                ontology_property=self.prop(params, "ontologyProperty"),  # type: ignore[arg-type]
                parts=tuple(parts),
            )
        if kind == "CalculateMapping":
            return CalculateMapping(
                template_property1=self.text(params, "templateProperty1"),  # type: ignore[arg-type]
                template_property2=self.text(params, "templateProperty2"),  # type: ignore[arg-type]
                unit1=self.datatype(params, "unit1"),
                unit2=self.datatype(params, "unit2"),
                operation=self.text(params, "operation"),  # type: ignore[arg-type]
                ontology_property=self.prop(params, "ontologyProperty"),  # type: ignore[arg-type]
            )
        if kind == "GeocoordinatesMapping":
            optional = {
                key: self.text(params, key, required=False)
                for key in (
                    "coordinates latitude longitude latitudeDegrees latitudeMinutes "
                    "latitudeSeconds latitudeDirection longitudeDegrees longitudeMinutes "
                    "longitudeSeconds longitudeDirection"
                ).split()
            }
            return GeocoordinatesMapping(
                ontology_property=self.prop(params, "ontologyProperty", required=False),
                **{_snake(key): value for key, value in optional.items()},
            )
        if kind == "ConstantMapping":
            return ConstantMapping(
                ontology_property=self.prop(params, "ontologyProperty"),  # type: ignore[arg-type]
                value=self.text(params, "value"),  # type: ignore[arg-type]
                unit=self.datatype(params, "unit"),
            )
        raise MappingError(f"{self.page}: unknown property mapping {kind!r}")


def _templates(value: Wikicode | None) -> list:  # type: ignore[type-arg]
    return value.filter_templates(recursive=False) if value is not None else []


def _raw(value: Wikicode | None) -> str:
    """A prefix/suffix as written (spaces matter), without comments."""
    if value is None:
        return ""
    return "".join(str(node) for node in value.nodes if not str(node).startswith("<!--"))


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda match: "_" + match.group(1).lower(), name)


def build_mappings(
    pages: Iterable[tuple[str, str]], ontology: Ontology, lang: str = "en"
) -> Mappings:
    """Compile (title, wikitext) pairs of "Mapping <lang>:<Template>" pages."""
    mappings = Mappings(lang)
    for title, wikitext in pages:
        name = normalize_template_name(title.split(":", 1)[1] if ":" in title else title)
        redirect = _REDIRECT.match(wikitext)
        if redirect:
            mappings.aliases[name] = normalize_template_name(redirect.group(1))
            continue
        loader = _Loader(ontology, title)
        for template in parse(wikitext).filter_templates(recursive=False):
            kind = template_name(template)
            if kind not in ("TemplateMapping", "ConditionalMapping"):
                continue  # TableMapping and stray templates are not used
            if name in mappings.templates:
                log.warning("%s: duplicate template mapping", title)
                continue
            try:
                mappings.templates[name] = (
                    loader.template_mapping(template)
                    if kind == "TemplateMapping"
                    else loader.conditional_mapping(template)
                )
            except MappingError as exc:
                log.warning("could not load %s: %s", title, exc)
    return mappings
