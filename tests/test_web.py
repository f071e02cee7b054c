"""The Linked Data service served by a real uvicorn on loopback, the MediaWiki testbed as source:
content negotiation, every RDF format against the library's graph, conditional requests, errors."""

from __future__ import annotations

import asyncio
import html
import json
from pathlib import Path

import httpx
import pytest
import rdflib
import rdflib.compare

from cache import DiskCache
from dbod.core import Core
from dbod.sources.mediawiki import AsyncMediaWikiSource
from extractors.rdf import to_graph

RDF_FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "ntriples": ("application/n-triples", "nt"),
    "n3": ("text/n3", "n3"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "xml": ("application/rdf+xml", "xml"),
    "json": ("application/rdf+json", "rdf/json"),
}


@pytest.fixture(scope="module")
def client(live_server: str):
    with httpx.Client(base_url=live_server, timeout=60) as http:
        yield http


@pytest.fixture(scope="module")
def library_graph(
    mediawiki_api: str, compiled, tmp_path_factory: pytest.TempPathFactory
) -> rdflib.Graph:
    """Berlin's description as the library computes it (outgoing plus incoming statements)."""

    async def describe() -> rdflib.Graph:
        with DiskCache(tmp_path_factory.mktemp("library"), 1 << 30) as cache:
            core = Core(AsyncMediaWikiSource(mediawiki_api, maxlag=None), cache, compiled, wiki="x")
            described = await core.get("Berlin")
            incoming = await core.incoming("Berlin", 50)
            return to_graph([*described.triples, *incoming])

    return asyncio.run(describe())


def parse_rdf_json(text: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for subject, predicates in json.loads(text).items():
        for predicate, values in predicates.items():
            for value in values:
                if value["type"] == "uri":
                    obj: rdflib.term.Identifier = rdflib.URIRef(value["value"])
                else:
                    datatype = value.get("datatype")
                    obj = rdflib.Literal(
                        value["value"],
                        lang=value.get("lang"),
                        datatype=rdflib.URIRef(datatype) if datatype else None,
                    )
                graph.add((rdflib.URIRef(subject), rdflib.URIRef(predicate), obj))
    return graph


@pytest.mark.parametrize("ext", sorted(RDF_FORMATS))
def test_every_format_gives_the_library_graph(client, library_graph, ext: str) -> None:  # type: ignore[no-untyped-def]
    media_type, parser = RDF_FORMATS[ext]
    response = client.get(f"/data/Berlin.{ext}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if parser == "rdf/json":
        graph = parse_rdf_json(response.text)
    else:
        graph = rdflib.Graph().parse(data=response.content, format=parser)
    assert rdflib.compare.isomorphic(graph, library_graph)
    links = response.headers["link"]
    assert 'rel="license"' in links and "/page/Berlin" in links and 'rel="alternate"' in links


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/turtle", "/data/Berlin.ttl"),
        ("application/n-triples", "/data/Berlin.nt"),
        ("text/n3", "/data/Berlin.n3"),
        ("application/ld+json", "/data/Berlin.jsonld"),
        ("application/rdf+xml", "/data/Berlin.rdf"),
        ("application/rdf+json", "/data/Berlin.json"),
        ("application/json", "/data/Berlin.json"),
        ("text/html", "/page/Berlin"),
        ("*/*", "/page/Berlin"),
        (None, "/page/Berlin"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/page/Berlin"),
        ("application/rdf+xml;q=0.5, text/turtle", "/data/Berlin.ttl"),
        ("text/turtle;q=0.2, application/ld+json;q=0.9", "/data/Berlin.jsonld"),
        ("text/*", "/page/Berlin"),
    ],
)
def test_resource_redirects_by_accept(client, accept: str | None, location: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/resource/Berlin", headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == location
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    ("path", "params", "offered"),
    [
        ("/resource/Berlin", {}, "text/turtle"),
        ("/ontology/City", {}, "text/turtle"),
        ("/sparql", {}, "text/turtle"),  # the service description
        ("/sparql", {"query": "ASK {}"}, "application/sparql-results+json"),
        ("/sparql", {"query": "CONSTRUCT WHERE {}"}, "application/n-triples"),
    ],
)
def test_unsatisfiable_accept_is_406(client, path: str, params: dict, offered: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        path, params=params, headers={"Accept": "image/png"}, follow_redirects=False
    )
    assert response.status_code == 406
    assert offered in response.text
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    ("raw", "location"),
    [
        ("%3F_(film)", "/page/%3F_(film)"),
        ("Ferdinand_Pi%C3%ABch", "/page/Ferdinand_Pi%C3%ABch"),
        ("Ferdinand_Piëch", "/page/Ferdinand_Pi%C3%ABch"),
        ("Ren_&_Stimpy_%22Adult_Party_Cartoon%22", "/page/Ren_&_Stimpy_%22Adult_Party_Cartoon%22"),
        ("berlin", "/page/Berlin"),
    ],
)
def test_names_use_dbpedia_encoding_both_ways(client, raw: str, location: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        f"/resource/{raw}", headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == location
    page = client.get(location)
    assert page.status_code == 200


def test_conditional_requests(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/data/Berlin.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"r') and "max-age" in first.headers["cache-control"]
    assert client.get("/data/Berlin.ttl", headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get("/data/Berlin.ttl", headers={"If-Modified-Since": modified}).status_code == 304
    )
    assert client.get("/data/Berlin.ttl", headers={"If-None-Match": '"other"'}).status_code == 200
    old = "Mon, 01 Jan 1990 00:00:00 GMT"
    assert client.get("/data/Berlin.ttl", headers={"If-Modified-Since": old}).status_code == 200
    page = client.get("/page/Berlin")
    assert (
        client.get("/page/Berlin", headers={"If-None-Match": page.headers["etag"]}).status_code
        == 304
    )


def test_intermediate_nodes_and_redirects(client) -> None:  # type: ignore[no-untyped-def]
    node = client.get("/data/Berlin__PoliticalFunction__1.nt")
    assert node.status_code == 200
    graph = rdflib.Graph().parse(data=node.text, format="nt")
    subject = rdflib.URIRef("http://dbpedia.org/resource/Berlin__PoliticalFunction__1")
    assert (
        subject,
        rdflib.RDF.type,
        rdflib.URIRef("http://dbpedia.org/ontology/PoliticalFunction"),
    ) in graph
    moved = client.get("/page/AynRand", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/page/Ayn_Rand"
    moved_data = client.get("/data/AynRand.ttl", follow_redirects=False)
    assert moved_data.status_code == 303 and moved_data.headers["location"] == "/data/Ayn_Rand.ttl"


def test_ontology_terms(client) -> None:  # type: ignore[no-untyped-def]
    city = client.get("/ontology/City", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=city.text, format="turtle")
    dbo = rdflib.Namespace("http://dbpedia.org/ontology/")
    assert (dbo.City, rdflib.RDFS.subClassOf, dbo.Settlement) in graph
    assert (
        client.get("/ontology/areaTotal", headers={"Accept": "text/html"})
        .headers["content-type"]
        .startswith("text/html")
    )
    assert client.get("/ontology/NoSuchTerm").status_code == 404


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/data/No_such_page_here.ttl", 404, "no Wikipedia page"),
        ("/page/No_such_page_here", 404, "no Wikipedia page"),
        ("/data/Berlin.exe", 404, ".ttl"),
        ("/resource/A%7CB", 400, "'|'"),
        ("/data/A%5B%5D.ttl", 400, "'['"),
        ("/page/%FF%FE", 400, "UTF-8"),
        ("/data/Berlin__NoSuchNode__9.ttl", 404, "no node"),
    ],
)
def test_bad_input_gets_a_clear_status(client, path: str, status: int, message: str) -> None:  # type: ignore[no-untyped-def]
    for accept in ("text/html", "text/turtle", "application/json"):
        response = client.get(path, headers={"Accept": accept}, follow_redirects=False)
        assert response.status_code == status, (path, accept)
        assert message in html.unescape(response.text)
        assert "Traceback" not in response.text


def test_health_ready_and_docs(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready == {"ready": True, "cache": "ok", "source": "ok"}
    assert client.get("/docs").status_code == 200
    assert "/resource/{name}" in client.get("/openapi.json").text


UPSTREAM_PATHS = [
    ("/data/Berlin.ttl", {}),
    ("/page/Berlin", {}),
    ("/sparql", {"query": "ASK { <http://dbpedia.org/resource/Berlin> ?p ?o }"}),
]


def test_upstream_down_with_nothing_cached_is_503(shared_data: Path, tmp_path: Path) -> None:
    from tests.conftest import start_server, stop_server

    process, base = start_server(
        "http://127.0.0.1:9/api.php", shared_data / "dbpedia", tmp_path / "c"
    )
    try:
        for path, params in UPSTREAM_PATHS:
            response = httpx.get(f"{base}{path}", params=params, timeout=120)
            assert response.status_code == 503, path
            assert int(response.headers["retry-after"]) >= 1
            assert "unreachable" in response.text
        assert httpx.get(f"{base}/ready", timeout=120).status_code == 503
    finally:
        stop_server(process)


def test_upstream_answering_unusably_is_503(
    mediawiki_api: str, shared_data: Path, tmp_path: Path
) -> None:
    from tests.conftest import start_server, stop_server

    gone = mediawiki_api.rsplit("/", 1)[0] + "/gone/api.php"  # answers 404
    process, base = start_server(gone, shared_data / "dbpedia", tmp_path / "c")
    try:
        for path, params in UPSTREAM_PATHS:
            response = httpx.get(f"{base}{path}", params=params, timeout=120)
            assert response.status_code == 503, path
            assert response.headers["retry-after"] == "60"
            assert "unusably" in response.text
    finally:
        stop_server(process)


def test_incoming_statements_can_be_left_out(client) -> None:  # type: ignore[no-untyped-def]
    full = rdflib.Graph().parse(data=client.get("/data/Berlin.nt").text, format="nt")
    outgoing = rdflib.Graph().parse(
        data=client.get("/data/Berlin.nt", params={"incoming": "false"}).text, format="nt"
    )
    berlin = rdflib.URIRef("http://dbpedia.org/resource/Berlin")
    about_berlin = {(s, p) for s, p, o in full if o == berlin}
    about_berlin_outgoing_only = {(s, p) for s, p, o in outgoing if o == berlin}
    assert about_berlin_outgoing_only < about_berlin  # the linking pages' statements are gone
    assert set(outgoing) <= set(full)
