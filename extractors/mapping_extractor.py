"""DBpedia's MappingExtractor: mapped infobox templates -> ontology triples (dbo:, rdf:type).

The page's syntax tree is walked depth first; at a template with a mapping the mapping runs, and
the walk descends into the template only when the mapping produced nothing (rules §1.2-§1.4).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mwparserfromhell.nodes import ExternalLink, Heading, Node, Tag, Template, Text, Wikilink

from extractors.dataparsers import ParseContext
from extractors.mapping_values import (
    calculate,
    combine_date,
    geo_triples,
    parse_date_interval,
    parse_mapping_coordinates,
    parse_values,
    split_br,
)
from extractors.mappings import (
    CalculateMapping,
    ClassMapping,
    CombineDateMapping,
    ConstantMapping,
    DateIntervalMapping,
    GeocoordinatesMapping,
    IntermediateNodeMapping,
    Mappings,
    PropertyMappingType,
    SimplePropertyMapping,
    TemplateMapping,
)
from extractors.ontology import Ontology, is_validated
from extractors.rdf import DBR, IRI, RDF_TYPE, Literal, Triple
from extractors.titles import clean_space, wiki_encode
from extractors.wikitext import Wikicode, plain_text, template_name, template_params

EXTRACTOR = "mappings"

_URI_TEXT_DROP = re.compile(r"<[^>]*>|['\"()\t\n]")


@dataclass
class TemplateInstance:
    """A template as mappings see it: name, parameters, and the classes it was mapped to."""

    name: str
    params: dict[str, Wikicode]
    classes: tuple[str, ...] = ()


@dataclass
class PageState:
    """What one page's extraction remembers between templates."""

    subject: str
    title: str
    ontology: Ontology
    context: ParseContext
    page_classes: list[str] = field(default_factory=list)
    seen_templates: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)

    def generate_uri(self, base: str, text: str) -> str:
        """``base__text__n`` with one counter per (page, base + text) (rules §1.4)."""
        text = clean_space(_URI_TEXT_DROP.sub("", text.replace("'''", "").replace("''", "")))
        text = wiki_encode(text[:50])
        local = base.rsplit("/", 1)[-1]
        if local and text.lower().startswith(local.lower()):
            text = text[len(local) :].lstrip("_")
        stem = f"{base}__{text}"
        self.counters[stem] = self.counters.get(stem, 0) + 1
        return f"{stem}__{self.counters[stem]}"


def extract_mappings(
    wikicode: Wikicode,
    subject: str,
    title: str,
    ontology: Ontology,
    mappings: Mappings,
    context: ParseContext,
) -> list[Triple]:
    """Run the template mappings over a parsed page whose resource is ``subject``."""
    state = PageState(subject, title, ontology, context)
    resolve = context.resolve_template
    out: list[Triple] = []

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            if type(node) is Text:  # most nodes; checked first to keep the walk cheap
                continue
            if isinstance(node, Template):
                name = template_name(node)
                mapping = mappings.lookup(resolve(name))
                if mapping is not None:
                    instance = TemplateInstance(name, template_params(node))
                    produced = _run_class_mapping(mapping, instance, state)
                    if produced:
                        out.extend(produced)
                        continue
                for param in node.params:
                    walk(param.value.nodes)
            else:
                for child in _children(node):
                    walk(child.nodes)

    walk(wikicode.nodes)
    return out


def _children(node: Node) -> Iterator[Wikicode]:
    if isinstance(node, Tag) and node.contents is not None:
        yield node.contents
    elif isinstance(node, Wikilink) and node.text is not None:
        yield node.text
    elif (isinstance(node, ExternalLink) and node.title is not None) or isinstance(node, Heading):
        yield node.title


def _run_class_mapping(
    mapping: ClassMapping, instance: TemplateInstance, state: PageState
) -> list[Triple]:
    if isinstance(mapping, TemplateMapping):
        return _run_template_mapping(mapping, instance, state)[0]
    for case in mapping.cases:
        if _condition_holds(case.operator, case.template_property, case.value, instance):
            triples, subject = _run_template_mapping(case.mapping, instance, state)
            for property_mapping in mapping.default_mappings:
                triples.extend(_run_property_mapping(property_mapping, instance, subject, state))
            return triples
    return []


def _condition_holds(
    operator: str, template_property: str | None, value: str | None, instance: TemplateInstance
) -> bool:
    if operator == "otherwise":
        return True
    param = instance.params.get(template_property or "")
    text = plain_text(param) if param is not None else None
    if text is None:
        return False
    text = text.lower().strip()
    expected = (value or "").lower()
    if operator == "isSet":
        return bool(text)
    if operator == "equals":
        return text == expected
    if operator == "contains":
        return expected in text
    return False


def _run_template_mapping(
    mapping: TemplateMapping, instance: TemplateInstance, state: PageState
) -> tuple[list[Triple], str]:
    """Types and property values of one mapped template; returns them and the instance IRI."""
    ontology = state.ontology
    classes = ontology.related_classes(mapping.map_to_class)
    instance.classes = classes
    triples: list[Triple] = []
    if not state.page_classes:
        subject = state.subject
        state.page_classes = list(classes)
        triples.extend(_types(subject, classes, ontology))
    else:
        corresponding = (
            mapping.corresponding_class is not None
            and mapping.corresponding_property is not None
            and mapping.corresponding_class in state.page_classes
        )
        if not corresponding and _keeps_page_subject(mapping, instance, state):
            subject = state.subject
            missing = [cls for cls in classes if cls not in state.page_classes]
            state.page_classes.extend(missing)
            triples.extend(_types(subject, tuple(missing), ontology))
        else:
            subject = state.generate_uri(state.subject, _instance_name(instance))
            triples.extend(_types(subject, classes, ontology))
            if corresponding:
                prop = ontology.properties[mapping.corresponding_property]  # type: ignore[index]
                triples.append(Triple(subject, prop.iri, IRI(state.subject), EXTRACTOR))
    state.seen_templates.add(instance.name)
    for property_mapping in mapping.mappings:
        triples.extend(_run_property_mapping(property_mapping, instance, subject, state))
    return triples, subject


def _keeps_page_subject(
    mapping: TemplateMapping, instance: TemplateInstance, state: PageState
) -> bool:
    """Rules (b)-(d) of §1.2 for a later template on the same page."""
    if instance.name in state.seen_templates:
        return False
    ontology = state.ontology
    new_class = mapping.map_to_class
    for cls in state.page_classes:
        if not is_validated(cls) or "owl:Thing" in (cls, new_class):
            continue
        if not (ontology.is_subclass(cls, new_class) or ontology.is_subclass(new_class, cls)):
            return False
    name_param = instance.params.get("name")
    if "Infobox" in instance.name and name_param is not None:
        name = (plain_text(name_param) or "").lower()
        page = state.title.rsplit("/", 1)[-1].lower()
        if name and not (name in page or page in name):
            return False
    return True


def _instance_name(instance: TemplateInstance) -> str:
    if not instance.params:
        return instance.name
    for key, value in instance.params.items():
        if "name" in key.lower():
            return plain_text(value) or key
    first = next(iter(instance.params.values()))
    return plain_text(first) or instance.name


def _types(subject: str, classes: tuple[str, ...], ontology: Ontology) -> list[Triple]:
    return [Triple(subject, RDF_TYPE, IRI(ontology.classes[cls].iri), EXTRACTOR) for cls in classes]


def _run_property_mapping(
    mapping: PropertyMappingType, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    runner = _RUNNERS[type(mapping)]
    return runner(mapping, instance, subject, state)


def _simple(
    mapping: SimplePropertyMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    value = instance.params.get(mapping.template_property)
    if value is None or not value.nodes:
        return []
    prop = state.ontology.properties[mapping.ontology_property]
    triples: list[Triple] = []
    for term in parse_values(value, mapping, prop, instance.classes, state.ontology, state.context):
        if isinstance(term, tuple):  # (predicate, term) pairs for class-specific unit values
            triples.append(Triple(subject, term[0], term[1], EXTRACTOR))
        else:
            triples.append(Triple(subject, prop.iri, term, EXTRACTOR))
    return triples


def _intermediate(
    mapping: IntermediateNodeMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    keys = {
        inner.template_property
        for inner in mapping.mappings
        if isinstance(inner, SimplePropertyMapping) and inner.template_property in instance.params
    }
    if len(keys) > 1:
        pieces = {key: split_br(instance.params[key]) for key in keys}
        if all(len(values) <= 1 for values in pieces.values()):
            return _intermediate_node(mapping, instance, subject, state)
        return []
    if len(keys) == 1:
        key = next(iter(keys))
        triples: list[Triple] = []
        for piece in split_br(instance.params[key]):
            single = TemplateInstance(instance.name, {key: piece}, instance.classes)
            triples.extend(_intermediate_node(mapping, single, subject, state))
        return triples
    return []


def _intermediate_node(
    mapping: IntermediateNodeMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    ontology = state.ontology
    node = state.generate_uri(subject, mapping.node_class)
    node_classes = ontology.related_classes(mapping.node_class)
    inner_instance = TemplateInstance(instance.name, instance.params, node_classes)
    values: list[Triple] = []
    for inner in mapping.mappings:
        values.extend(_run_property_mapping(inner, inner_instance, node, state))
    if not values:
        return []
    prop = ontology.properties[mapping.corresponding_property]
    return [
        *_types(node, node_classes, ontology),
        Triple(subject, prop.iri, IRI(node), EXTRACTOR),
        *values,
    ]


def _date_interval(
    mapping: DateIntervalMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    value = instance.params.get(mapping.template_property)
    if value is None:
        return []
    start_prop = state.ontology.properties[mapping.start_property]
    end_prop = state.ontology.properties[mapping.end_property]
    interval = parse_date_interval(value, start_prop.range, end_prop.range, state.context)
    if interval is None:
        return []
    start, end = interval
    triples = [Triple(subject, start_prop.iri, start, EXTRACTOR)]
    if end is not None:
        triples.append(Triple(subject, end_prop.iri, end, EXTRACTOR))
    return triples


def _combine_date(
    mapping: CombineDateMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    prop = state.ontology.properties[mapping.ontology_property]
    parts = [
        (instance.params[key], datatype)
        for key, datatype in mapping.parts
        if key in instance.params
    ]
    literal = combine_date(parts, prop.range, state.context)
    return [Triple(subject, prop.iri, literal, EXTRACTOR)] if literal else []


def _calculate(
    mapping: CalculateMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    first = instance.params.get(mapping.template_property1)
    second = instance.params.get(mapping.template_property2)
    if first is None or second is None or mapping.operation != "add":
        return []
    prop = state.ontology.properties[mapping.ontology_property]
    terms = calculate(first, second, mapping, prop, state.ontology, state.context)
    return [
        Triple(subject, term[0], term[1], EXTRACTOR)
        if isinstance(term, tuple)
        else Triple(subject, prop.iri, term, EXTRACTOR)
        for term in terms
    ]


def _geocoordinates(
    mapping: GeocoordinatesMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    coordinates = parse_mapping_coordinates(mapping, instance.params, state.context)
    if coordinates is None:
        return []
    if mapping.ontology_property is None:
        return geo_triples(subject, coordinates, EXTRACTOR)
    prop = state.ontology.properties[mapping.ontology_property]
    node = state.generate_uri(subject, mapping.ontology_property)
    return [
        Triple(subject, prop.iri, IRI(node), EXTRACTOR),
        *geo_triples(node, coordinates, EXTRACTOR),
    ]


def _constant(
    mapping: ConstantMapping, instance: TemplateInstance, subject: str, state: PageState
) -> list[Triple]:
    prop = state.ontology.properties[mapping.ontology_property]
    if prop.is_object:
        value = mapping.value.strip()
        target = (
            value if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value) else DBR + wiki_encode(value)
        )
        return [Triple(subject, prop.iri, IRI(target), EXTRACTOR)]
    datatype = state.ontology.datatypes.get(mapping.unit or prop.range)
    iri = datatype.iri if datatype else None
    if iri and iri.endswith("#string"):
        iri = None
    return [Triple(subject, prop.iri, Literal(mapping.value, iri), EXTRACTOR)]


_RUNNERS: dict[type, Callable[..., list[Triple]]] = {
    SimplePropertyMapping: _simple,
    IntermediateNodeMapping: _intermediate,
    DateIntervalMapping: _date_interval,
    CombineDateMapping: _combine_date,
    CalculateMapping: _calculate,
    GeocoordinatesMapping: _geocoordinates,
    ConstantMapping: _constant,
}
