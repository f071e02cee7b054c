"""DBpedia's CitationExtractor (extractors/citations.py) and TopicalConceptsExtractor rules."""

from __future__ import annotations

import hashlib

from extractors.citations import citation_iri, extract_citations, property_iri
from extractors.dataparsers import ParseContext
from extractors.page_extractors import collect, topical_concept_triples
from extractors.rdf import DBO, DBP, IRI, XSD, Literal
from extractors.wikitext import parse

PAGE = "http://dbpedia.org/resource/X"


def _citations(wikitext: str) -> list[tuple[str, str, object]]:
    facts = collect(parse(wikitext), "X")
    context = ParseContext(page_title="X", link_labels=facts.link_labels)
    return [
        (t.subject, t.predicate, t.object)
        for t in extract_citations(facts.templates, PAGE, context)
    ]


def test_isbn_names_the_citation_and_question_marks_are_encoded() -> None:
    triples = _citations(
        "A.<ref>{{cite book |last=Sidel |year=2006 |isbn=978-0-8014-4515-6 "
        "|url=https://archive.org/x |location=Ithaca}}</ref>"
    )
    book = "http://books.google.com/books%3Fvid=ISBN978-0-8014-4515-6"
    assert (book, DBP + "isCitedBy", IRI(PAGE)) in triples
    assert (book, DBP + "location", Literal("Ithaca")) in triples
    assert (book, DBP + "year", Literal("2006")) in triples  # years stay strings
    assert (book, DBP + "last", Literal("Sidel")) in triples


def test_identifier_order_url_and_hash_fallback() -> None:
    doi = parse("{{cite journal|url=http://a.org/p|doi=10.1000/ABC}}").filter_templates()[0]
    assert citation_iri(doi) == "http://doi.org/10.1000/abc"  # lower-cased
    url = parse("{{cite web|url=http://a.org/p?q=1#f|title=T}}").filter_templates()[0]
    assert citation_iri(url) == "http://a.org/p%3Fq=1%23f"
    bare = parse("{{cite web|url=a.org/no-scheme|title=T}}").filter_templates()[0]
    expected = hashlib.sha256(b"Cite web{|url=a.org/no-scheme|title=T}").hexdigest()
    assert citation_iri(bare) == "http://citation.dbpedia.org/hash/" + expected


def test_dates_links_and_names() -> None:
    triples = _citations(
        "{{Cite news|title=T|access-date=19 May 2020|date=2011|work=[[The Times]]|2=x|last1=L}}"
    )
    values = {p: o for _, p, o in triples}
    assert values[DBP + "accessDate"] == Literal("2020-05-19", XSD + "date")
    assert values[DBP + "date"] == Literal("2011")
    assert values[DBP + "last1"] == Literal("L")  # trailing digits are kept
    assert DBP + "work" not in values  # a link has no datatype: the framework drops it
    assert not any(p.endswith("/2") or p.endswith("/2_") for p in values)  # positional


def test_an_empty_small_leaves_nothing() -> None:
    triples = _citations(
        "{{cite web|url=http://a.org/|title=Foo <small>(in German)</small>"
        "|publisher=Bar <small></small>}}"
    )
    values = {p: o for _, p, o in triples}
    assert values[DBP + "title"] == Literal("Foo")  # citations drop text in parentheses
    assert values[DBP + "publisher"] == Literal("Bar")  # as DBpedia's StringParser: not "Bar ()"


def test_citation_names_are_searched_not_anchored() -> None:
    assert _citations("{{Citation needed|date=May 2020}}")  # "citation" anywhere in the name
    assert not _citations("{{Infobox person|name=A|birth_date=1990}}")
    assert not _citations("{{#invoke:Citation/CS1|citation}}")  # a parser function


def test_property_names() -> None:
    assert property_iri("archive-url") == DBP + "archiveUrl"
    assert property_iri("url_access") == DBP + "urlAccess"
    assert property_iri("Last1") == DBP + "last1"


def test_main_article_for_category() -> None:
    facts = collect(parse("{{commonscat|P}}\n{{Cat main|Pininfarina}}"), "Category:P")
    subject = "http://dbpedia.org/resource/Category:P"
    [triple] = topical_concept_triples(subject, facts)
    assert (triple.subject, triple.predicate, triple.object) == (
        subject,
        DBO + "mainArticleForCategory",
        IRI("http://dbpedia.org/resource/Pininfarina"),
    )
    broken = collect(parse("{{Cat main|[[Pininfarina]]}}"), "Category:P")
    assert topical_concept_triples(subject, broken) == []  # the framework fails the page
