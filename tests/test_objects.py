"""ObjectParser, FlagTemplateParser, LinkParser and BooleanParser, against DBpedia's vectors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.dataparsers import ParseContext
from extractors.dataparsers.geo import parse_coordinates, parse_single_coordinate
from extractors.dataparsers.links import parse_boolean, parse_link
from extractors.dataparsers.objects import (
    UrlLink,
    dbpedia_nodes,
    parse_flag_template,
    parse_object,
    parse_objects,
)
from extractors.titles import resource_iri
from extractors.wikitext import parse

VECTORS = "dbpedia/tests/dataparser/ObjectParserTest.xml"
VECTOR_COUNT = 6
EN = ParseContext()
DBR = "http://dbpedia.org/resource/"


def vectors(shared_data: Path) -> list[ET.Element]:
    return ET.parse(shared_data / VECTORS).getroot().findall("testValue")


def test_vector_count(shared_data: Path) -> None:
    assert len(vectors(shared_data)) == VECTOR_COUNT


@pytest.mark.parametrize("index", range(VECTOR_COUNT))
def test_object_parser_vector(shared_data: Path, index: int) -> None:
    vector = vectors(shared_data)[index]
    expected = [resource_iri(e.text or "") for e in vector.iter("expectedResult")]
    assert parse_objects(parse(vector.findtext("input") or ""), EN) == expected


def obj(text: str, context: ParseContext = EN, page_title: str | None = None) -> str | None:
    if page_title is not None:
        context = replace(context, page_title=page_title)
    return parse_object(parse(text), context)


LABELS = ParseContext(
    link_labels={"berlin": "Berlin", "the capital": "berlin#Mitte", "cats": "Category:Cats"}
)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        (
            "[[Dearborn, Michigan|Dearborn]], [[Michigan]]",
            EN,
            DBR + "Dearborn,_Michigan",
        ),  # first only
        ("[[berlin#History|the city]]", EN, DBR + "Berlin"),  # section dropped, first letter up
        (
            '[[Ren & Stimpy "Adult Party Cartoon"]]',
            EN,
            DBR + "Ren_&_Stimpy_%22Adult_Party_Cartoon%22",
        ),
        ("[[:Category:Cats]] [[Cats]]", EN, DBR + "Cats"),  # other namespaces are skipped
        ("[[File:x.jpg|thumb|[[Berlin]]]]", EN, None),  # DBpedia does not look into captions
        ("[http://example.org/a?b=c label]", EN, "http://example.org/a?b=c"),
        ("see http://example.org/x.", EN, "http://example.org/x."),  # DBpedia keeps the dot
        ("Berlin", EN, None),  # plain text names nothing
        ("  Berlin ", LABELS, DBR + "Berlin"),  # ... unless it is a link label on the page
        ("the Capital", LABELS, DBR + "Berlin"),
        ("cats", LABELS, None),  # a label of a link to another namespace
        ("{{flag|Germany}}", EN, DBR + "Germany"),
        (" {{flag|Germany}}", EN, DBR + "Germany"),  # leading space is dropped by the parser
        ("{{flag|Germany}}\n", EN, None),  # a second child (the newline): no flag rule
        ("{{flag|Germany}} [[France]]", EN, DBR + "France"),
        ("{{Infobox|x=[[Berlin]]}}", EN, None),  # templates are not searched
        ("<span>[[Berlin]]</span>", EN, DBR + "Berlin"),  # tags are text in DBpedia's parser
        ("<ref>[[Berlin]]</ref>", EN, None),  # references are dropped
        ("[[Foo<bar>]]", EN, None),  # an invalid title
    ],
)
def test_object_parser(text: str, context: ParseContext, expected: str | None) -> None:
    assert obj(text, context) == expected


def test_section_link_needs_page_title() -> None:
    assert obj("[[#Cast]]", page_title="? (film)") == DBR + "%3F_(film)%23Cast"
    assert obj("[[#Cast]]") is None


def test_parse_objects_collects_every_match() -> None:
    value = parse("[[A]] and {{GER}}, [[File:x.png|[[B]] [http://c.org c]]] Berlin")
    assert parse_objects(value, LABELS) == [
        DBR + "A",
        DBR + "B",
        "http://c.org",
        DBR + "Berlin",
    ]


# FlagTemplateParserTest.scala, English cases (the decoded title is compared, as there).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{flag|United States}}", "United States"),
        ("{{flag|FRA}}", "France"),
        ("{{flag|DEU|empire}}", "Germany"),
        ("{{flagcountry|ITA}}", "Italy"),
        ("{{KOR}}", "South Korea"),
        ("{{GER}}", "Germany"),
        ("{{EU}}", "European Union"),
        ("{{flagicon|SWE}}", "Sweden"),
        ("{{Flagicon|USA|size=20px}}", "United States"),
        ("{{flag|XYZ}}", None),  # an unknown code gives nothing, not a title "XYZ"
        ("{{XYZ}}", None),
        ("{{flag}}", None),
        ("{{flag|[[Germany]]}}", None),  # parameter 1 has no text
        ("{{Infobox country}}", None),
        ("{{Ger}}", None),  # codes are upper case
    ],
)
def test_flag_template_parser(text: str, expected: str | None) -> None:
    title = parse_flag_template(parse(text).nodes[0], EN)
    assert (title.text if title else None) == expected


# LinkParserTest.scala: the cases whose URL has a scheme. The scheme-less ones ({{URL|example.com}})
# need the template transformation (templatetransform.json), which runs before any parser.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{URL|http://www.example.com/}}", "http://www.example.com/"),
        ("{{URL|http://www.example.com/path}}", "http://www.example.com/path"),
        ("{{URL|http://www.example.com/path/}}", "http://www.example.com/path/"),
        (
            "{{URL|1=http://www.example.com/path?section=17}}",
            "http://www.example.com/path?section=17",
        ),
        ("{{URL|http://www.example.com}}", "http://www.example.com"),
        ("{{URL|https://www.example.com}}", "https://www.example.com"),
        ("{{URL|http://www.example.com/foo|link}}", "http://www.example.com/foo"),
        ("{{URL|http://www.example.com/foo/|link}}", "http://www.example.com/foo/"),
        ("[ftp://ftp.example.com files]", "ftp://ftp.example.com"),
        ("[irc://irc.example.com/channel chat]", "irc://irc.example.com/channel"),
        ("ftp://ftp.example.com", None),  # DBpedia's parser only knows bare http URLs
        ("[[Example|see [http://a.org here]]]", "http://a.org"),
        ("[http://a.org/x{{!}}y label]", None),  # not a URI: text
        ("<ref>http://a.org</ref> http://b.org", "http://b.org"),
        ("http://a.org<br />http://b.org", "http://b.org"),  # "http://a.org<br" is no URI
        ("http://a.org/%zz", None),
        ("example.com", None),
    ],
)
def test_link_parser(text: str, expected: str | None) -> None:
    assert parse_link(parse(text), EN) == expected


# BooleanParserTest.scala, then DBpedia's node view.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[
            (t, True)
            for t in [
                "true",
                "  true",
                "true  ",
                "is true",
                "true story",
                "is a very true story",
                "yes",
            ]
        ],
        *[
            (t, False)
            for t in [
                "false",
                "  false",
                "false  ",
                "is false",
                "false story",
                "is a very false story",
                "no",
            ]
        ],
        *[(t, None) for t in ["foo", "The Beatles song 'Yesterday'", "MONOTONE"]],
        ("YES", True),
        ("yes\nno", False),  # the false words are tried first
        ("yes.", None),  # a whole word between whitespace only
        ("[[yes]]", True),
        ("[[Boolean|no]] {{tick}}", False),
        ("<span>yes</span>", None),  # the tag is part of the text in DBpedia's parser
        ("{{yes}}", None),
        ("ﬁ ſtrue yes", True),  # ASCII case folding only
    ],
)
def test_boolean_parser(text: str, expected: bool | None) -> None:
    assert parse_boolean(parse(text), EN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a<!-- c -->b  [[L]] c", ["ab  ", "[[L]]", " c"]),
        ('x <span class="y">z</span>', ['x <span class="y">z</span>']),
        ("http://a.org, b", [UrlLink("http://a.org,", None), " b"]),
        ("[http://a.org]", [UrlLink("http://a.org", None)]),
        ("{{t}}\n", ["{{t}}", "\n"]),
        ("<ref>r</ref> <!-- c -->", []),
    ],
)
def test_dbpedia_nodes(text: str, expected: list[object]) -> None:
    pieces = dbpedia_nodes(parse(text))
    assert [p if isinstance(p, str | UrlLink) else str(p) for p in pieces] == expected


_BITS = "[[ ]] {{ }} | = [ ] http:// <ref> </ref> <br/> <!-- --> coord flag # : File: Category: º '"
WIKI_BITS = st.sampled_from(
    [*_BITS.split(), *'" N S E W / 1 2.5 yes no &amp; % GER'.split(), " ", "\n"]
)
TEXT = st.one_of(
    st.text(), st.lists(st.one_of(WIKI_BITS, st.text(max_size=3)), max_size=30).map("".join)
)
LABELLED = ParseContext(
    link_labels={"a": "A", "x": "#y", "bad": "<bad>"}, resolve_template=str.capitalize
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_arbitrary_text_never_raises(text: str) -> None:
    value = parse(text)
    parse_object(value, replace(LABELLED, page_title="Page"))
    parse_objects(value, LABELLED)
    parse_link(value, LABELLED)
    parse_boolean(value, LABELLED)
    parse_coordinates(value, LABELLED)
    parse_single_coordinate(text)
