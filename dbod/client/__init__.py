"""The Python API of DBpedia on Demand, against a server or in-process.

    from dbod import Client, AsyncClient
    with Client("http://127.0.0.1:8000") as client:
        graph = client.resource("Berlin")            # an rdflib Graph
        results = client.sparql("SELECT ...")        # Results, bool (ASK) or Graph

    with dbod.open(source=..., mappings=..., cache_dir=...) as db:   # no server
        graph = db.resource("Berlin")

:class:`Client` and :class:`AsyncClient` share one request model (:mod:`dbod.client.protocol`);
:func:`open` answers the same calls from the core and sparql_lite directly. Failures raise the
exceptions of :mod:`dbod.client.errors`, all :class:`DbodError`.
"""

from dbod.client.embedded import Embedded, open
from dbod.client.errors import (
    DbodError,
    InvalidName,
    LimitExceeded,
    NotFound,
    QuerySyntaxError,
    ServiceUnreachable,
    UnsupportedQuery,
    UpstreamUnavailable,
)
from dbod.client.http import AsyncClient, Client
from dbod.client.results import Results
from dbod.sources.mediawiki import RetryPolicy

__all__ = [
    "AsyncClient",
    "Client",
    "DbodError",
    "Embedded",
    "InvalidName",
    "LimitExceeded",
    "NotFound",
    "QuerySyntaxError",
    "Results",
    "RetryPolicy",
    "ServiceUnreachable",
    "UnsupportedQuery",
    "UpstreamUnavailable",
    "open",
]
