"""DBpedia on Demand: DBpedia-faithful Linked Data extracted from live Wikipedia, on request.

The Python API (:mod:`dbod.client`) is importable from here and loaded on first use:
``from dbod import Client, AsyncClient``, ``dbod.open(...)``, the exceptions.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("dbpedia-on-demand")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from dbod.client import (
        AsyncClient,
        Client,
        DbodError,
        InvalidName,
        LimitExceeded,
        NotFound,
        QuerySyntaxError,
        Results,
        RetryPolicy,
        ServiceUnreachable,
        UnsupportedQuery,
        UpstreamUnavailable,
    )
    from dbod.client import (
        open as open,  # not in __all__ (see below)
    )

#: ``open`` is left out so that ``from dbod import *`` does not shadow the built-in
__all__ = [
    "AsyncClient",
    "Client",
    "DbodError",
    "InvalidName",
    "LimitExceeded",
    "NotFound",
    "QuerySyntaxError",
    "Results",
    "RetryPolicy",
    "ServiceUnreachable",
    "UnsupportedQuery",
    "UpstreamUnavailable",
    "__version__",
]
_CLIENT_API = {*__all__, "open"} - {"__version__"}


def __getattr__(name: str) -> Any:
    """The client API, imported on first use (``import dbod`` stays light for the service)."""
    if name in _CLIENT_API:
        return getattr(importlib.import_module("dbod.client"), name)
    raise AttributeError(f"module 'dbod' has no attribute {name!r}")
