"""Whole-page extraction over real pages: Berlin's expected values, and every shared page."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
import rdflib.compare

from dbod.compiled import Compiled
from dbod.sources.dump import DumpSource
from extractors.extract import extract_page
from extractors.page import PageRecord
from extractors.rdf import DBO, DBR, GEO, IRI, RDF_TYPE, XSD, Literal, ntriples_line, to_graph

_FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def test_berlin_has_the_values_dbpedia_extracts(compiled: Compiled, minidump: DumpSource) -> None:
    page = minidump.get("Berlin")
    triples = {
        (t.subject, t.predicate, t.object)
        for t in extract_page(page, compiled.ontology, compiled.mappings)
    }
    berlin = DBR + "Berlin"
    expected = {
        (berlin, DBO + "areaTotal", Literal("8.917E8", XSD + "double")),
        (
            berlin,
            DBO + "PopulatedPlace/areaTotal",
            Literal("891.7", "http://dbpedia.org/datatype/squareKilometre"),
        ),
        (berlin, DBO + "populationTotal", Literal("3769495", XSD + "nonNegativeInteger")),
        (berlin, DBO + "elevation", Literal("34.0", XSD + "double")),
        (berlin, GEO + "lat", Literal("52.52", XSD + "float")),
        (berlin, GEO + "long", Literal("13.405", XSD + "float")),
    }
    assert expected <= triples
    types = {o for s, p, o in triples if s == berlin and p == RDF_TYPE}
    chain = ["City", "Settlement", "PopulatedPlace", "Place", "Location"]
    assert {IRI(DBO + name) for name in chain} <= types
    assert {IRI("http://schema.org/City"), IRI("http://www.wikidata.org/entity/Q515")} <= types
    assert IRI("http://www.w3.org/2002/07/owl#Thing") in types
    assert (berlin, DBO + "politicalLeader", IRI(DBR + "Berlin__PoliticalFunction__1")) in triples


def test_every_triple_names_its_extractor(compiled: Compiled, minidump: DumpSource) -> None:
    extractors = {
        t.extractor
        for t in extract_page(minidump.get("Berlin"), compiled.ontology, compiled.mappings)
    }
    assert {"mappings", "label", "page-id", "page-links", "categories", "abstract"} <= extractors


def _shared_pages(shared_data: Path, index_dir: Path) -> list[PageRecord]:
    pages: list[PageRecord] = []
    dumps = [
        *sorted((shared_data / "wikipedia" / "gensim").glob("*.bz2")),
        shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2",
    ]
    for dump in dumps:
        with DumpSource(dump, index_dir) as source:
            pages += [source.get(title, follow_redirects=False) for title in source.titles()]
    for number, path in enumerate(
        sorted((shared_data / "wikipedia" / "wtf_wikipedia").glob("*.txt"))
    ):
        title = path.stem.replace("-", " ").replace("_", " ")
        pages.append(
            PageRecord(
                title, 0, number + 1, number + 1, "2020-01-01T00:00:00Z", path.read_text("utf-8")
            )
        )
    return pages


def test_every_shared_page_extracts_and_round_trips(
    compiled: Compiled, shared_data: Path, tmp_path: Path
) -> None:
    pages = _shared_pages(shared_data, tmp_path)
    assert len(pages) > 300
    for page in pages:
        triples = extract_page(page, compiled.ontology, compiled.mappings)
        assert triples, page.title
        for triple in triples:
            iris = [triple.subject, triple.predicate]
            iris.append(
                triple.object.datatype or ""
                if isinstance(triple.object, Literal)
                else triple.object
            )
            for iri in iris:
                assert not _FORBIDDEN_IN_IRI.search(iri), (page.title, iri)
                assert len(iri) <= 500, (page.title, iri)
        text = "".join(ntriples_line(t) for t in triples)
        parsed = rdflib.Graph().parse(data=text, format="nt")
        assert rdflib.compare.isomorphic(parsed, to_graph(triples)), page.title


def _disambiguation_page(wikitext: str, flagged: bool = False) -> PageRecord:
    title = "Mercury (disambiguation)"
    return PageRecord(title, 0, 1, 1, "2021-01-01T00:00:00Z", wikitext, disambiguation=flagged)


def test_disambiguation_pages_link_their_meanings_and_have_no_abstract(
    compiled: Compiled,
) -> None:
    links = (
        "'''Mercury''' may refer to:\n"
        "* [[Mercury (planet)]]\n* [[Mercury (element)]]\n* [[Venus]]\n"
    )
    subject = DBR + "Mercury_(disambiguation)"
    meanings = {
        (subject, DBO + "wikiPageDisambiguates", IRI(DBR + name))
        for name in ("Mercury_(planet)", "Mercury_(element)")
    }
    for page in (
        _disambiguation_page(links + "{{Disambiguation}}"),  # by its template
        _disambiguation_page(links, flagged=True),  # flagged by the wiki
    ):
        triples = extract_page(page, compiled.ontology, compiled.mappings)
        found = {(t.subject, t.predicate, t.object) for t in triples}
        assert {x for x in found if x[1] == DBO + "wikiPageDisambiguates"} == meanings
        assert not any(t.extractor == "abstract" for t in triples)
    # an ordinary page: an abstract, no meanings
    triples = extract_page(_disambiguation_page(links), compiled.ontology, compiled.mappings)
    assert not any(t.predicate == DBO + "wikiPageDisambiguates" for t in triples)
    assert any(t.predicate == DBO + "abstract" for t in triples)
