"""/sparql served by a real uvicorn over the MediaWiki testbed, used by real clients
(SPARQLWrapper, rdflib's SPARQLStore) and by the W3C protocol manifest's query-side cases."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import httpx
import pytest
import rdflib
import rdflib.compare
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.queries import LEADER, LEADER_NAME, LEADERS, PREFIXES


@pytest.fixture(scope="module")
def endpoint(live_server: str) -> str:
    return f"{live_server}/sparql"


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_in_every_format(endpoint: str) -> None:
    as_json = wrapper(endpoint, LEADERS, JSON).queryAndConvert()
    rows = as_json["results"]["bindings"]
    assert rows == [
        {
            "leader": {"type": "uri", "value": LEADER},
            "name": {"type": "literal", "value": LEADER_NAME},
        }
    ]
    xml = wrapper(endpoint, LEADERS, XML).queryAndConvert()
    assert LEADER_NAME in xml.toxml()
    csv_text = wrapper(endpoint, LEADERS, CSV).queryAndConvert().decode()
    assert csv_text.splitlines()[0] == "leader,name" and LEADER_NAME in csv_text
    tsv_text = wrapper(endpoint, LEADERS, TSV).queryAndConvert().decode()
    assert tsv_text.splitlines()[0] == "?leader\t?name" and f'"{LEADER_NAME}"' in tsv_text


def test_sparqlwrapper_ask_construct_describe(endpoint: str) -> None:
    ask = PREFIXES + "ASK { dbr:Berlin a dbo:City }"
    assert wrapper(endpoint, ask, JSON).queryAndConvert()["boolean"] is True
    construct = (
        PREFIXES + "CONSTRUCT { dbr:Berlin rdfs:label ?l } WHERE { dbr:Berlin rdfs:label ?l }"
    )
    graph = wrapper(endpoint, construct, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=graph, format="turtle") if isinstance(graph, bytes) else graph
    assert (
        rdflib.URIRef("http://dbpedia.org/resource/Berlin"),
        rdflib.RDFS.label,
        rdflib.Literal("Berlin", lang="en"),
    ) in graph
    describe = wrapper(endpoint, PREFIXES + "DESCRIBE dbr:IKEA", TURTLE).queryAndConvert()
    described = rdflib.Graph().parse(data=describe, format="turtle")
    assert (
        rdflib.URIRef("http://dbpedia.org/resource/IKEA"),
        rdflib.RDF.type,
        rdflib.URIRef("http://dbpedia.org/ontology/Company"),
    ) in described


def test_rdflib_sparqlstore(endpoint: str) -> None:
    store = SPARQLStore(endpoint, returnFormat="json")
    rows = list(store.query(LEADERS))
    assert [str(row.name) for row in rows] == [LEADER_NAME]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"query": "ASK {}"}}),
        ("POST", {"data": {"query": "ASK {}"}}),
        ("POST", {"content": "ASK {}", "headers": {"Content-Type": "application/sparql-query"}}),
    ],
)
def test_protocol_query_operations(endpoint: str, method: str, kwargs: dict) -> None:
    response = httpx.request(method, endpoint, timeout=60, **kwargs)
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_content_types(endpoint: str, accept: str, media_type: str) -> None:
    query = "SELECT ?x WHERE { }"
    response = httpx.get(endpoint, params={"query": query}, headers={"Accept": accept}, timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        ({"method": "PUT", "params": {"query": "ASK {}"}}, 405),  # bad_query_method
        ({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ({"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ({"method": "POST", "content": "query=ASK%20%7B%7D"}, 415),  # missing form type
        ({"method": "POST", "content": "ASK {}"}, 415),  # missing direct type
        (
            {
                "method": "POST",
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            400,
        ),
        ({"method": "GET", "params": {"query": "ASK {"}}, 400),  # bad_query_syntax
        ({"method": "GET", "params": {"query": "ASK {}", "named-graph-uri": "http://x/"}}, 400),
        ({"method": "GET", "params": {"query": "ASK {}", "default-graph-uri": "http://x/"}}, 400),
    ],
)
def test_protocol_failures_are_4xx(endpoint: str, request_args: dict, status: int) -> None:
    args = dict(request_args)
    response = httpx.request(args.pop("method"), endpoint, timeout=60, **args)
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text


def test_syntax_error_names_the_position(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "SELECT ?x WHERE {\n  ?x ?y }"}, timeout=60)
    assert response.status_code == 400
    assert "line 2" in response.text and "column" in response.text


def test_unsupported_features_are_501_naming_the_feature(endpoint: str) -> None:
    query = "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
    response = httpx.get(
        endpoint, params={"query": query}, headers={"Accept": "text/plain"}, timeout=60
    )
    assert response.status_code == 501
    assert "GROUP BY" in response.text


def test_unknown_parameters_are_ignored_and_format_overrides_accept(endpoint: str) -> None:
    response = httpx.get(
        endpoint,
        params={"query": "ASK {}", "format": "xml", "timeout": "30000", "debug": "on"},
        headers={"Accept": "application/json"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_unanchored_patterns_say_they_come_from_the_cache(endpoint: str) -> None:
    httpx.get(endpoint, params={"query": LEADERS}, timeout=60)  # Berlin is now cached
    query = PREFIXES + "SELECT ?city WHERE { ?city a dbo:City }"
    response = httpx.get(endpoint, params={"query": query}, timeout=60)
    assert response.headers["x-dbod-cache-only"] == "true"
    body = response.json()
    assert "urn:dbod:note:cache-only-partial-answer" in body["head"]["link"]
    cities = {row["city"]["value"] for row in body["results"]["bindings"]}
    assert "http://dbpedia.org/resource/Berlin" in cities


#: the graph formats /sparql offers: media type -> rdflib parser
GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/n3": "n3",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def test_service_description_and_form(endpoint: str) -> None:
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    graphs = []
    for media_type, parser in GRAPH_FORMATS.items():
        described = httpx.get(endpoint, headers={"Accept": media_type}, timeout=60)
        assert described.status_code == 200, media_type
        assert described.headers["content-type"].split(";")[0] == media_type
        graph = rdflib.Graph().parse(data=described.text, format=parser)
        assert (None, rdflib.RDF.type, sd.Service) in graph
        assert (None, sd.endpoint, rdflib.URIRef(endpoint)) in graph
        graphs.append(graph)
    assert all(rdflib.compare.isomorphic(graphs[0], graph) for graph in graphs[1:])
    form = httpx.get(endpoint, headers={"Accept": "text/html"}, timeout=60)
    assert "<form" in form.text and "textarea" in form.text


CONSTRUCT_LEADER = (
    PREFIXES
    + """CONSTRUCT { dbr:Berlin dbo:leader [ rdfs:label ?name ] } WHERE {
    dbr:Berlin dbo:politicalLeader ?l . ?l dbo:personName ?name }"""
)


@pytest.mark.parametrize("media_type", GRAPH_FORMATS)
def test_construct_in_every_graph_format(endpoint: str, media_type: str) -> None:
    """The same graph (with its blank node) by Accept and by ``format``, in each format."""
    expected = rdflib.Graph()
    leader = rdflib.BNode()
    expected.add((rdflib.URIRef("http://dbpedia.org/resource/Berlin"),
                  rdflib.URIRef("http://dbpedia.org/ontology/leader"), leader))  # fmt: skip
    expected.add((leader, rdflib.RDFS.label, rdflib.Literal(LEADER_NAME)))
    for params, accept in (({}, media_type), ({"format": media_type}, "text/csv")):
        response = httpx.get(
            endpoint,
            params={"query": CONSTRUCT_LEADER, **params},
            headers={"Accept": accept},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        graph = rdflib.Graph().parse(data=response.text, format=GRAPH_FORMATS[media_type])
        assert rdflib.compare.isomorphic(graph, expected), response.text
        if media_type == "text/turtle":  # the project's prefixes, as /data has them
            assert "@prefix dbr: <http://dbpedia.org/resource/> ." in response.text


def test_bind_joins_fetch_50_titles_per_request(
    counting_proxy, shared_data: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import start_server, stop_server
    from tests.test_core_live import page_fetches

    proxy, api = counting_proxy
    process, base = start_server(api, shared_data / "dbpedia", tmp_path / "cache")
    try:
        query = (
            PREFIXES
            + """SELECT ?linked ?id WHERE {
            dbr:Foreign_relations_of_Angola dbo:wikiPageWikiLink ?linked .
            ?linked dbo:wikiPageID ?id }"""
        )
        response = httpx.get(f"{base}/sparql", params={"query": query}, timeout=300)
        assert response.status_code == 200, response.text
        found = {row["linked"]["value"] for row in response.json()["results"]["bindings"]}
        batches = page_fetches(proxy)
        assert batches[0] == ["Foreign relations of Angola"]
        linked_titles = {title for batch in batches[1:] for title in batch}
        assert all(len(batch) <= 50 for batch in batches)
        assert len(batches) - 1 == math.ceil(len(linked_titles) / 50)
        assert found  # the linked pages that exist in the testbed have ids
        assert int(response.headers["x-dbod-resources-fetched"]) == 1 + len(linked_titles)
    finally:
        stop_server(process)


def test_resource_limit_is_a_clear_422(
    mediawiki_api: str, shared_data: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import start_server, stop_server

    monkeypatch.setenv("DBOD_SPARQL_MAX_RESOURCES", "3")
    process, base = start_server(mediawiki_api, shared_data / "dbpedia", tmp_path / "cache")
    try:
        query = (
            PREFIXES
            + "SELECT ?x ?id WHERE { dbr:Berlin dbo:wikiPageWikiLink ?x . ?x dbo:wikiPageID ?id }"
        )
        response = httpx.get(f"{base}/sparql", params={"query": query}, timeout=120)
        assert response.status_code == 422
        assert "resources_fetched" in response.text
        assert json.loads(httpx.get(f"{base}/health", timeout=10).text) == {"status": "ok"}
    finally:
        stop_server(process)


def comunica() -> Path:
    """The comunica-sparql command scripts/install-testbeds installs."""
    from tests.conftest import unavailable

    node_dir = Path(os.environ.get("DBOD_NODE_DIR", Path.home() / ".cache" / "dbod" / "node"))
    command = node_dir / "node_modules" / ".bin" / "comunica-sparql"
    if not command.is_file():
        unavailable(f"Comunica is not installed at {command} (run scripts/install-testbeds)")
    return command


def run_comunica(endpoint: str, query: str) -> str:
    result = subprocess.run(
        [str(comunica()), f"sparql@{endpoint}", query],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_comunica_select_ask_construct(endpoint: str) -> None:
    rows = json.loads(run_comunica(endpoint, LEADERS))
    assert rows == [{"leader": LEADER, "name": f'"{LEADER_NAME}"'}]
    assert run_comunica(endpoint, PREFIXES + "ASK { dbr:Berlin a dbo:City }").strip() == "true"
    construct = run_comunica(
        endpoint,
        PREFIXES + "CONSTRUCT { dbr:Berlin rdfs:label ?l } WHERE { dbr:Berlin rdfs:label ?l }",
    )
    graph = rdflib.Graph().parse(data=construct, format="nt")
    assert (
        rdflib.URIRef("http://dbpedia.org/resource/Berlin"),
        rdflib.RDFS.label,
        rdflib.Literal("Berlin", lang="en"),
    ) in graph


def test_upstream_down_fails_the_query_with_503(shared_data: Path, tmp_path: Path) -> None:
    from tests.conftest import start_server, stop_server

    process, base = start_server(
        "http://127.0.0.1:9/api.php", shared_data / "dbpedia", tmp_path / "c"
    )
    try:
        query = PREFIXES + "ASK { dbr:Berlin a dbo:City }"
        response = httpx.get(f"{base}/sparql", params={"query": query}, timeout=180)
        assert response.status_code == 503
        assert int(response.headers["retry-after"]) >= 1
    finally:
        stop_server(process)


def test_a_cartesian_product_over_the_cache_is_bounded(endpoint: str) -> None:
    import time

    httpx.get(endpoint, params={"query": LEADERS}, timeout=60)  # something is cached
    start = time.monotonic()
    response = httpx.get(
        endpoint, params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"}, timeout=120
    )
    assert response.status_code == 422
    assert "limit" in response.text
    assert time.monotonic() - start < 60
    assert httpx.get(endpoint, params={"query": "ASK {}"}, timeout=30).status_code == 200
