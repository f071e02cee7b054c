"""Ontology and mappings compiled from the real mappings-wiki exports in ../shared/data."""

from __future__ import annotations

import pickle
from pathlib import Path

from dbod.compiled import Compiled, compile_pages, load_compiled, pages_from_exports
from extractors.mappings import ConditionalMapping, IntermediateNodeMapping, SimplePropertyMapping


def test_class_closure_matches_dbpedia(compiled: Compiled) -> None:
    assert compiled.ontology.related_classes("City") == (
        "City",
        "schema:City",
        "wikidata:Q515",
        "Settlement",
        "wikidata:Q486972",
        "PopulatedPlace",
        "Place",
        "schema:Place",
        "Location",
        "owl:Thing",
    )
    person = compiled.ontology.related_classes("Person")
    assert person[0] == "Person"
    for expected in ("foaf:Person", "schema:Person", "wikidata:Q5", "dul:NaturalPerson", "Animal"):
        assert expected in person
    assert compiled.ontology.classes["schema:City"].iri == "http://schema.org/City"


def test_properties_domain_range_functional(compiled: Compiled) -> None:
    properties = compiled.ontology.properties
    area = properties["areaTotal"]
    assert (area.domain, area.range, area.is_object, area.functional) == (
        "Place",
        "Area",
        False,
        False,
    )
    assert properties["foaf:name"].iri == "http://xmlns.com/foaf/0.1/name"
    assert properties["birthPlace"].is_object
    functional = [prop.name for prop in properties.values() if prop.functional]
    assert "birthDate" in functional
    assert compiled.ontology.datatypes["squareKilometre"].kind == "unit"
    assert compiled.ontology.specializations[("PopulatedPlace", "areaTotal")] == "squareKilometre"
    assert len(compiled.ontology.specializations) == 138


def test_settlement_mapping(compiled: Compiled) -> None:
    settlement = compiled.mappings.lookup("Infobox settlement")
    assert isinstance(settlement, ConditionalMapping)
    city = next(case for case in settlement.cases if case.value == "City")
    assert (city.operator, city.template_property, city.mapping.map_to_class) == (
        "contains",
        "settlement_type",
        "City",
    )
    assert settlement.cases[-1].operator == "otherwise"
    defaults = settlement.default_mappings
    area = next(
        m
        for m in defaults
        if isinstance(m, SimplePropertyMapping) and m.template_property == "area_total_km2"
    )
    assert (area.ontology_property, area.unit) == ("areaTotal", "squareKilometre")
    leaders = [m for m in defaults if isinstance(m, IntermediateNodeMapping)]
    assert leaders and leaders[0].node_class == "PoliticalFunction"


def test_mapping_page_redirects_are_aliases(compiled: Compiled) -> None:
    assert compiled.mappings.aliases["Infobox sea"] == "Infobox body of water"
    assert compiled.mappings.lookup("Infobox sea") is compiled.mappings.lookup(
        "Infobox body of water"
    )


def test_compiled_form_is_cached_and_reused(shared_data: Path, tmp_path: Path) -> None:
    ontology_pages, mapping_pages = pages_from_exports(
        shared_data / "dbpedia", "en", tmp_path / "dumps"
    )
    first = compile_pages(ontology_pages, mapping_pages, "en", tmp_path)
    [pickled] = (tmp_path / "compiled").glob("*.pickle")
    assert load_compiled(pickled).digest == first.digest
    changed = [
        (title, text + "\n") if title == "OntologyClass:City" else (title, text)
        for title, text in ontology_pages
    ]
    second = compile_pages(changed, mapping_pages, "en", tmp_path)
    assert second.digest != first.digest
    assert len(list((tmp_path / "compiled").glob("*.pickle"))) == 2


def test_a_corrupt_cached_form_is_rebuilt(shared_data: Path, tmp_path: Path) -> None:
    ontology_pages, mapping_pages = pages_from_exports(
        shared_data / "dbpedia", "en", tmp_path / "dumps"
    )
    first = compile_pages(ontology_pages, mapping_pages, "en", tmp_path)
    [pickled] = (tmp_path / "compiled").glob("*.pickle")
    pickled.write_bytes(pickle.dumps("not compiled")[:5])
    again = compile_pages(ontology_pages, mapping_pages, "en", tmp_path)
    assert again.digest == first.digest
    assert load_compiled(pickled) is not None
