"""Every kind of mapping, on a template mapping written for the test against the real ontology."""

from __future__ import annotations

import pytest

from dbod.compiled import Compiled
from extractors.dataparsers import ParseContext
from extractors.extract import extract_page
from extractors.mapping_extractor import extract_mappings
from extractors.mappings import build_mappings
from extractors.page import PageRecord
from extractors.rdf import DBO, DBR, GEO, IRI, RDF_TYPE, XSD, Literal
from extractors.wikitext import parse

MAPPING = """{{ConditionalMapping | cases =
  {{Condition | templateProperty = kind | operator = equals | value = band | mapping =
      {{TemplateMapping | mapToClass = Band }} }}
  {{Condition | templateProperty = founder | operator = isSet | mapping =
      {{TemplateMapping | mapToClass = Company }} }}
  {{Condition | operator = otherwise | mapping = {{TemplateMapping | mapToClass = Place }} }}
| defaultMappings =
  {{ConstantMapping | ontologyProperty = country | value = Germany }}
  {{ConstantMapping | ontologyProperty = wikiPageUsesTemplate | value = http://example.org/t }}
  {{DateIntervalMapping | templateProperty = years_active
      | startDateOntologyProperty = activeYearsStartYear
      | endDateOntologyProperty = activeYearsEndYear }}
  {{CombineDateMapping | ontologyProperty = foundingDate
      | templateProperty1 = founded_year | unit1 = xsd:gYear
      | templateProperty2 = founded_day | unit2 = xsd:gMonthDay }}
  {{CalculateMapping | templateProperty1 = land_km2 | templateProperty2 = water_km2
      | unit1 = squareKilometre | unit2 = squareKilometre | operation = add
      | ontologyProperty = areaTotal }}
  {{GeocoordinatesMapping | latitudeDegrees = lat_d | latitudeMinutes = lat_m
      | latitudeDirection = lat_NS | longitudeDegrees = long_d | longitudeMinutes = long_m
      | longitudeDirection = long_EW }}
  {{PropertyMapping | templateProperty = genre | ontologyProperty = genre
      | transform = internal }}
  {{PropertyMapping | templateProperty = population_k | ontologyProperty = populationTotal
      | factor = 1000 }}
  {{PropertyMapping | templateProperty = motto | ontologyProperty = motto | language = de }}
  {{PropertyMapping | templateProperty = nicknames | ontologyProperty = foaf:nick
      | select = first | language = de }}
}}"""

PAGE = """{{Infobox test thing
| kind = band
| years_active = 1990–2005
| founded_year = 1988
| founded_day = [[July 4]]
| land_km2 = 800
| water_km2 = 91.7
| lat_d = 52 | lat_m = 31 | lat_NS = N | long_d = 13 | long_m = 24 | long_EW = E
| genre = rock<br>pop
| population_k = 3.5
| motto = Einigkeit
| nicknames = Spree-Athen<br>Big B
}}"""


def extract(compiled: Compiled, page: str, mapping: str = MAPPING) -> set[tuple[str, str, object]]:
    mappings = build_mappings([("Mapping en:Infobox test thing", mapping)], compiled.ontology)
    triples = extract_mappings(
        parse(page), DBR + "Test", "Test", compiled.ontology, mappings, ParseContext()
    )
    return {(t.subject, t.predicate, t.object) for t in triples}


@pytest.fixture
def found(compiled: Compiled) -> set[tuple[str, str, object]]:
    return extract(compiled, PAGE)


def has(found: set, predicate: str, obj: object, subject: str = DBR + "Test") -> bool:  # type: ignore[type-arg]
    return (subject, predicate, obj) in found


def test_conditions_pick_the_class(compiled: Compiled, found) -> None:  # type: ignore[no-untyped-def]
    assert has(found, RDF_TYPE, IRI(DBO + "Band"))
    company = extract(compiled, PAGE.replace("kind = band", "kind = x\n| founder = [[Someone]]"))
    assert (DBR + "Test", RDF_TYPE, IRI(DBO + "Company")) in company
    place = extract(compiled, PAGE.replace("kind = band", "kind = x"))
    assert (DBR + "Test", RDF_TYPE, IRI(DBO + "Place")) in place
    assert (DBR + "Test", RDF_TYPE, IRI(DBO + "Band")) not in place


def test_constant_mappings_intended_rule(found) -> None:  # type: ignore[no-untyped-def]
    assert has(found, DBO + "country", IRI(DBR + "Germany"))  # a word: a DBpedia resource
    assert has(found, DBO + "wikiPageUsesTemplate", IRI("http://example.org/t"))  # absolute: as is


def test_date_interval(compiled: Compiled, found) -> None:  # type: ignore[no-untyped-def]
    assert has(found, DBO + "activeYearsStartYear", Literal("1990", XSD + "gYear"))
    assert has(found, DBO + "activeYearsEndYear", Literal("2005", XSD + "gYear"))
    ongoing = extract(compiled, PAGE.replace("1990–2005", "1990–present"))
    assert (DBR + "Test", DBO + "activeYearsStartYear", Literal("1990", XSD + "gYear")) in ongoing
    assert not any(p == DBO + "activeYearsEndYear" for _, p, _ in ongoing)


def test_combine_date(found) -> None:  # type: ignore[no-untyped-def]
    assert has(found, DBO + "foundingDate", Literal("1988-07-04", XSD + "date"))


def test_calculate_adds_in_the_standard_unit(found) -> None:  # type: ignore[no-untyped-def]
    assert has(found, DBO + "areaTotal", Literal("8.917E8", XSD + "double"))


def test_geocoordinates_from_degrees(found) -> None:  # type: ignore[no-untyped-def]
    lat = next(o for s, p, o in found if p == GEO + "lat")
    long = next(o for s, p, o in found if p == GEO + "long")
    assert float(lat.lexical) == pytest.approx(52 + 31 / 60)
    assert float(long.lexical) == pytest.approx(13 + 24 / 60)


def test_transform_factor_language_select(found) -> None:  # type: ignore[no-untyped-def]
    assert has(found, DBO + "genre", IRI(DBR + "Rock"))
    assert has(found, DBO + "genre", IRI(DBR + "Pop"))
    assert has(found, DBO + "populationTotal", Literal("3500", XSD + "nonNegativeInteger"))
    assert has(found, DBO + "motto", Literal("Einigkeit"))  # xsd:string: no language tag
    nicks = {o for s, p, o in found if p == "http://xmlns.com/foaf/0.1/nick"}
    assert nicks == {Literal("Spree-Athen", lang="de")}  # rdf:langString in the mapping's language


def _mapped_values(compiled: Compiled, wikitext: str, prop: str) -> set[object]:
    """The values of ``dbo:<prop>`` a page with this wikitext gets through the real mappings."""
    page = PageRecord("Test", 0, 1, 1, "2021-01-01T00:00:00Z", wikitext)
    triples = extract_page(page, compiled.ontology, compiled.mappings)
    return {t.object for t in triples if t.predicate == DBO + prop and t.extractor == "mappings"}


@pytest.mark.parametrize(
    "value",
    ["7<br />23", "7<br/>23", "7<br>23", "7\n23", "{{hlist|7|23}}", "{{hlist|23|7}}"],
)
def test_text_br_splits_like_the_tag(compiled: Compiled, value: str) -> None:
    # dbo:number is not functional: split with DataParserConfig's regex, which starts with
    # <br\s*\/?>; template transforms write <br /> as text ({{hlist|7|23}} -> <br />23<br />7<br />)
    found = _mapped_values(
        compiled, f"{{{{Infobox AFL biography\n| number = {value}\n}}}}", "number"
    )
    assert found == {Literal(n, XSD + "nonNegativeInteger") for n in ("7", "23")}


def test_text_br_splits_string_values(compiled: Compiled) -> None:
    # dbo:status (xsd:string, not functional): the default split regex is <br\s*\/?>|\n
    text = "{{Infobox AFL biography\n| status = {{hlist|Retired|Coach}}\n}}"
    assert _mapped_values(compiled, text, "status") == {Literal("Retired"), Literal("Coach")}


def test_text_br_splits_object_values(compiled: Compiled) -> None:
    # each hlist item is resolved on its own (the "/" of the object split regex cut <br /> even
    # before text <br> was a separator, leaving fragments of the tag behind)
    text = "{{Infobox AFL biography\n| position = {{hlist|[[Ruckman]]|[[Full-forward]]}}\n}}"
    found = _mapped_values(compiled, text, "position")
    assert found == {IRI(DBR + "Ruckman"), IRI(DBR + "Full-forward")}


ENGINE = """{{TemplateMapping | mapToClass = AutomobileEngine | mappings =
  {{PropertyMapping | templateProperty = configuration | ontologyProperty = configuration }}
  {{PropertyMapping | templateProperty = valvetrain | ontologyProperty = valvetrain }}
}}"""


@pytest.mark.parametrize(
    ("value", "prop", "expected"),
    [
        ("[[Inline-four engine|Inline-four]]", "configuration", {"straight-four"}),
        ("inline 4, V8", "configuration", {"straight-four"}),  # the first literal named
        ("straight-six<br>W12", "configuration", {"straight-six", "W12"}),
        ("F2", "configuration", {"flat-twin"}),  # an alias
        ("i4x", "configuration", set()),  # labels are whole words
        ("an SOHC engine", "valvetrain", {"SOHC"}),
    ],
)
def test_enumeration_literals(
    compiled: Compiled, value: str, prop: str, expected: set[str]
) -> None:
    page = f"{{{{Infobox test thing\n| {prop} = {value}\n}}}}"
    found = extract(compiled, page, ENGINE)
    assert {o.lexical for s, p, o in found if p == DBO + prop} == expected
    assert all(
        o.datatype == DBO + prop.replace("configuration", "engineConfiguration")
        for s, p, o in found
        if p == DBO + prop
    )
