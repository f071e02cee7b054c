"""RDF serialization formats: the one table of names, media types and file extensions, shared by
the CLI and the web service, and the one place that serializes triples."""

from __future__ import annotations

import json
from dataclasses import dataclass

from extractors.rdf import PREFIXES, XSD_STRING, Literal, Triple, ntriples_line, to_graph


@dataclass(frozen=True)
class RdfFormat:
    """A serialization: its short name, media type, other accepted media types, extensions and
    rdflib plugin name (None: written here)."""

    name: str
    media_type: str
    extensions: tuple[str, ...]
    rdflib_name: str | None
    aliases: tuple[str, ...] = ()


FORMATS: dict[str, RdfFormat] = {
    fmt.name: fmt
    for fmt in (
        RdfFormat("ttl", "text/turtle", ("ttl",), "turtle", ("application/x-turtle",)),
        RdfFormat("nt", "application/n-triples", ("nt", "ntriples"), None),
        RdfFormat("n3", "text/n3", ("n3",), "n3", ("text/rdf+n3",)),
        RdfFormat("jsonld", "application/ld+json", ("jsonld",), "json-ld"),
        RdfFormat("rdfxml", "application/rdf+xml", ("rdf", "xml"), "xml"),
        RdfFormat("rdfjson", "application/rdf+json", ("json",), None, ("application/json",)),
    )
}

BY_EXTENSION: dict[str, RdfFormat] = {
    ext: fmt for fmt in FORMATS.values() for ext in fmt.extensions
}
BY_MEDIA_TYPE: dict[str, RdfFormat] = {
    media_type: fmt for fmt in FORMATS.values() for media_type in (fmt.media_type, *fmt.aliases)
}


def serialize(triples: list[Triple], name: str) -> str:
    """The triples in the named format; duplicates are written once."""
    fmt = FORMATS[name]
    if fmt.name == "nt":
        return "".join(dict.fromkeys(ntriples_line(triple) for triple in triples))
    if fmt.name == "rdfjson":
        return _rdf_json(triples)
    graph = to_graph(triples)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph.serialize(format=fmt.rdflib_name)


def _rdf_json(triples: list[Triple]) -> str:
    """RDF/JSON (the "Talis" format DBpedia's ``.json`` serves), which rdflib does not write."""
    out: dict[str, dict[str, list[dict[str, str]]]] = {}
    seen: set[tuple[str, str, object]] = set()
    for subject, predicate, obj, _ in triples:
        if (subject, predicate, obj) in seen:
            continue
        seen.add((subject, predicate, obj))
        if isinstance(obj, Literal):
            value = {"type": "literal", "value": obj.lexical}
            if obj.lang:
                value["lang"] = obj.lang
            elif obj.datatype and obj.datatype != XSD_STRING:
                value["datatype"] = obj.datatype
        else:
            value = {"type": "uri", "value": str(obj)}
        out.setdefault(subject, {}).setdefault(predicate, []).append(value)
    return json.dumps(out, ensure_ascii=False, indent=1)
