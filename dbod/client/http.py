"""Clients of a running ``dbod serve``: :class:`Client` (blocking) and :class:`AsyncClient`.

Both carry out the plans of :class:`~dbod.client.protocol.Service` and nothing else: they send
requests over httpx, hand back response heads and body chunks, sleep, and pass on what a plan
emits. Transport failures and timeouts become :class:`~dbod.client.errors.ServiceUnreachable`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing, closing
from typing import Any

import httpx
from rdflib import Graph
from rdflib.query import ResultRow

from dbod.client.errors import DbodError, ServiceUnreachable
from dbod.client.protocol import (
    DEFAULT_RETRY,
    Answer,
    Emit,
    Head,
    Outcome,
    Plan,
    Read,
    Send,
    Service,
)
from dbod.sources.mediawiki import RetryPolicy, Sleep, user_agent

#: where ``dbod serve`` listens by default
DEFAULT_URL = "http://127.0.0.1:8000"


def _head(response: httpx.Response) -> Head:
    return Head(response.status_code, response.headers, str(response.url))


class _Base:
    def __init__(
        self,
        base_url: str,
        retry: RetryPolicy,
        max_concurrency: int,
        clock: Callable[[], float],
    ) -> None:
        self._service = Service(base_url, retry, clock, user_agent())
        self.max_concurrency = max(1, max_concurrency)

    @property
    def base_url(self) -> str:
        """The service's URL."""
        return self._service.base_url

    def _unreachable(self, exc: httpx.TransportError) -> ServiceUnreachable:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return ServiceUnreachable(f"{self.base_url}: {reason}")


class Client(_Base):
    """A blocking client of a running ``dbod serve`` at ``base_url``.

    ``timeout``: seconds (or an ``httpx.Timeout``) for connecting and for each read;
    ``retry``: how 429 and 503 answers are retried; ``max_concurrency``: parallel requests of
    :meth:`resources`. ``transport``, ``sleep`` and ``clock`` are injectable for tests.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        timeout: float | httpx.Timeout | None = 60.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        max_concurrency: int = 8,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(base_url, retry, max_concurrency, clock)
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._sleep = sleep

    def resource(self, name_or_iri: str, *, incoming: bool = True) -> Graph:
        """The description of a resource (a page title, node name or DBpedia resource IRI):
        its statements and, with ``incoming``, those of pages linking to it."""
        return self._run(self._service.resource(name_or_iri, incoming))

    def resources(
        self, names: Iterable[str], *, incoming: bool = True
    ) -> dict[str, Graph | DbodError]:
        """Each name's description, or the DbodError saying why there is none; fetched
        concurrently, at most ``max_concurrency`` at a time."""
        unique = list(dict.fromkeys(names))

        def one(name: str) -> Graph | DbodError:
            try:
                return self.resource(name, incoming=incoming)
            except DbodError as exc:
                return exc

        with ThreadPoolExecutor(min(self.max_concurrency, max(1, len(unique)))) as pool:
            return dict(zip(unique, pool.map(one, unique), strict=True))

    def sparql(self, query: str) -> Answer:
        """The answer to a SPARQL query: Results (SELECT), bool (ASK) or Graph (CONSTRUCT,
        DESCRIBE)."""
        return self._run(self._service.sparql(query))

    def iter_rows(self, query: str) -> Iterator[ResultRow]:
        """The rows of a SELECT query as they arrive (the request is sent when iteration starts;
        ValueError for other query forms)."""
        return self._drive(self._service.sparql(query, stream=True))

    def _run(self, plan: Plan) -> Any:
        with closing(self._drive(plan)) as emitted:
            return next(emitted)

    def _drive(self, plan: Plan) -> Iterator[Any]:
        """Carry out the plan's effects; yield what it emits."""
        response: httpx.Response | None = None
        chunks: Iterator[bytes] | None = None  # the current response's body
        outcome: Outcome = None
        try:
            while True:
                try:
                    effect = plan.send(outcome)
                except StopIteration:
                    return
                outcome = None
                if isinstance(effect, Emit):
                    yield effect.value
                elif isinstance(effect, Read):
                    outcome = b"" if chunks is None else next(chunks, b"")
                elif isinstance(effect, Sleep):
                    self._sleep(effect.seconds)
                elif isinstance(effect, Send):
                    if response is not None:
                        response.close()
                    request = self._http.build_request(**effect.arguments())
                    response = self._http.send(request, stream=True)
                    chunks = response.iter_bytes()
                    outcome = _head(response)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from exc
        finally:
            plan.close()
            if response is not None:
                response.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Base):
    """An asyncio client of a running ``dbod serve``, with the methods of :class:`Client` as
    coroutines (``iter_rows`` is an async iterator; ``sleep`` an async callable)."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        timeout: float | httpx.Timeout | None = 60.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        max_concurrency: int = 8,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(base_url, retry, max_concurrency, clock)
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._sleep = sleep

    async def resource(self, name_or_iri: str, *, incoming: bool = True) -> Graph:
        """The description of a resource (see :meth:`Client.resource`)."""
        return await self._run(self._service.resource(name_or_iri, incoming))

    async def resources(
        self, names: Iterable[str], *, incoming: bool = True
    ) -> dict[str, Graph | DbodError]:
        """Each name's description or its DbodError (see :meth:`Client.resources`)."""
        unique = list(dict.fromkeys(names))
        gate = asyncio.Semaphore(self.max_concurrency)

        async def one(name: str) -> Graph | DbodError:
            async with gate:
                try:
                    return await self.resource(name, incoming=incoming)
                except DbodError as exc:
                    return exc

        return dict(zip(unique, await asyncio.gather(*map(one, unique)), strict=True))

    async def sparql(self, query: str) -> Answer:
        """The answer to a SPARQL query (see :meth:`Client.sparql`)."""
        return await self._run(self._service.sparql(query))

    def iter_rows(self, query: str) -> AsyncIterator[ResultRow]:
        """The rows of a SELECT query as they arrive (see :meth:`Client.iter_rows`)."""
        return self._drive(self._service.sparql(query, stream=True))

    async def _run(self, plan: Plan) -> Any:
        async with aclosing(self._drive(plan)) as emitted:
            return await anext(emitted)

    async def _drive(self, plan: Plan) -> AsyncIterator[Any]:
        """Carry out the plan's effects; yield what it emits."""
        response: httpx.Response | None = None
        chunks: AsyncIterator[bytes] | None = None  # the current response's body
        outcome: Outcome = None
        try:
            while True:
                try:
                    effect = plan.send(outcome)
                except StopIteration:
                    return
                outcome = None
                if isinstance(effect, Emit):
                    yield effect.value
                elif isinstance(effect, Read):
                    outcome = b"" if chunks is None else await anext(chunks, b"")
                elif isinstance(effect, Sleep):
                    await self._sleep(effect.seconds)
                elif isinstance(effect, Send):
                    if response is not None:
                        await response.aclose()
                    request = self._http.build_request(**effect.arguments())
                    response = await self._http.send(request, stream=True)
                    chunks = response.aiter_bytes()
                    outcome = _head(response)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from exc
        finally:
            plan.close()
            if response is not None:
                await response.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
