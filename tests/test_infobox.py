"""The raw InfoboxExtractor against the framework's French gold samples, Berlin and small cases."""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from dbod.sources.dump import DumpSource
from extractors.dataparsers import ParseContext
from extractors.infobox import (
    INFOBOX,
    INFOBOX_EXTENDED,
    PROPERTY_DEFINITIONS,
    extract_infobox,
    property_iri,
)
from extractors.rdf import DBT, IRI, RDF_TYPE, RDFS, XSD, Literal, Triple, to_rdflib
from extractors.titles import resource_iri
from extractors.wikitext import parse

SAMPLES = "dbpedia/tests/infobox_fr"
FR_RESOURCE = "http://fr.dbpedia.org/resource/"
DBR = "http://dbpedia.org/resource/"
DBP = "http://dbpedia.org/property/"
SUBJECT = DBR + "Page"
RDF_PROPERTY = IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#Property")

RdfTriple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]

# JulesCesar's "datededécès = [[15 mars]] [[-44|44 av. J.-C.]]": the framework's UnitValueParser
# runs DurationParser on the Time dimension even when strict, and DurationParser finds "15 m"
# (en time units, which fr falls back to) anywhere in "15 mars 44 av. J.-C.": 900 s. The 2013 gold
# has the date; no version of the framework's code we could read produces it.
DURATION_DEVIATION = (
    "framework DurationParser (unanchored, also in strict mode) reads '15 mars' as 15 minutes; "
    "the 2013 gold has the date -0044-03-15"
)


def death_dates() -> tuple[RdfTriple, RdfTriple]:
    """JulesCesar's datededécès: (gold, ours)."""
    subject = rdflib.URIRef(FR_RESOURCE + "Jules_César")
    death = rdflib.URIRef("http://fr.dbpedia.org/property/datededécès")
    gold = rdflib.Literal("-0044-03-15", datatype=rdflib.XSD.date)
    ours = rdflib.Literal("900.0", datatype=rdflib.URIRef(DBT + "second"))
    return (subject, death, gold), (subject, death, ours)


def page_export(path: Path) -> tuple[str, str]:
    """Title and wikitext of the single page of a MediaWiki export (any schema version)."""
    fields = {element.tag.rpartition("}")[2]: element.text for element in ET.parse(path).iter()}
    return fields["title"] or "", fields["text"] or ""


def sample(shared_data: Path, name: str) -> tuple[set[RdfTriple], set[RdfTriple]]:
    """(our triples, gold triples) of a French sample; ours of every dataset, as the framework's
    InfoboxExtractorTest compares everything the extractor returns, before any URI policy."""
    title, wikitext = page_export(shared_data / SAMPLES / f"extract_{name}.xml")
    context = ParseContext(lang="fr", page_title=title)
    subject = resource_iri(title, FR_RESOURCE)
    triples = extract_infobox(parse(wikitext), subject, context, xml_safe_predicates=False)
    ours = {(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples}
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib's own use of its deprecated default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(shared_data / SAMPLES / f"extract_{name}-gold.tql", format="nquads")
    gold = {(s, p, o) for s, p, o, _ in dataset.quads()}
    return ours, gold


def counts(ours: set[RdfTriple], gold: set[RdfTriple]) -> str:
    return f"matched {len(ours & gold)}, missing {len(gold - ours)}, extra {len(ours - gold)}"


@pytest.mark.parametrize(("name", "size"), [("Bruges", 94), ("Madonna", 56)])
def test_gold_sample(shared_data: Path, name: str, size: int) -> None:
    ours, gold = sample(shared_data, name)
    assert ours == gold, counts(ours, gold)
    assert len(gold) == size


def test_gold_sample_jules_cesar(shared_data: Path) -> None:
    """All of JulesCesar's 69 gold triples but the one of DURATION_DEVIATION (tested below)."""
    ours, gold = sample(shared_data, "JulesCesar")
    gold_death, our_death = death_dates()
    assert len(gold) == 69
    assert ours - {our_death} == gold - {gold_death}, counts(ours, gold)


@pytest.mark.xfail(reason=DURATION_DEVIATION, strict=True)
def test_gold_sample_jules_cesar_death_date(shared_data: Path) -> None:
    ours, _ = sample(shared_data, "JulesCesar")
    assert death_dates()[0] in ours


def test_xml_safe_predicates(shared_data: Path) -> None:
    """The release URI policy appends "_" where the local name cannot end an XML name; the
    declaration keeps the extractor's IRI (the policy applies in predicate position only)."""
    title, wikitext = page_export(shared_data / SAMPLES / "extract_JulesCesar.xml")
    context = ParseContext(lang="fr", page_title=title)
    triples = extract_infobox(parse(wikitext), resource_iri(title, FR_RESOURCE), context)
    size = "http://fr.dbpedia.org/property/tailleimage(enPx)"
    assert {t.predicate for t in triples if t.extractor == INFOBOX} >= {size + "_"}
    assert Triple(size, RDF_TYPE, RDF_PROPERTY, PROPERTY_DEFINITIONS) in triples


# --- English ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def berlin(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Triple]:
    dump = shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2"
    with DumpSource(dump, tmp_path_factory.mktemp("dump")) as source:
        page = source.get("Berlin")
    assert page is not None
    context = ParseContext(lang=page.lang, page_title=page.title)
    return extract_infobox(parse(page.wikitext), resource_iri(page.title), context)


def values(triples: list[Triple], extractor: str = INFOBOX) -> set[tuple[str, object]]:
    return {(t.predicate, t.object) for t in triples if t.extractor == extractor}


def test_berlin(berlin: list[Triple]) -> None:
    subject = {t.subject for t in berlin if t.extractor == INFOBOX}
    assert subject == {DBR + "Berlin"}
    assert values(berlin) >= {
        (DBP + "name", Literal("Berlin", lang="en")),
        (DBP + "areaTotalKm", Literal("891.7", XSD + "double")),  # area_total_km2
        (DBP + "populationTotal", Literal("3769495", XSD + "integer")),
        (DBP + "elevationM", Literal("34", XSD + "integer")),
        (DBP + "populationAsOf", Literal("2020-12-31", XSD + "date")),
        (DBP + "subdivisionName", IRI(DBR + "Germany")),
        (DBP + "subdivisionName", IRI(DBR + "Boroughs_and_neighborhoods_of_Berlin")),  # name1
        (DBP + "leaderName", IRI(DBR + "Michael_Müller_(politician,_born_1964)")),
        (DBP + "blankInfoSec", Literal("1.55E11", DBT + "euro")),  # "€155 billion (2020)"
        (DBP + "populationDemonyms", Literal("Berliner", lang="en")),  # "Berliner(s) (English)"
        (DBP + "areaCode", Literal("30", XSD + "integer")),  # [[…#030 – Berlin|030]]
        (DBP + "settlementType", Literal("Capital city, state and municipality", lang="en")),
    }


def test_berlin_skips(berlin: list[Triple]) -> None:
    predicates = {t.predicate for t in berlin}
    # {{Use dmy dates|date=…}} has one named key, {{short description|…}} none; image_skyline is
    # only a template and {{URL|…}} (website) has no text.
    assert not predicates & {DBP + "date", DBP + "1", DBP + "imageSkyline", DBP + "website"}


def test_berlin_property_definitions(berlin: list[Triple]) -> None:
    definitions = [t for t in berlin if t.extractor == PROPERTY_DEFINITIONS]
    area = DBP + "areaTotalKm"
    assert Triple(area, RDF_TYPE, RDF_PROPERTY, PROPERTY_DEFINITIONS) in definitions
    label = Literal("area total km", lang="en")
    assert Triple(area, RDFS + "label", label, PROPERTY_DEFINITIONS) in definitions
    assert len(definitions) == 2 * len({t.subject for t in definitions})  # one declaration each


def infobox(body: str, lang: str = "en") -> list[Triple]:
    wikitext = "{{Infobox thing\n" + body + "\n}}"
    return extract_infobox(parse(wikitext), SUBJECT, ParseContext(lang=lang, page_title="Page"))


@pytest.mark.parametrize(
    ("key", "lang", "iri"),
    [
        ("area_total_km2", "en", DBP + "areaTotalKm"),
        ("leader_name1", "en", DBP + "leaderName"),
        ("leaderName1", "en", DBP + "leadername"),  # lower-cased before camel-casing
        ("nom de naissance", "fr", "http://fr.dbpedia.org/property/nomDeNaissance"),
        ("communes-cp", "fr", "http://fr.dbpedia.org/property/communesCp"),
        ("tailleimage(en px)", "fr", "http://fr.dbpedia.org/property/tailleimage(enPx)"),
        ("İl_adı", "tr", "http://tr.dbpedia.org/property/ilAdı"),  # Turkish case mapping
        ("%", "en", DBP + "%25"),
    ],
)
def test_property_iri(key: str, lang: str, iri: str) -> None:
    assert property_iri(key, lang) == iri


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12 km", [Literal("12.0", DBT + "kilometre")]),  # the unit as written, not converted
        ("3 June 1981", [Literal("1981-06-03", XSD + "date")]),
        ("[[November 8]]", [Literal("--11-08", XSD + "gMonthDay")]),
        ("1990", [Literal("1990", XSD + "integer")]),
        ("51/12/N", [Literal("51.2", XSD + "double")]),
        ("0.95", [Literal("0.95", XSD + "double")]),
        ("4th", [Literal("4", XSD + "integer")]),
        ("3rd", [Literal("3.0", DBT + "rod")]),  # "rd" is the rod, and units come first
        ("[[Paris]]", [IRI(DBR + "Paris")]),
        ("[[#History|h]]", [IRI(DBR + "Page%23History")]),
        ("[http://example.org/x site]", [IRI("http://example.org/x")]),
        ("''[[Pater patriae]]''", [Literal("Pater patriae", lang="en")]),
        ("[[A]] and [[B]]", [Literal("A and B", lang="en")]),
        ("Brugeois(e)", [Literal("Brugeois", lang="en")]),
        ("5 (approx.)<br />[[Foo]] (bar)", [Literal("5", XSD + "integer"), IRI(DBR + "Foo")]),
        # the text left around [[Bar]] makes two empty parts: no longer only links
        ("[[Foo]] ([[Bar]])", [Literal("Foo", lang="en")]),
        ("", []),
    ],
)
def test_values(value: str, expected: list[object]) -> None:
    triples = infobox(f"| p = {value}\n| other = x")
    assert [t.object for t in triples if t.predicate == DBP + "p"] == expected


def test_multiple_results_of_one_piece() -> None:
    """Links or dates after the first of a piece go to the extended dataset only."""
    triples = infobox("| l = [[A]], [[B|b]]\n| d = 24/06/1867; 25/06/1868")
    assert values(triples) >= {
        (DBP + "l", IRI(DBR + "A")),
        (DBP + "d", Literal("1867-06-24", XSD + "date")),
    }
    assert values(triples, INFOBOX_EXTENDED) == {
        (DBP + "l", IRI(DBR + "B")),
        (DBP + "d", Literal("1868-06-25", XSD + "date")),
    }


def test_one_line_template_is_extended_only() -> None:
    triples = extract_infobox(parse("{{Thing|a=1|b=[[X]]}}"), SUBJECT, ParseContext())
    assert values(triples) == set()
    assert values(triples, INFOBOX_EXTENDED) == {
        (DBP + "a", Literal("1", XSD + "integer")),
        (DBP + "b", IRI(DBR + "X")),
    }
    assert {t.subject for t in triples if t.extractor == PROPERTY_DEFINITIONS} == {
        DBP + "a",
        DBP + "b",
    }


@pytest.mark.parametrize(
    "wikitext",
    [
        "{{Dummy\n|leaderName1 = a|leaderName2 = b|leaderName13 = c|1 = d|12 = e}}",  # 3/5 named
        "{{Dummy\n|only = one}}",
        "{{cite web\n|title=a|url=http://example.org}}",
        "{{Redirect\n|a=1|b=2}}",
        "{{#if:x\n|a=1|b=2}}",  # a parser function
        "{{Template:Infobox thing\n|a=1|b=2}}",  # a parser function to DBpedia's parser
        "<ref>{{Infobox thing\n|a=1|b=2}}</ref>",
        "{{Infobox thing\n|image=a.jpg|image_photo=b.jpg|1=c}}",
    ],
)
def test_templates_without_output(wikitext: str) -> None:
    assert extract_infobox(parse(wikitext), SUBJECT, ParseContext()) == []


def test_which_templates() -> None:
    """Templates inside tags are found; templates inside templates are not."""
    wikitext = "<div>{{Infobox a\n|x={{Infobox b\n|p=1|q=2}}|y=2}}</div>"
    triples = extract_infobox(parse(wikitext), SUBJECT, ParseContext())
    assert values(triples) == {(DBP + "y", Literal("2", XSD + "integer"))}


def test_repeated_keys_are_declared_once() -> None:
    triples = infobox("| name1 = a\n| name2 = b")
    assert values(triples) == {
        (DBP + "name", Literal("a", lang="en")),
        (DBP + "name", Literal("b", lang="en")),
    }
    labels = [t.object for t in triples if t.predicate == RDFS + "label"]
    assert labels == [Literal("name", lang="en")]


_FRAGMENTS = st.sampled_from(
    ["{{", "}}", "|", "=", "\n", "[[", "]]", "[", "]", "<br />", "</br>", "(", ")", "<ref>",
     "</ref>", "<small>", "</small>", "''", "Infobox x", "a_b", "12", "3rd", "km", "June",
     "1990", "-", ",", ";", "http://a.org", "#", ":", "&nbsp;", "É", " "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=40).map("".join)),
    lang=st.sampled_from(["en", "fr", "de", "tr", "xx"]),
)
def test_arbitrary_wikitext_never_raises(text: str, lang: str) -> None:
    triples = extract_infobox(parse(text), SUBJECT, ParseContext(lang=lang, page_title="Page"))
    assert all(t.extractor in (INFOBOX, INFOBOX_EXTENDED, PROPERTY_DEFINITIONS) for t in triples)
