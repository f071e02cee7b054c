"""DBpedia on Demand in-process: the client API over the core and sparql_lite, with no server.

:func:`open` starts a core on a private event loop in a background thread; the blocking methods
run its coroutines there. SPARQL queries are evaluated in the calling thread, and the
on-demand Dataset runs its fetches on that loop (the loop owning the core), as the service does.
Answers and exceptions are those of :class:`~dbod.client.Client` against a server with the same
settings.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine, Iterable, Iterator
from contextlib import AsyncExitStack, contextmanager
from typing import Any, TypeVar

from rdflib import Graph
from rdflib.query import ResultRow

from dbod.client.errors import (
    DbodError,
    InvalidName,
    LimitExceeded,
    NotFound,
    QuerySyntaxError,
    UnsupportedQuery,
    UpstreamUnavailable,
)
from dbod.client.protocol import Answer, resource_name
from dbod.client.results import Results, result_row
from dbod.core import Description, NoSuchNode
from dbod.core import NotFound as PageNotFound
from dbod.runtime import open_core
from dbod.settings import Settings
from dbod.sources import mediawiki
from dbod.sparql_dataset import run_query
from dbod.web.names import ResourceName
from extractors.rdf import to_graph
from extractors.titles import InvalidTitle
from sparql_lite import AskResult, parse_query
from sparql_lite import errors as sparql_errors

T = TypeVar("T")


@contextmanager
def _errors() -> Iterator[None]:
    """Raise the client API's exception for one of the core's or sparql_lite's."""
    try:
        yield
    except NoSuchNode as exc:
        raise NotFound(str(exc)) from exc
    except PageNotFound as exc:
        raise NotFound(f"no Wikipedia page is titled {exc.title!r}") from exc
    except InvalidTitle as exc:
        raise InvalidName(f"malformed resource name: {exc}") from exc
    except mediawiki.UpstreamUnavailable as exc:
        raise UpstreamUnavailable(str(exc), exc.retry_after) from exc
    except mediawiki.UpstreamError as exc:
        raise UpstreamUnavailable(str(exc), None) from exc
    except sparql_errors.QuerySyntaxError as exc:
        raise QuerySyntaxError(str(exc), exc.line, exc.column) from exc
    except sparql_errors.UnsupportedFeature as exc:
        raise UnsupportedQuery(str(exc), exc.feature) from exc
    except sparql_errors.LimitExceeded as exc:
        raise LimitExceeded(str(exc), exc.limit, exc.value) from exc


class Embedded:
    """The methods of :class:`~dbod.client.Client`, answered in-process (see :func:`open`)."""

    def __init__(self, settings: Settings, *, max_concurrency: int = 8) -> None:
        self.settings = settings
        self.max_concurrency = max(1, max_concurrency)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="dbod-embedded", daemon=True
        )
        self._thread.start()
        self._stack = AsyncExitStack()
        try:
            self._core = self._call(self._stack.enter_async_context(open_core(settings)))
        except BaseException:
            self._stop()
            raise

    def resource(self, name_or_iri: str, *, incoming: bool = True) -> Graph:
        """The description of a resource (see :meth:`dbod.client.Client.resource`)."""
        name = resource_name(name_or_iri)

        async def describe() -> Graph:
            with _errors():
                return await self._graph(name, await self._core.get(name.title), incoming)

        return self._call(describe())

    def resources(
        self, names: Iterable[str], *, incoming: bool = True
    ) -> dict[str, Graph | DbodError]:
        """Each name's description or its DbodError; the pages are fetched together (50 per
        upstream request), incoming statements at most ``max_concurrency`` pages at a time."""
        return self._call(self._resources(list(dict.fromkeys(names)), incoming))

    def sparql(self, query: str) -> Answer:
        """The answer to a SPARQL query (see :meth:`dbod.client.Client.sparql`), evaluated
        within the limits of the settings."""
        settings = self.settings
        with _errors():
            result, dataset = run_query(self._core, self._loop, settings, parse_query(query))
        if isinstance(result, Graph):
            return result
        if isinstance(result, AskResult):
            return result.boolean
        names = result.variables
        rows = tuple(result_row(names, dict(zip(names, row, strict=True))) for row in result.rows)
        return Results(names, rows, dataset.cache_only, dataset.backlinks_truncated)

    def iter_rows(self, query: str) -> Iterator[ResultRow]:
        """The rows of a SELECT query (evaluated when iteration starts; ValueError for other
        query forms)."""
        answer = self.sparql(query)
        if not isinstance(answer, Results):
            raise ValueError("only SELECT results can be streamed")
        yield from answer

    async def _resources(self, names: list[str], incoming: bool) -> dict[str, Graph | DbodError]:
        parsed: dict[str, ResourceName | DbodError] = {}
        for name in names:
            try:
                parsed[name] = resource_name(name)
            except InvalidName as exc:
                parsed[name] = exc
        titles = [name.title for name in parsed.values() if isinstance(name, ResourceName)]
        outcomes = await self._core.get_many(titles)
        gate = asyncio.Semaphore(self.max_concurrency)

        async def one(name: ResourceName | DbodError) -> Graph | DbodError:
            if isinstance(name, DbodError):
                return name
            async with gate:
                try:
                    with _errors():
                        return await self._graph(name, outcomes[name.title], incoming)
                except DbodError as exc:
                    return exc

        graphs = await asyncio.gather(*map(one, parsed.values()))
        return dict(zip(parsed, graphs, strict=True))

    async def _graph(
        self, name: ResourceName, described: Description | Exception, incoming: bool
    ) -> Graph:
        """What the service's /data answers for ``name`` (its page's description given)."""
        if isinstance(described, Exception):
            raise described
        limit = self.settings.incoming_limit if incoming else 0
        served = await self._core.statements(described, node=name.node, incoming_limit=limit)
        return to_graph(served.triples)

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def close(self) -> None:
        """Close the core and its cache and stop the background loop (idempotent)."""
        if self._loop.is_closed():
            return
        try:
            self._call(self._stack.aclose())
        finally:
            self._stop()

    def __enter__(self) -> Embedded:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(
    source: str | None = None,
    mappings: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    max_concurrency: int = 8,
    **settings: Any,
) -> Embedded:
    """DBpedia on Demand in-process, with the methods of :class:`~dbod.client.Client`.

    ``source``, ``mappings``, ``cache_dir`` and the other keyword ``settings`` (``lang``,
    ``ttl``, ``incoming_limit``, ``sparql_max_resources``...) are those of the command line;
    what is not given comes from the environment (``DBOD_SOURCE``...) or the defaults.
    Close it (or use it as a context manager) to stop its background thread.
    """
    loaded = Settings.load(
        source=source,
        mappings=None if mappings is None else os.fspath(mappings),
        cache_dir=cache_dir,
        **settings,
    )
    return Embedded(loaded, max_concurrency=max_concurrency)
