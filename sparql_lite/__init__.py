"""A restricted SPARQL engine that evaluates basic graph patterns over a Dataset protocol.

    query = parse_query(text)           # QuerySyntaxError (illegal) | UnsupportedFeature (legal)
    result = execute(query, dataset, Limits(wall_time=30, results=10_000))  # LimitExceeded
    body = serialize(result, "json")    # SELECT / ASK; CONSTRUCT and DESCRIBE give rdflib Graphs

The parser reads the full SPARQL 1.1 grammar; the engine evaluates PREFIX/BASE, SELECT (with
DISTINCT, REDUCED, COUNT), ASK, CONSTRUCT, DESCRIBE, basic graph patterns, FILTER, OPTIONAL,
UNION, ORDER BY, LIMIT and OFFSET. A query nesting deeper than ``parser.MAX_DEPTH`` (200)
levels is refused as UnsupportedFeature: nested groups or expressions, and sequences that
nest one level per element (triple patterns, OPTIONALs, arithmetic operators; not ``||``,
``&&`` or UNION). No I/O: the caller supplies the Dataset.
"""

from .algebra import Query
from .dataset import Dataset, InMemoryDataset
from .errors import LimitExceeded, QuerySyntaxError, SparqlError, UnsupportedFeature
from .executor import Limits, execute
from .parser import parse_query
from .results import MEDIA_TYPES, AskResult, SelectResult, serialize

__all__ = [
    "MEDIA_TYPES",
    "AskResult",
    "Dataset",
    "InMemoryDataset",
    "LimitExceeded",
    "Limits",
    "Query",
    "QuerySyntaxError",
    "SelectResult",
    "SparqlError",
    "UnsupportedFeature",
    "execute",
    "parse_query",
    "serialize",
]
