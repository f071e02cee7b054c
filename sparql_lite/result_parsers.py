"""Readers of SPARQL 1.1 result documents (XML, JSON, TSV, CSV), e.g. the expected results of
the W3C test suite or the answers of a remote endpoint."""

from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree

from rdflib.term import BNode, Identifier, Literal, URIRef, Variable

from .results import AskResult, SelectResult
from .terms import number, plain_or_typed, unescape

#: The namespace of SPARQL Query Results XML, as ElementTree writes it in tags.
SRX = "{http://www.w3.org/2005/sparql-results#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TSV_TERM = re.compile(
    r"""<(?P<iri>[^>]*)>
      | _:(?P<bnode>\S+)
      | (?P<quote>["'])(?P<string>(?:(?!(?P=quote))[^\\]|\\.)*)(?P=quote)
        (?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<datatype>[^>]*)>)?
      | (?P<double>[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+)
      | (?P<decimal>[+-]?[0-9]*\.[0-9]+)
      | (?P<integer>[+-]?[0-9]+)
      | (?P<boolean>true|false)""",
    re.VERBOSE,
)


def parse_srx(text: str | bytes) -> SelectResult | AskResult:
    """SPARQL Query Results XML."""
    root = ElementTree.fromstring(text.encode() if isinstance(text, str) else text)
    head = root.find(f"{SRX}head")
    links = tuple(
        link.get("href", "")
        for link in (head if head is not None else ())
        if link.tag == f"{SRX}link"
    )
    boolean = root.find(f"{SRX}boolean")
    if boolean is not None:
        return AskResult((boolean.text or "").strip() == "true", links)
    variables = tuple(
        Variable(v.get("name", ""))
        for v in (head if head is not None else ())
        if v.tag == f"{SRX}variable"
    )
    position = {v: i for i, v in enumerate(variables)}
    rows = []
    for result in root.iter(f"{SRX}result"):
        row: list[Identifier | None] = [None] * len(variables)
        for binding in result.iter(f"{SRX}binding"):
            [value] = list(binding)
            row[position[Variable(binding.get("name", ""))]] = srx_term(value)
        rows.append(tuple(row))
    return SelectResult(variables, rows, links)


def srx_term(element: ElementTree.Element) -> Identifier:
    """The RDF term of a ``uri``, ``bnode`` or ``literal`` element of an XML result."""
    tag, text = element.tag.removeprefix(SRX), element.text or ""
    if tag == "uri":
        return URIRef(text.strip())
    if tag == "bnode":
        return BNode(text.strip())
    datatype = element.get("datatype")
    return plain_or_typed(text, URIRef(datatype) if datatype else None, element.get(_XML_LANG))


def parse_srj(text: str | bytes) -> SelectResult | AskResult:
    """SPARQL Query Results JSON (also accepting the legacy ``typed-literal`` type)."""
    document = json.loads(text)
    links = tuple(document.get("head", {}).get("link", ()))
    if "boolean" in document:
        return AskResult(bool(document["boolean"]), links)
    variables = tuple(Variable(v) for v in document["head"]["vars"])
    names = [str(v) for v in variables]
    rows = [
        tuple(_srj_term(binding[name]) if name in binding else None for name in names)
        for binding in document["results"]["bindings"]
    ]
    return SelectResult(variables, rows, links)


def _srj_term(value: dict[str, str]) -> Identifier:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    datatype = value.get("datatype")
    return plain_or_typed(
        value["value"], URIRef(datatype) if datatype else None, value.get("xml:lang")
    )


def parse_tsv(text: str) -> SelectResult:
    """SPARQL 1.1 TSV results (LF or CRLF line ends)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    variables = tuple(Variable(name.strip().lstrip("?$")) for name in lines[0].split("\t"))
    rows = [tuple(_tsv_value(cell) for cell in line.split("\t")) for line in lines[1:]]
    return SelectResult(variables, rows)


def _tsv_value(cell: str) -> Identifier | None:
    """One TSV field: an RDF term in Turtle syntax, or None if empty."""
    cell = cell.strip()
    if not cell:
        return None
    match = _TSV_TERM.fullmatch(cell)
    if match is None:
        raise ValueError(f"not an RDF term in TSV: {cell!r}")
    groups = match.groupdict()
    if groups["iri"] is not None:
        return URIRef(unescape(groups["iri"]))
    if groups["bnode"] is not None:
        return BNode(groups["bnode"])
    if groups["string"] is not None:
        datatype = groups["datatype"]
        return plain_or_typed(
            unescape(groups["string"]), URIRef(datatype) if datatype else None, groups["lang"]
        )
    for kind in ("double", "decimal", "integer"):
        if groups[kind] is not None:
            return number(kind.upper(), groups[kind])
    return Literal(groups["boolean"], datatype=URIRef("http://www.w3.org/2001/XMLSchema#boolean"))


def parse_csv(text: str) -> tuple[list[str], list[list[str]]]:
    """SPARQL 1.1 CSV results as strings: the header and the rows (CSV does not say which
    field is an IRI and which a literal, so no terms are made up)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]
