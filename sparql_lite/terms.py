"""From the text of a SPARQL token to the value it denotes: escapes, IRI resolution, literals."""

from __future__ import annotations

import re

from rdflib.namespace import XSD
from rdflib.term import Identifier, Literal, URIRef

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

_NUMERIC_TYPES = {
    "INTEGER": XSD.integer,
    "DECIMAL": XSD.decimal,
    "DOUBLE": XSD.double,
}
#: The grammar's number tokens (INTEGER, INTEGER_POSITIVE, ..., DOUBLE_NEGATIVE).
NUMBER_TOKENS = frozenset(
    f"{kind}{sign}" for kind in _NUMERIC_TYPES for sign in ("", "_POSITIVE", "_NEGATIVE")
)


def _code_point(match: re.Match[str]) -> str:
    hex_digits = match.group(1) or match.group(2)
    if hex_digits is None:
        if match.group(3) not in _ECHAR:
            raise ValueError(f"unknown escape \\{match.group(3)}")
        return _ECHAR[match.group(3)]
    code = int(hex_digits, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise ValueError(f"\\u escape of an invalid code point U+{code:04X}")
    return chr(code)


def unescape(text: str) -> str:
    """Resolve ECHAR and UCHAR escapes; ValueError for an unknown escape, or for a surrogate or
    out-of-range code point."""
    return _ESCAPE.sub(_code_point, text) if "\\" in text else text


def string_value(token_type: str, text: str) -> str:
    """The value of a STRING_LITERAL1/2 or STRING_LITERAL_LONG1/2 token."""
    quotes = 3 if token_type.startswith("STRING_LITERAL_LONG") else 1
    return unescape(text[quotes:-quotes])


def resolve(iri: str, base: str | None) -> str:
    """``iri`` resolved against ``base`` (RFC 3986); relative IRIs stay relative without a base."""
    if base is None or _SCHEME.match(iri):
        return iri
    return str(URIRef(iri, base=base))


def local_name(text: str) -> str:
    """A PN_LOCAL with its backslash escapes removed (percent escapes stay as written)."""
    return _LOCAL_ESCAPE.sub(r"\1", text) if "\\" in text else text


def number(token_type: str, text: str) -> Literal:
    """A numeric literal from an INTEGER/DECIMAL/DOUBLE token (signed variants included)."""
    return Literal(text, datatype=_NUMERIC_TYPES[token_type.split("_")[0]], normalize=False)


def plain_or_typed(
    lexical: str, datatype: URIRef | None = None, lang: str | None = None
) -> Literal:
    """A literal in RDF 1.1 form (see :func:`rdf11`), its lexical form kept as written
    (``"01"^^xsd:integer`` is not the term ``"1"^^xsd:integer``)."""
    if lang is not None:
        return Literal(lexical, lang=lang)
    if datatype is None:
        return Literal(lexical)
    return rdf11(Literal(lexical, datatype=datatype, normalize=False))  # type: ignore[return-value]


def rdf11(term: Identifier) -> Identifier:
    """The RDF 1.1 form of a term: an xsd:string literal becomes a simple literal."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term
