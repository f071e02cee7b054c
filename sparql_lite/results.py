"""SELECT and ASK results and their W3C serializations: SPARQL 1.1 Query Results JSON, XML,
CSV and TSV. (CONSTRUCT and DESCRIBE give rdflib Graphs, which rdflib serializes.)

Literals are written in RDF 1.1 form: no datatype for simple literals and language-tagged
strings. ASK results have no CSV or TSV form in the recommendation; they are written the way
Jena writes them, a ``_askResult`` column with one row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib.namespace import XSD
from rdflib.term import BNode, Identifier, Literal, URIRef, Variable

Row = tuple[Identifier | None, ...]


@dataclass
class SelectResult:
    """Solutions as rows of terms aligned with ``variables`` (None where unbound)."""

    variables: tuple[Variable, ...]
    rows: list[Row]
    links: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class AskResult:
    boolean: bool
    links: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.boolean


Result = SelectResult | AskResult

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


def serialize(result: Result, format: str) -> str:
    """The result as ``format``: one of the keys of MEDIA_TYPES."""
    return _SERIALIZERS[format](result)


def _is_plain(literal: Literal) -> bool:
    return literal.datatype is None or literal.datatype == XSD.string


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value = {"type": "literal", "value": str(term)}
    if term.language is not None:  # type: ignore[attr-defined]
        value["xml:lang"] = term.language  # type: ignore[attr-defined]
    elif not _is_plain(term):  # type: ignore[arg-type]
        value["datatype"] = str(term.datatype)  # type: ignore[attr-defined]
    return value


def to_json(result: Result) -> str:
    head: dict = {}
    if isinstance(result, AskResult):
        body: dict = {"head": head, "boolean": result.boolean}
    else:
        head["vars"] = [str(v) for v in result.variables]
        bindings = [
            {
                str(v): _json_term(t)
                for v, t in zip(result.variables, row, strict=True)
                if t is not None
            }
            for row in result.rows
        ]
        body = {"head": head, "results": {"bindings": bindings}}
    if result.links:
        head["link"] = list(result.links)
    return json.dumps(body, ensure_ascii=False)


def _xml_term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(term)}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(term)}</bnode>"
    attributes = ""
    if term.language is not None:  # type: ignore[attr-defined]
        attributes = f" xml:lang={quoteattr(term.language)}"  # type: ignore[attr-defined]
    elif not _is_plain(term):  # type: ignore[arg-type]
        attributes = f" datatype={quoteattr(str(term.datatype))}"  # type: ignore[attr-defined]
    return f"<literal{attributes}>{escape(term)}</literal>"


def to_xml(result: Result) -> str:
    lines = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    lines.append("  <head>")
    if isinstance(result, SelectResult):
        lines.extend(f"    <variable name={quoteattr(v)}/>" for v in result.variables)
    lines.extend(f"    <link href={quoteattr(href)}/>" for href in result.links)
    lines.append("  </head>")
    if isinstance(result, AskResult):
        lines.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        lines.append("  <results>")
        for row in result.rows:
            lines.append("    <result>")
            lines.extend(
                f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(result.variables, row, strict=True)
                if t is not None
            )
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _csv_field(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(result, AskResult):
        writer.writerows((["_askResult"], ["true" if result.boolean else "false"]))
    else:
        writer.writerow([str(v) for v in result.variables])
        writer.writerows([_csv_field(term) for term in row] for row in result.rows)
    return buffer.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ABBREVIATED = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}


def _tsv_term(term: Identifier | None) -> str:
    """A term in the Turtle syntax SPARQL TSV uses (numbers and booleans abbreviated)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    literal: Literal = term  # type: ignore[assignment]
    shape = _ABBREVIATED.get(literal.datatype)  # type: ignore[arg-type]
    if shape is not None and shape.fullmatch(literal):
        return str(literal)
    quoted = f'"{str(literal).translate(_TSV_ESCAPES)}"'
    if literal.language is not None:
        return f"{quoted}@{literal.language}"
    if not _is_plain(literal):
        return f"{quoted}^^<{literal.datatype}>"
    return quoted


def to_tsv(result: Result) -> str:
    if isinstance(result, AskResult):
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join(_tsv_term(term) for term in row) for row in result.rows)
    return "\n".join(lines) + "\n"


_SERIALIZERS: dict[str, Callable[[Result], str]] = {
    "json": to_json,
    "xml": to_xml,
    "csv": to_csv,
    "tsv": to_tsv,
}
