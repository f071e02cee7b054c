"""The Python API: Client and AsyncClient against a real ``dbod serve`` (uvicorn on loopback,
MediaWiki testbed) and the embedded API over the same testbed give the same graphs, results and
exceptions; error statuses, retries and streaming also checked against in-process fakes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing, closing
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
import rdflib.compare

import dbod
from dbod import (
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
from dbod.client import Embedded
from dbod.client.protocol import READ, Emit, Head, Send, Service
from dbod.sources.mediawiki import Sleep
from tests.conftest import start_server, stop_server
from tests.queries import LEADER, LEADER_NAME, LEADERS, PREFIXES

BERLIN = rdflib.URIRef("http://dbpedia.org/resource/Berlin")
NO_RETRY = RetryPolicy(max_retries=0)
SRX_HEAD = b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'

QUERIES = {
    "select": LEADERS,
    "select-optional-order": PREFIXES
    + """SELECT ?leader ?name ?label WHERE { dbr:Berlin dbo:politicalLeader ?leader .
      OPTIONAL { ?leader dbo:personName ?name } OPTIONAL { ?leader rdfs:label ?label } }
      ORDER BY ?leader""",
    "select-filter": PREFIXES
    + """SELECT ?p ?o WHERE { dbr:IKEA ?p ?o FILTER(isLiteral(?o) && lang(?o) = "en") }
      ORDER BY ?p ?o LIMIT 50""",
    "select-incoming": PREFIXES + "SELECT ?s ?p WHERE { ?s ?p dbr:Berlin } ORDER BY ?s ?p",
    "select-count": PREFIXES + "SELECT (COUNT(?o) AS ?n) WHERE { dbr:Berlin ?p ?o }",
    "ask-true": PREFIXES + "ASK { dbr:Berlin a dbo:City }",
    "ask-false": PREFIXES + "ASK { dbr:Berlin a dbo:Company }",
    "construct": PREFIXES
    + """CONSTRUCT { dbr:Berlin dbo:leader [ dbo:name ?name ] } WHERE {
      dbr:Berlin dbo:politicalLeader ?l . ?l dbo:personName ?name }""",
    "describe": PREFIXES + "DESCRIBE dbr:IKEA",
}
NAMES = [
    "Berlin",
    "http://dbpedia.org/resource/Berlin",
    "? (film)",
    "http://dbpedia.org/resource/%3F_(film)",
    "Ferdinand Piëch",
    "berlin",
    "AynRand",
    "Berlin__PoliticalFunction__1",
]


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(live_server: str) -> Iterator[Client]:
    with Client(live_server) as http:
        yield http


@pytest.fixture(scope="module")
def embedded(
    mediawiki_api: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Embedded]:
    cache_dir = tmp_path_factory.mktemp("embedded")
    with dbod.open(
        source=mediawiki_api, mappings=shared_data / "dbpedia", cache_dir=cache_dir
    ) as db:
        yield db


def same_answer(first: object, second: object) -> bool:
    if isinstance(first, rdflib.Graph) and isinstance(second, rdflib.Graph):
        return rdflib.compare.isomorphic(first, second)
    return type(first) is type(second) and first == second


def error_attributes(error: DbodError) -> dict[str, Any]:
    """What a DbodError says besides its message."""
    return {k: v for k, v in vars(error).items() if k != "message"} | {"status": error.status}


def raised(call: Callable[[], object]) -> DbodError:
    with pytest.raises(DbodError) as info:
        call()
    return info.value


# -- the same answers through the server and in-process -------------------------------------------


@pytest.mark.parametrize("incoming", [True, False], ids=["incoming", "outgoing"])
@pytest.mark.parametrize("name", NAMES)
def test_resource_graphs_are_equal(
    client: Client, embedded: Embedded, name: str, incoming: bool
) -> None:
    served = client.resource(name, incoming=incoming)
    assert len(served) > 0
    assert rdflib.compare.isomorphic(served, embedded.resource(name, incoming=incoming))


def test_incoming_statements_can_be_left_out(client: Client) -> None:
    full, outgoing = client.resource("Berlin"), client.resource("Berlin", incoming=False)
    assert set(outgoing) < set(full)
    assert {s for s, _, o in full if o == BERLIN} > {s for s, _, o in outgoing if o == BERLIN}


def test_resources_fetches_many(client: Client, embedded: Embedded) -> None:
    names = ["Berlin", "IKEA", "No such page here", "A|B", "Berlin__NoSuchNode__9", "Berlin"]
    served, local = client.resources(names), embedded.resources(names)
    assert list(served) == list(local) == list(dict.fromkeys(names))
    assert isinstance(served["No such page here"], NotFound)
    assert isinstance(served["A|B"], InvalidName)
    assert isinstance(served["Berlin__NoSuchNode__9"], NotFound)
    for name in served:
        if isinstance(served[name], rdflib.Graph):
            assert rdflib.compare.isomorphic(served[name], local[name])
            assert rdflib.compare.isomorphic(served[name], client.resource(name))
        else:
            assert type(served[name]) is type(local[name])


@pytest.mark.parametrize("query", list(QUERIES.values()), ids=list(QUERIES))
def test_sparql_answers_are_equal(client: Client, embedded: Embedded, query: str) -> None:
    served = client.sparql(query)
    assert same_answer(served, embedded.sparql(query))
    if isinstance(served, Results):
        assert not served.cache_only
    elif isinstance(served, rdflib.Graph):
        assert len(served) > 0


def test_results_are_rows_of_rdflib_terms(client: Client) -> None:
    results = client.sparql(LEADERS)
    assert isinstance(results, Results)
    assert results.vars == (rdflib.Variable("leader"), rdflib.Variable("name"))
    leader, name = rdflib.URIRef(LEADER), rdflib.Literal(LEADER_NAME)
    assert [tuple(row) for row in results] == [(leader, name)]
    assert len(results) == 1 and results[0].name == name and results[0]["leader"] == leader
    assert results.to_dicts() == [{"leader": leader, "name": name}]
    unbound = client.sparql(PREFIXES + "SELECT ?x ?y WHERE { OPTIONAL { dbr:Berlin dbo:nope ?y } }")
    assert isinstance(unbound, Results) and [tuple(row) for row in unbound] == [(None, None)]
    assert unbound.to_dicts() == [{}]
    assert client.sparql(QUERIES["ask-true"]) is True
    assert client.sparql(QUERIES["ask-false"]) is False


def test_cache_only_answers_are_flagged(client: Client, embedded: Embedded) -> None:
    query = PREFIXES + "SELECT ?city WHERE { ?city a dbo:City }"
    client.resource("Berlin")
    embedded.resource("Berlin")
    for answer in (client.sparql(query), embedded.sparql(query)):
        assert isinstance(answer, Results) and answer.cache_only
        assert (BERLIN,) in [tuple(row) for row in answer]


def test_async_client_equals_sync_client(client: Client, live_server: str) -> None:
    names = ["Berlin", "IKEA", "No such page here"]

    async def run() -> tuple[Any, ...]:
        async with AsyncClient(live_server) as remote:
            graph = await remote.resource("? (film)", incoming=False)
            many = await remote.resources(names)
            answers = [await remote.sparql(query) for query in QUERIES.values()]
            async with aclosing(remote.iter_rows(QUERIES["select-incoming"])) as rows:
                streamed = [row async for row in rows]
            return graph, many, answers, streamed

    graph, many, answers, streamed = asyncio.run(run())
    assert rdflib.compare.isomorphic(graph, client.resource("? (film)", incoming=False))
    expected = client.resources(names)
    assert list(many) == names and isinstance(many["No such page here"], NotFound)
    assert rdflib.compare.isomorphic(many["IKEA"], expected["IKEA"])
    for query, answer in zip(QUERIES.values(), answers, strict=True):
        assert same_answer(answer, client.sparql(query))
    assert streamed == list(client.sparql(QUERIES["select-incoming"]))


def test_streaming_a_large_result(client: Client, embedded: Embedded) -> None:
    query = (
        PREFIXES
        + "SELECT ?p ?o WHERE { { dbr:Berlin ?p ?o } UNION { dbr:IKEA ?p ?o } } ORDER BY ?p ?o"
    )
    streamed = list(client.iter_rows(query))
    assert len(streamed) > 1000
    assert streamed == list(client.sparql(query)) == list(embedded.iter_rows(query))
    assert all(row.labels == {"p": 0, "o": 1} for row in streamed)
    with pytest.raises(ValueError, match="SELECT"):
        list(client.iter_rows(QUERIES["ask-true"]))
    with pytest.raises(ValueError, match="SELECT"):
        list(client.iter_rows(QUERIES["construct"]))
    with pytest.raises(ValueError, match="SELECT"):
        list(embedded.iter_rows(QUERIES["describe"]))


# -- every error status, from a real server and in-process ----------------------------------------


def test_not_found(client: Client, embedded: Embedded) -> None:
    for name in ("No such page here", "Berlin__NoSuchNode__9"):
        served = raised(lambda n=name: client.resource(n))
        local = raised(lambda n=name: embedded.resource(n))
        assert isinstance(served, NotFound) and isinstance(local, NotFound)
        assert served.status == local.status == 404


def test_invalid_names(client: Client, embedded: Embedded) -> None:
    for who in (client, embedded):
        error = raised(lambda w=who: w.resource("A|B"))
        assert isinstance(error, InvalidName) and "'|'" in error.message


@pytest.mark.parametrize(
    ("query", "kind", "attributes"),
    [
        ("SELECT ?x WHERE {\n  ?x ?y }", QuerySyntaxError, {"line": 2, "column": 9}),
        ("\n\nASK { <a> <b> ", QuerySyntaxError, {"line": 3, "column": 15}),
        ("SELECT ?x WHERE { ?x <p>+ ?y }", UnsupportedQuery, {"feature": "property paths"}),
        ("SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?x", UnsupportedQuery, {"feature": "GROUP BY"}),
        ("SELECT * WHERE { VALUES ?x { 1 } }", UnsupportedQuery, {"feature": "VALUES"}),
    ],
)
def test_query_errors(
    client: Client, embedded: Embedded, query: str, kind: type, attributes: dict
) -> None:  # type: ignore[type-arg]
    served, local = raised(lambda: client.sparql(query)), raised(lambda: embedded.sparql(query))
    assert type(served) is type(local) is kind
    assert error_attributes(served) == error_attributes(local)
    assert {name: getattr(served, name) for name in attributes} == attributes


def test_limit_exceeded(
    mediawiki_api: str, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = PREFIXES + "SELECT ?o ?t WHERE { dbr:Berlin dbo:wikiPageWikiLink ?o . ?o a ?t }"
    monkeypatch.setenv("DBOD_SPARQL_MAX_RESOURCES", "3")
    process, base = start_server(mediawiki_api, shared_data / "dbpedia", tmp_path / "served")
    try:
        with Client(base) as limited:
            served = raised(lambda: limited.sparql(query))
    finally:
        stop_server(process)
    with dbod.open(
        source=mediawiki_api, mappings=shared_data / "dbpedia", cache_dir=tmp_path / "local"
    ) as db:
        assert db.settings.sparql_max_resources == 3  # from the environment, as the server
        local = raised(lambda: db.sparql(query))
    assert not db._thread.is_alive()  # closing stopped the background loop
    for error in (served, local):
        assert isinstance(error, LimitExceeded)
        assert (error.limit, error.value, error.status) == ("resources_fetched", 3, 422)


def test_upstream_unavailable(shared_data: Path, tmp_path: Path) -> None:
    down = "http://127.0.0.1:9/api.php"

    def in_process() -> DbodError:
        cache_dir = tmp_path / "local"
        with dbod.open(source=down, mappings=shared_data / "dbpedia", cache_dir=cache_dir) as db:
            return raised(lambda: db.resource("Berlin"))

    with ThreadPoolExecutor(1) as pool:  # both wait out the wiki's retries: side by side
        local = pool.submit(in_process)
        process, base = start_server(down, shared_data / "dbpedia", tmp_path / "served")
        try:
            with Client(base, retry=NO_RETRY, timeout=120) as remote:
                served = raised(lambda: remote.resource("Berlin"))
        finally:
            stop_server(process)
        errors = (served, local.result())
    for error in errors:
        assert isinstance(error, UpstreamUnavailable) and error.status == 503
        assert error.retry_after is not None and error.retry_after >= 1


# -- statuses, retries, timeouts and streaming against an in-process fake -------------------------


class Fake:
    """An httpx MockTransport handler answering with the given responses in turn (the last one
    again and again), recording the requests; and a recording sleep to give the client."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def client(self, **options: Any) -> Client:
        transport = httpx.MockTransport(self)
        return Client(FAKE_URL, transport=transport, sleep=self.sleep, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        transport = httpx.MockTransport(self)
        return AsyncClient(FAKE_URL, transport=transport, sleep=self.async_sleep, **options)


FAKE_URL = "http://dbod.test"
SRX = {"Content-Type": "application/sparql-results+xml"}


def srx(*iris: str) -> httpx.Response:
    """SELECT results of one variable ?x bound to each IRI."""
    rows = "".join(f'<result><binding name="x"><uri>{iri}</uri></binding></result>' for iri in iris)
    head = '<head><variable name="x"/></head>'
    body = SRX_HEAD + f"{head}<results>{rows}</results></sparql>".encode()
    return httpx.Response(200, content=body, headers=SRX)


def problem(status: int, message: str, **headers: str) -> httpx.Response:
    """An error answer as the service writes it in plain text."""
    return httpx.Response(status, text=message + "\n", headers=headers)


def test_plans_do_no_io() -> None:
    """The request model both clients drive: effects out, outcomes in, nothing else."""
    service = Service(FAKE_URL, RetryPolicy(max_retries=1), clock=lambda: 0.0, user_agent="t")
    plan = service.sparql("ASK {}")
    request = next(plan)
    assert isinstance(request, Send) and request.method == "POST"
    assert request.url == f"{FAKE_URL}/sparql" and request.data == {"query": "ASK {}"}
    assert plan.send(Head(503, {"retry-after": "4"}, request.url)) is READ
    assert plan.send(b"Wikipedia is unreachable") is READ
    assert plan.send(b"") == Sleep(4.0)
    assert plan.send(None) == request
    ok = {"content-type": "application/sparql-results+xml"}
    assert plan.send(Head(200, ok, request.url)) is READ
    assert plan.send(SRX_HEAD + b"<head/><boolean>true</boolean></sparql>") is READ
    assert plan.send(b"") == Emit(True)


@pytest.mark.parametrize(
    ("response", "kind", "attributes"),
    [
        (problem(404, "no Wikipedia page is titled 'X'"), NotFound, {}),
        (
            httpx.Response(
                404,
                text="# no Wikipedia page\n# is titled 'X'\n",
                headers={"Content-Type": "text/turtle"},
            ),
            NotFound,
            {"message": "no Wikipedia page\nis titled 'X'"},
        ),
        (
            problem(400, "syntax error: expected a variable, found '}' (line 3, column 17)"),
            QuerySyntaxError,
            {"line": 3, "column": 17},
        ),
        (problem(400, "malformed resource name: the title is empty"), InvalidName, {}),
        (
            problem(400, "the query parameter must be given exactly once"),
            DbodError,
            {"status": 400},
        ),
        (
            problem(
                501, "unsupported: casts (xsd:int) (this endpoint evaluates basic graph patterns)"
            ),
            UnsupportedQuery,
            {"feature": "casts (xsd:int)"},
        ),
        (
            problem(422, "query exceeded the wall_time limit (30); narrow the query"),
            LimitExceeded,
            {"limit": "wall_time", "value": 30.0},
        ),
        (
            problem(503, "Wikipedia is unreachable", **{"Retry-After": "7"}),
            UpstreamUnavailable,
            {"retry_after": 7.0, "status": 503},
        ),
        (problem(429, "slow down"), UpstreamUnavailable, {"retry_after": None, "status": 429}),
        (problem(406, "no acceptable results format"), DbodError, {"status": 406}),
        (problem(500, "internal error; it has been logged"), DbodError, {"status": 500}),
    ],
)
def test_every_error_status_maps_to_its_exception(
    response: httpx.Response,
    kind: type,
    attributes: dict[str, Any],
) -> None:
    fake = Fake(response)
    with fake.client(retry=NO_RETRY) as client:
        error = raised(lambda: client.sparql("ASK {}"))
    assert type(error) is kind
    assert {name: getattr(error, name) for name in attributes} == attributes
    assert fake.sleeps == [] and len(fake.requests) == 1


def test_transport_failures_and_timeouts() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    for handler in (refuse, stall):
        with Client(FAKE_URL, transport=httpx.MockTransport(handler)) as client:
            error = raised(lambda c=client: c.resource("Berlin"))
        assert isinstance(error, ServiceUnreachable) and error.status is None
        assert isinstance(error.__cause__, httpx.TransportError)
    with Client(timeout=2.5) as client:
        assert client._http.timeout == httpx.Timeout(2.5)


def test_retries_honour_retry_after() -> None:
    fake = Fake(
        problem(503, "Wikipedia is unreachable", **{"Retry-After": "20"}),
        problem(429, "slow down", **{"Retry-After": "1"}),
        problem(503, "Wikipedia is unreachable"),
        srx("urn:a"),
    )
    started = time.monotonic()
    with fake.client() as client:
        answer = client.sparql("SELECT ?x {}")
    assert time.monotonic() - started < 5  # only the injected sleep waited
    assert isinstance(answer, Results) and [str(row.x) for row in answer] == ["urn:a"]
    assert len(fake.requests) == 4 and all(r.method == "POST" for r in fake.requests)
    assert fake.sleeps[:2] == [20.0, 1.0]  # never sooner than asked
    assert 0 < fake.sleeps[2] <= 2.0  # backoff 0.5 * 2**2, less jitter


def test_retries_are_capped() -> None:
    fake = Fake(problem(503, "down", **{"Retry-After": "3"}))
    with fake.client(retry=RetryPolicy(max_retries=2, cap=30)) as client:
        error = raised(lambda: client.resource("Berlin"))
    assert isinstance(error, UpstreamUnavailable) and error.retry_after == 3.0
    assert fake.sleeps == [3.0, 3.0] and len(fake.requests) == 3
    too_long = Fake(problem(503, "down", **{"Retry-After": "3600"}))
    with too_long.client() as client:
        error = raised(lambda: client.resource("Berlin"))
    assert isinstance(error, UpstreamUnavailable) and error.retry_after == 3600.0
    assert too_long.sleeps == [] and len(too_long.requests) == 1  # longer than the cap: no wait


def test_async_retries_honour_retry_after() -> None:
    fake = Fake(problem(503, "down", **{"Retry-After": "5"}), srx("urn:b"))

    async def run() -> object:
        async with fake.async_client() as client:
            return await client.sparql("SELECT ?x {}")

    answer = asyncio.run(run())
    assert isinstance(answer, Results) and [str(row.x) for row in answer] == ["urn:b"]
    assert fake.sleeps == [5.0] and len(fake.requests) == 2


def test_resource_follows_the_303() -> None:
    label = '<http://www.w3.org/2000/01/rdf-schema#label> "Berlin"@en'
    answers = {  # by path: the 303 by Accept, then a redirect page's 303 to its target
        "/resource/Ferdinand_Pi%C3%ABch": httpx.Response(
            303, headers={"Location": "/data/Ferdinand_Pi%C3%ABch.nt"}
        ),
        "/data/Ferdinand_Pi%C3%ABch.nt": httpx.Response(
            303, headers={"Location": f"{FAKE_URL}/data/Berlin.nt"}
        ),
        "/data/Berlin.nt": httpx.Response(
            200, text=f"<{BERLIN}> {label} .\n", headers={"Content-Type": "application/n-triples"}
        ),
    }
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[request.url.raw_path.decode().partition("?")[0]]

    with Client(FAKE_URL, transport=httpx.MockTransport(handler)) as client:
        graph = client.resource("Ferdinand Piëch", incoming=False)
    assert (BERLIN, rdflib.RDFS.label, rdflib.Literal("Berlin", lang="en")) in graph
    assert [request.url.raw_path for request in seen] == [
        b"/resource/Ferdinand_Pi%C3%ABch?incoming=false",
        b"/data/Ferdinand_Pi%C3%ABch.nt?incoming=false",
        b"/data/Berlin.nt?incoming=false",
    ]
    assert all(request.headers["accept"] == "application/n-triples" for request in seen)


class Rows(httpx.SyncByteStream, httpx.AsyncByteStream):
    """SELECT results of ``count`` rows, produced one chunk a row, counting the rows produced."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.produced = 0
        self.closed = False

    def chunks(self) -> Iterator[bytes]:
        yield SRX_HEAD + b'<head><variable name="n"/></head><results>'
        for n in range(self.count):
            self.produced += 1
            literal = f'<literal datatype="http://www.w3.org/2001/XMLSchema#integer">{n}</literal>'
            yield f'<result><binding name="n">{literal}</binding></result>'.encode()
        yield b"</results></sparql>"

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks():
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(lambda _: httpx.Response(200, stream=self, headers=SRX))


def test_rows_are_parsed_as_they_arrive() -> None:
    body = Rows(100_000)
    with Client(FAKE_URL, transport=body.transport()) as client:
        rows = client.iter_rows("SELECT ?n {}")
        assert next(rows).n == rdflib.Literal(0) and body.produced <= 2
        assert 1 + sum(1 for _ in rows) == 100_000
    assert body.closed
    abandoned = Rows(100_000)
    with Client(FAKE_URL, transport=abandoned.transport()) as client:
        with closing(client.iter_rows("SELECT ?n {}")) as rows:
            assert [next(rows).n.toPython() for _ in range(3)] == [0, 1, 2]
        assert abandoned.closed and abandoned.produced < 10


def test_async_rows_are_parsed_as_they_arrive() -> None:
    body = Rows(20_000)

    async def run() -> tuple[int, int]:
        async with (
            AsyncClient(FAKE_URL, transport=body.transport()) as client,
            aclosing(client.iter_rows("SELECT ?n {}")) as rows,
        ):
            await anext(rows)
            produced_for_first = body.produced
            return produced_for_first, 1 + len([row async for row in rows])

    produced_for_first, count = asyncio.run(run())
    assert produced_for_first <= 2 and count == 20_000 and body.closed


def test_answers_from_truncated_backlinks_are_flagged(
    mediawiki_api: str,
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedded: Embedded,
) -> None:
    # on the testbed, four articles link to [[Germany]]
    query = PREFIXES + "SELECT DISTINCT ?page WHERE { ?page ?p dbr:Germany }"
    complete = embedded.sparql(query)  # up to 50 linking pages read
    assert isinstance(complete, Results) and not complete.backlinks_truncated
    monkeypatch.setenv("DBOD_INCOMING_LIMIT", "3")
    process, base = start_server(mediawiki_api, shared_data / "dbpedia", tmp_path / "cache")
    try:
        with Client(base) as http:
            truncated = http.sparql(query)
    finally:
        stop_server(process)
    assert isinstance(truncated, Results) and truncated.backlinks_truncated
    assert not truncated.cache_only and len(truncated) < len(complete)
