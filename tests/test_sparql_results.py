"""SPARQL 1.1 result formats: exact JSON, XML, CSV and TSV output, and reading them back."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from rdflib import XSD, BNode, Literal, URIRef, Variable

from sparql_lite import MEDIA_TYPES, AskResult, SelectResult, serialize
from sparql_lite.result_parsers import parse_csv, parse_srj, parse_srx, parse_tsv

ROWS = SelectResult(
    (Variable("s"), Variable("o")),
    [
        (URIRef("http://example.org/a"), Literal("plain")),
        (BNode("b0"), Literal("chat", lang="fr")),
        (URIRef("http://example.org/c"), Literal("42", datatype=XSD.integer)),
        (URIRef("http://example.org/d"), Literal('say "hi",\tthen\nleave')),
        (URIRef("http://example.org/e"), Literal("x", datatype=URIRef("http://example.org/t"))),
        (None, Literal("1.5e0", datatype=XSD.double, normalize=False)),
        (URIRef("http://example.org/g"), None),
    ],
    links=("http://example.org/note",),
)


def test_json() -> None:
    document = json.loads(serialize(ROWS, "json"))
    assert document["head"] == {"vars": ["s", "o"], "link": ["http://example.org/note"]}
    bindings = document["results"]["bindings"]
    assert bindings[0] == {
        "s": {"type": "uri", "value": "http://example.org/a"},
        "o": {"type": "literal", "value": "plain"},
    }
    assert bindings[1] == {
        "s": {"type": "bnode", "value": "b0"},
        "o": {"type": "literal", "value": "chat", "xml:lang": "fr"},
    }
    assert bindings[2]["o"] == {"type": "literal", "value": "42", "datatype": str(XSD.integer)}
    assert bindings[5] == {"o": {"type": "literal", "value": "1.5e0", "datatype": str(XSD.double)}}
    assert bindings[6] == {"s": {"type": "uri", "value": "http://example.org/g"}}
    assert json.loads(serialize(AskResult(True), "json")) == {"head": {}, "boolean": True}


def test_xml() -> None:
    text = serialize(ROWS, "xml")
    root = ElementTree.fromstring(text)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in root.iter(f"{ns}variable")] == ["s", "o"]
    assert [link.get("href") for link in root.iter(f"{ns}link")] == ["http://example.org/note"]
    results = list(root.iter(f"{ns}result"))
    assert len(results) == 7
    literal = results[1].find(f"{ns}binding[@name='o']/{ns}literal")
    assert literal is not None and literal.text == "chat"
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert len(list(results[6])) == 1  # the unbound ?o has no binding element
    ask = serialize(AskResult(False), "xml")
    assert "<boolean>false</boolean>" in ask


def test_csv() -> None:
    assert serialize(ROWS, "csv") == (
        "s,o\r\n"
        "http://example.org/a,plain\r\n"
        "_:b0,chat\r\n"
        "http://example.org/c,42\r\n"
        'http://example.org/d,"say ""hi"",\tthen\nleave"\r\n'
        "http://example.org/e,x\r\n"
        ",1.5e0\r\n"
        "http://example.org/g,\r\n"
    )
    assert serialize(AskResult(True), "csv") == "_askResult\r\ntrue\r\n"


def test_tsv() -> None:
    assert serialize(ROWS, "tsv") == (
        "?s\t?o\n"
        '<http://example.org/a>\t"plain"\n'
        '_:b0\t"chat"@fr\n'
        "<http://example.org/c>\t42\n"
        '<http://example.org/d>\t"say \\"hi\\",\\tthen\\nleave"\n'
        '<http://example.org/e>\t"x"^^<http://example.org/t>\n'
        "\t1.5e0\n"
        "<http://example.org/g>\t\n"
    )


@pytest.mark.parametrize(
    ("format", "parse"), [("xml", parse_srx), ("json", parse_srj), ("tsv", parse_tsv)]
)
def test_round_trips(format: str, parse) -> None:  # type: ignore[no-untyped-def]
    back = parse(serialize(ROWS, format))
    assert back.variables == ROWS.variables
    assert back.rows == ROWS.rows
    if format != "tsv":
        assert back.links == ROWS.links
        assert parse(serialize(AskResult(True), format)) == AskResult(True)


def test_csv_reads_back_as_strings() -> None:
    header, rows = parse_csv(serialize(ROWS, "csv"))
    assert header == ["s", "o"]
    assert rows[3] == ["http://example.org/d", 'say "hi",\tthen\nleave']


def test_readers_accept_legacy_and_abbreviated_forms() -> None:
    legacy = parse_srj(
        '{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "typed-literal",'
        f' "value": "1", "datatype": "{XSD.integer}"}}}}]}}}}'
    )
    assert legacy.rows == [(Literal("1", datatype=XSD.integer),)]  # type: ignore[union-attr]
    tsv = parse_tsv("?a\t?b\t?c\t?d\r\n-1\t.5\t1E3\ttrue\r\n")
    assert tsv.rows == [
        (
            Literal("-1", datatype=XSD.integer, normalize=False),
            Literal(".5", datatype=XSD.decimal, normalize=False),
            Literal("1E3", datatype=XSD.double, normalize=False),
            Literal(True),
        )
    ]


def test_media_types() -> None:
    assert MEDIA_TYPES["json"] == "application/sparql-results+json"
    assert MEDIA_TYPES["xml"] == "application/sparql-results+xml"
    assert MEDIA_TYPES["csv"].startswith("text/csv")
    assert MEDIA_TYPES["tsv"].startswith("text/tab-separated-values")
