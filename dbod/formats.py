"""RDF serialization formats by name: the one table shared by the CLI and the web service."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.rdf import PREFIXES, Triple, ntriples_line, to_graph


@dataclass(frozen=True)
class RdfFormat:
    """A serialization: its short name, media type and rdflib plugin name."""

    name: str
    media_type: str
    rdflib_name: str


FORMATS: dict[str, RdfFormat] = {
    fmt.name: fmt
    for fmt in (
        RdfFormat("ttl", "text/turtle", "turtle"),
        RdfFormat("nt", "application/n-triples", "nt"),
        RdfFormat("jsonld", "application/ld+json", "json-ld"),
        RdfFormat("rdfxml", "application/rdf+xml", "xml"),
    )
}


def serialize(triples: list[Triple], name: str) -> str:
    """The triples in the named format (N-Triples written directly, the rest through rdflib)."""
    fmt = FORMATS[name]
    if fmt.name == "nt":
        return "".join(dict.fromkeys(ntriples_line(triple) for triple in triples))
    graph = to_graph(triples)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph.serialize(format=fmt.rdflib_name)
