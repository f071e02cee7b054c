"""RDF serialization formats: the one table of names, labels, media types and file extensions,
shared by the CLI, the web service and the client, and the one place that serializes RDF."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import rdflib

from extractors.rdf import (
    IRI,
    PREFIXES,
    XSD_STRING,
    Blank,
    Literal,
    Triple,
    from_rdflib,
    ntriples_line,
    to_graph,
)


@dataclass(frozen=True)
class RdfFormat:
    """A serialization: its short name, human label, media type, file extensions, rdflib plugin
    name (None: written here), other accepted media types, and whether its syntax has ``#`` line
    comments (the web service writes error messages in them)."""

    name: str
    label: str
    media_type: str
    extensions: tuple[str, ...]
    rdflib_name: str | None
    aliases: tuple[str, ...] = ()
    comments: bool = False

    @property
    def media_types(self) -> tuple[str, ...]:
        """The media type and its aliases."""
        return (self.media_type, *self.aliases)


FORMATS: dict[str, RdfFormat] = {
    fmt.name: fmt
    for fmt in (
        RdfFormat("ttl", "Turtle", "text/turtle", ("ttl",), "turtle", ("application/x-turtle",),
                  comments=True),
        RdfFormat("nt", "N-Triples", "application/n-triples", ("nt", "ntriples"), None,
                  comments=True),
        RdfFormat("n3", "N3", "text/n3", ("n3",), "n3", ("text/rdf+n3",), comments=True),
        RdfFormat("jsonld", "JSON-LD", "application/ld+json", ("jsonld",), "json-ld"),
        RdfFormat("rdfxml", "RDF/XML", "application/rdf+xml", ("rdf", "xml"), "xml"),
        RdfFormat("rdfjson", "RDF/JSON", "application/rdf+json", ("json",), None,
                  ("application/json",)),
    )
}  # fmt: skip

BY_EXTENSION: dict[str, RdfFormat] = {
    ext: fmt for fmt in FORMATS.values() for ext in fmt.extensions
}
BY_MEDIA_TYPE: dict[str, RdfFormat] = {
    media_type: fmt for fmt in FORMATS.values() for media_type in fmt.media_types
}
#: media types whose bodies may carry an error message as ``#`` comment lines
COMMENTED_MEDIA_TYPES = frozenset(
    media_type for fmt in FORMATS.values() if fmt.comments for media_type in fmt.media_types
)


Node = IRI | Literal | Blank | str
Statements = Iterable[Triple] | rdflib.Graph


def serialize(statements: Statements, name: str) -> str:
    """The statements (our triples, or an rdflib graph) in the named format; duplicates are
    written once. N-Triples and RDF/JSON are written here, with our term formatting; the others
    by rdflib, with :data:`~extractors.rdf.PREFIXES` bound."""
    fmt = FORMATS[name]
    if fmt.name == "nt":
        if isinstance(statements, rdflib.Graph):
            lines: Iterable[str] = map(ntriples_line, _nodes(statements))
        else:
            lines = map(ntriples_line, statements)
        return "".join(dict.fromkeys(lines))
    if fmt.name == "rdfjson":
        return _rdf_json(_nodes(statements))
    if isinstance(statements, rdflib.Graph):
        graph = rdflib.Graph()
        for prefix, namespace in statements.namespaces():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph += statements
    else:
        graph = to_graph(list(statements))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph.serialize(format=fmt.rdflib_name)


def _nodes(statements: Statements) -> Iterator[tuple[Node, Node, Node]]:
    """(subject, predicate, object) of each statement, as our terms or :class:`Blank`."""
    if isinstance(statements, rdflib.Graph):
        for triple in statements:
            subject, predicate, obj = (from_rdflib(term) for term in triple)
            yield subject, predicate, obj
    else:
        for triple in statements:
            yield triple.subject, triple.predicate, triple.object


def _rdf_json(statements: Iterable[tuple[Node, Node, Node]]) -> str:
    """RDF/JSON (the "Talis" format DBpedia's ``.json`` serves), which rdflib does not write."""
    out: dict[str, dict[str, list[dict[str, str]]]] = {}
    seen: set[tuple[Node, Node, Node]] = set()
    for subject, predicate, obj in statements:
        if (subject, predicate, obj) in seen:
            continue
        seen.add((subject, predicate, obj))
        if isinstance(obj, Literal):
            value = {"type": "literal", "value": obj.lexical}
            if obj.lang:
                value["lang"] = obj.lang
            elif obj.datatype and obj.datatype != XSD_STRING:
                value["datatype"] = obj.datatype
        elif isinstance(obj, Blank):
            value = {"type": "bnode", "value": f"_:{obj}"}
        else:
            value = {"type": "uri", "value": str(obj)}
        key = f"_:{subject}" if isinstance(subject, Blank) else str(subject)
        out.setdefault(key, {}).setdefault(str(predicate), []).append(value)
    return json.dumps(out, ensure_ascii=False, indent=1)
