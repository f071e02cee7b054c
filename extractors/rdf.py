"""The RDF term model of extraction output, and the one implementation of term formatting.

Extraction produces :class:`Triple` records whose terms are light values (an :class:`IRI` is a
``str``; a :class:`Literal` is a small frozen record), so extraction stays fast; they convert to
rdflib terms on demand and format to N-Triples here, nowhere else.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import rdflib

DBR = "http://dbpedia.org/resource/"
DBO = "http://dbpedia.org/ontology/"
DBP = "http://dbpedia.org/property/"
DBT = "http://dbpedia.org/datatype/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
DC = "http://purl.org/dc/elements/1.1/"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEORSS = "http://www.georss.org/georss/"
SCHEMA = "http://schema.org/"
WIKIDATA = "http://www.wikidata.org/entity/"

RDF_TYPE = RDF + "type"
RDF_LANG_STRING = RDF + "langString"
XSD_STRING = XSD + "string"

#: prefixes used in the ontology and mappings wiki (``foaf:name``, ``schema:City``, …)
PREFIXES: dict[str, str] = {
    "dbo": DBO,
    "dbr": DBR,
    "dbp": DBP,
    "dbt": DBT,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "foaf": FOAF,
    "dc": DC,
    "dct": DCT,
    "dcterms": DCT,
    "prov": PROV,
    "geo": GEO,
    "georss": GEORSS,
    "schema": SCHEMA,
    "wikidata": WIKIDATA,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dul": "http://www.ontologydesignpatterns.org/ont/dul/DUL.owl#",
    "d0": "http://www.ontologydesignpatterns.org/ont/d0.owl#",
    "bibo": "http://purl.org/ontology/bibo/",
    "cidoccrm": "http://purl.org/NET/cidoc-crm/core#",
    "gn": "http://www.geonames.org/ontology#",
    "mo": "http://purl.org/ontology/mo/",
    "gnd": "http://d-nb.info/standards/elementset/gnd#",
    "umbel-rc": "http://umbel.org/umbel/rc/",
    "sioc": "http://rdfs.org/sioc/ns#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
}


class IRI(str):
    """An absolute IRI (a ``str`` that is known to be one)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal: lexical form with a datatype IRI or a language tag (plain when neither)."""

    lexical: str
    datatype: str | None = None
    lang: str | None = None


class Blank(str):
    """A blank node's label (extraction makes none; statements read from a graph may hold them)."""

    __slots__ = ()


Term = IRI | Literal


class Triple(NamedTuple):
    """One output statement and the extractor that made it."""

    subject: str
    predicate: str
    object: Term
    extractor: str


def expand(curie: str) -> str:
    """Expand ``prefix:local`` with :data:`PREFIXES`; other strings come back unchanged."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie


def java_double(value: float) -> str:
    """Format a double as Java's ``Double.toString`` does (``34.0``, ``8.917E8``, ``1.0E-4``)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(value)  # plain notation throughout this range, shortest round-trip digits
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    scientific_exponent = len(digits) + int(exponent) - 1
    mantissa = "".join(map(str, digits))
    return f"{'-' if sign else ''}{mantissa[0]}.{mantissa[1:] or '0'}E{scientific_exponent}"


#: N-Triples escapes: quote, backslash and the control characters (the common ones by name)
_LITERAL_ESCAPES = str.maketrans(
    {
        **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
        ord("\\"): "\\\\",
        ord('"'): '\\"',
        ord("\n"): "\\n",
        ord("\r"): "\\r",
        ord("\t"): "\\t",
    }
)
_LITERAL_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\]')
#: characters an IRIREF may not contain, as ``\uXXXX`` (all ASCII: the ``\U`` form never applies)
_IRI_ESCAPES = str.maketrans(
    {char: f"\\u{ord(char):04X}" for char in (*map(chr, range(0x21)), *'<>"{}|^`\\')}
)
_IRI_SPECIAL = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_literal(text: str) -> str:
    return text.translate(_LITERAL_ESCAPES) if _LITERAL_SPECIAL.search(text) else text


def _escape_iri(iri: str) -> str:
    return iri.translate(_IRI_ESCAPES) if _IRI_SPECIAL.search(iri) else iri


def format_term(term: Term | Blank | str) -> str:
    """A term in N-Triples syntax (a plain ``str`` is taken as an IRI)."""
    if isinstance(term, Blank):
        return f"_:{term}"
    if isinstance(term, Literal):
        quoted = f'"{_escape_literal(term.lexical)}"'
        if term.lang:
            return f"{quoted}@{term.lang}"
        if term.datatype and term.datatype != XSD_STRING:
            return f"{quoted}^^<{_escape_iri(term.datatype)}>"
        return quoted
    return f"<{_escape_iri(term)}>"


def ntriples_line(triple: Triple | tuple[str | Term, str | Term, str | Term]) -> str:
    """One triple (or a subject, predicate, object tuple) as an N-Triples line, with its
    newline."""
    subject, predicate, obj = (format_term(term) for term in triple[:3])
    return f"{subject} {predicate} {obj} .\n"


def from_rdflib(term: rdflib.term.Node) -> Term | Blank:
    """Our term for an rdflib one (the inverse of :func:`to_rdflib`)."""
    if isinstance(term, rdflib.BNode):
        return Blank(term)
    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return Literal(str(term), datatype=datatype, lang=term.language)
    return IRI(term)


def to_rdflib(term: Term | str) -> rdflib.term.Identifier:
    """The rdflib term for one of ours."""
    if isinstance(term, Literal):
        if term.lang:
            return rdflib.Literal(term.lexical, lang=term.lang)
        datatype = None if term.datatype in (None, XSD_STRING) else rdflib.URIRef(term.datatype)
        return rdflib.Literal(term.lexical, datatype=datatype)
    return rdflib.URIRef(term)


def to_graph(triples: list[Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Add triples to an rdflib graph (a new one by default) and return it."""
    graph = rdflib.Graph() if graph is None else graph
    for triple in triples:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return graph
