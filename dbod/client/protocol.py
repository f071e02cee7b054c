"""The one request model of :class:`~dbod.client.Client` and :class:`~dbod.client.AsyncClient`.

Every operation is a *plan*: a generator, written once here, that yields what it needs done
and receives the outcome, as :mod:`dbod.sources.mediawiki` does for the wiki:

* :class:`Send` an HTTP request -> the :class:`Head` of the response (status, headers, URL);
  the body stays unread;
* :data:`READ` -> the next chunk of the current response's body (``b""`` at its end);
* :class:`~dbod.sources.mediawiki.Sleep` before a retry -> None;
* :class:`Emit` a value to the caller (the result, or each row of a streamed SELECT) -> None.

Building requests, following 303s, retrying 429/503 as Retry-After asks, mapping error
statuses to exceptions and parsing bodies (incrementally for SELECT results) are pure code
here; the two clients only send, read, sleep and pass emitted values on.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, cast
from urllib.parse import urljoin

from rdflib import Graph
from rdflib.query import ResultRow

from dbod.client.errors import DbodError, InvalidName, error_for
from dbod.client.results import Results, SrxReader
from dbod.formats import COMMENTED_MEDIA_TYPES
from dbod.sources.mediawiki import RetryPolicy, Sleep, parse_retry_after
from dbod.web.names import ResourceName, parse_name, path_segment
from extractors.rdf import DBR
from extractors.titles import InvalidTitle, wiki_encode

T = TypeVar("T")

N_TRIPLES = "application/n-triples"
SPARQL_XML = "application/sparql-results+xml"
#: SELECT and ASK answers as XML results (read incrementally), graphs as N-Triples
SPARQL_ACCEPT = f"{SPARQL_XML}, {N_TRIPLES};q=0.9"
#: error messages are read up to this many bytes
MAX_ERROR_BYTES = 64 * 1024
MAX_REDIRECTS = 5
DEFAULT_RETRY = RetryPolicy(max_retries=3, base=0.5, cap=30.0, deadline=120.0)


@dataclass(frozen=True)
class Send:
    """An HTTP request to send; ``data`` is a form body."""

    method: str
    url: str
    headers: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``httpx.Client.build_request``."""
        return {
            "method": self.method,
            "url": self.url,
            "headers": self.headers,
            "params": self.params,
            "data": self.data,
        }


@dataclass(frozen=True)
class Head:
    """A response before its body: status, headers (case-insensitive) and final URL."""

    status: int
    headers: Mapping[str, str]
    url: str


class Read:
    """Ask for the next chunk of the current response's body."""


READ = Read()


@dataclass(frozen=True)
class Emit(Generic[T]):
    """A value for the caller."""

    value: T


Effect = Send | Read | Sleep | Emit[Any]
Outcome = Head | bytes | None
Plan = Generator[Effect, Outcome, None]
Step = Generator[Effect, Outcome, T]
Answer = Results | bool | Graph


def resource_name(name_or_iri: str) -> ResourceName:
    """A DBpedia resource IRI, page title or node name (``Berlin__PoliticalFunction__1``) as
    the resource it names, in DBpedia's IRI encoding; InvalidName if it names none."""
    if name_or_iri.startswith(DBR):
        raw = name_or_iri[len(DBR) :]
    else:  # encoded part by part: wiki_encode would turn a node's "__" into one "_"
        raw = "__".join(wiki_encode(part) for part in name_or_iri.split("__"))
    try:
        return parse_name(raw)
    except InvalidTitle as exc:
        raise InvalidName(f"malformed resource name: {exc}") from None


class Service:
    """The plans of one service at ``base_url`` (see the module docstring)."""

    def __init__(
        self, base_url: str, retry: RetryPolicy, clock: Callable[[], float], user_agent: str
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self.clock = clock
        self.user_agent = user_agent

    def resource(self, name_or_iri: str, incoming: bool) -> Plan:
        """Plan emitting the resource's description as a Graph: ``/resource/NAME`` as
        N-Triples, following the 303 to ``/data``. InvalidName at once for a bad name."""
        segment = path_segment(resource_name(name_or_iri).encoded)
        params = {} if incoming else {"incoming": "false"}
        return self._resource(self._send("GET", f"/resource/{segment}", N_TRIPLES, params))

    def _resource(self, request: Send) -> Plan:
        head = yield from self._exchange(request)
        yield Emit(_graph(head, (yield from _body())))

    def sparql(self, query: str, stream: bool = False) -> Plan:
        """Plan emitting the answer: Results (SELECT), bool (ASK) or Graph (CONSTRUCT,
        DESCRIBE); with ``stream``, each SELECT row as it arrives (ValueError for other forms)."""
        request = self._send("POST", "/sparql", SPARQL_ACCEPT, data={"query": query})
        head = yield from self._exchange(request)
        if _media_type(head) != SPARQL_XML:
            if stream:
                raise ValueError("only SELECT results can be streamed")
            yield Emit(_graph(head, (yield from _body())))
            return
        reader = SrxReader()
        rows: list[ResultRow] = []
        while True:
            chunk = yield from _chunk()
            completed = reader.feed(chunk) if chunk else reader.close()
            if stream:
                for row in completed:
                    yield Emit(row)
            else:
                rows.extend(completed)
            if not chunk:
                break
        if reader.boolean is not None:
            if stream:
                raise ValueError("only SELECT results can be streamed")
            yield Emit(reader.boolean)
        elif not stream:
            cache_only = head.headers.get("x-dbod-cache-only") == "true"
            truncated = head.headers.get("x-dbod-backlinks-truncated") == "true"
            yield Emit(Results(reader.variables, tuple(rows), cache_only, truncated))

    def _send(
        self,
        method: str,
        path: str,
        accept: str,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
    ) -> Send:
        headers = {"Accept": accept, "User-Agent": self.user_agent}
        return Send(method, self.base_url + path, headers, params or {}, data)

    def _exchange(self, request: Send) -> Step[Head]:
        """Send ``request``; follow redirects with the same query parameters (a 303 with GET,
        as the Linked Data routes answer); retry 429 and 503 with capped backoff, never sooner
        than Retry-After (and not at all when it asks for longer than the cap); raise the
        DbodError of any other error status. Returns the head of the 2xx response, whose body
        is read next."""
        started = self.clock()
        attempt = redirects = 0
        while True:
            head = cast(Head, (yield request))
            location = head.headers.get("location")
            if head.status in (301, 302, 303, 307, 308) and location:
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise DbodError(f"more than {MAX_REDIRECTS} redirects", head.status)
                url = urljoin(head.url, location)
                if head.status == 303:
                    request = Send("GET", url, request.headers, request.params)
                else:
                    request = replace(request, url=url)
                continue
            if 200 <= head.status < 300:
                return head
            body = yield from _body(MAX_ERROR_BYTES)
            retry_after = parse_retry_after(head.headers.get("retry-after"))
            error = error_for(head.status, _message(head, body), retry_after)
            if head.status in (429, 503) and attempt < self.retry.max_retries:
                delay = self.retry.delay(attempt, retry_after)
                spent = self.clock() - started
                if (retry_after or 0) <= self.retry.cap and spent + delay <= self.retry.deadline:
                    yield Sleep(delay)
                    attempt += 1
                    continue
            raise error


def _chunk() -> Step[bytes]:
    return cast(bytes, (yield READ))


def _body(limit: int | None = None) -> Step[bytes]:
    """The body of the current response (up to ``limit`` bytes)."""
    parts = bytearray()
    while limit is None or len(parts) < limit:
        chunk = yield from _chunk()
        if not chunk:
            break
        parts += chunk
    return bytes(parts[:limit])


def _media_type(head: Head) -> str:
    return head.headers.get("content-type", "").partition(";")[0].strip().lower()


def _graph(head: Head, body: bytes) -> Graph:
    media_type = _media_type(head)
    if media_type != N_TRIPLES:
        raise DbodError(f"expected {N_TRIPLES}, got {media_type or 'no content type'}")
    return Graph().parse(data=body.decode("utf-8"), format="nt")


def _message(head: Head, body: bytes) -> str:
    """An error answer's message (the service writes it as comments in RDF formats)."""
    text = body.decode("utf-8", "replace").strip()
    if _media_type(head) in COMMENTED_MEDIA_TYPES:
        text = "\n".join(line.removeprefix("#").strip() for line in text.splitlines())
    return text or f"HTTP {head.status}"
