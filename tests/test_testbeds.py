"""Smoke tests of the real-service testbeds: they serve exactly what was imported, over HTTP."""

from __future__ import annotations

import bz2
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from conftest import mediawiki_exports, require_mediawiki, unavailable

Api = Callable[..., dict]


@pytest.fixture(scope="module")
def api(mediawiki_api: str) -> Iterator[Api]:
    """GET the testbed's api.php with the given parameters (JSON, formatversion 2)."""
    with httpx.Client(timeout=60) as client:

        def get(**params: str) -> dict:
            response = client.get(
                mediawiki_api, params={**params, "format": "json", "formatversion": "2"}
            )
            response.raise_for_status()
            reply = response.json()
            assert "error" not in reply, reply
            return reply

        yield get


def read_export(path: Path) -> list[dict]:
    """The pages of a MediaWiki XML export as dicts (title, ns, text, redirect)."""
    pages = []
    with bz2.open(path) if path.suffix == ".bz2" else path.open("rb") as f:
        for _, elem in ET.iterparse(f):
            if elem.tag.rsplit("}", 1)[-1] != "page":
                continue
            redirect = elem.find("{*}redirect")
            pages.append(
                {
                    "title": elem.findtext("{*}title"),
                    "ns": int(elem.findtext("{*}ns")),
                    "text": elem.findtext("{*}revision/{*}text") or "",
                    "redirect": redirect.get("title") if redirect is not None else None,
                }
            )
            elem.clear()
    return pages


def all_titles(api: Api, namespace: int) -> list[str]:
    titles: list[str] = []
    params = {"action": "query", "list": "allpages", "apnamespace": str(namespace)}
    params["aplimit"] = "max"
    while True:
        reply = api(**params)
        titles += [page["title"] for page in reply["query"]["allpages"]]
        if "continue" not in reply:
            return titles
        params.update(reply["continue"])


@pytest.mark.mediawiki
def test_berlin_wikitext_is_the_minidump_revision(api: Api, shared_data: Path) -> None:
    minidump = read_export(shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2")
    expected = next(page for page in minidump if page["title"] == "Berlin")
    reply = api(
        action="query",
        prop="revisions|info|pageprops",
        rvprop="content|ids|timestamp",
        rvslots="main",
        titles="Berlin",
    )
    (page,) = reply["query"]["pages"]
    assert page["title"] == "Berlin" and page["ns"] == 0 and "missing" not in page
    content = page["revisions"][0]["slots"]["main"]["content"]
    assert "{{Infobox settlement" in content
    assert content == expected["text"]


@pytest.mark.mediawiki
def test_backlinks_come_from_the_imported_link_tables(api: Api) -> None:
    # Albert Einstein (gensim dump) links [[Berlin]] in its body text. Angela Merkel's only
    # [[Berlin]] sits in an infobox parameter, and the infobox template is not imported, so that
    # link is (as MediaWiki renders it) not in the link tables.
    reply = api(action="query", list="backlinks", bltitle="Berlin", bllimit="max")
    titles = {page["title"] for page in reply["query"]["backlinks"]}
    assert "Albert Einstein" in titles


@pytest.mark.mediawiki
def test_redirect_of_the_gensim_dump_resolves(api: Api, shared_data: Path) -> None:
    gensim = read_export(next((shared_data / "wikipedia" / "gensim").glob("*articles1*.bz2")))
    assert {"title": "AynRand", "redirect": "Ayn Rand"}.items() <= next(
        page for page in gensim if page["title"] == "AynRand"
    ).items()
    reply = api(
        action="query",
        prop="revisions|info",
        rvprop="content|ids",
        rvslots="main",
        titles="AynRand",
        redirects="1",
    )
    assert reply["query"]["redirects"] == [{"from": "AynRand", "to": "Ayn Rand"}]
    (page,) = reply["query"]["pages"]
    assert page["title"] == "Ayn Rand" and "missing" not in page
    assert "{{Infobox" in page["revisions"][0]["slots"]["main"]["content"]


@pytest.mark.mediawiki
def test_mappings_wiki_namespaces_are_served(api: Api, shared_data: Path) -> None:
    exports = {
        namespace: {page["title"] for page in read_export(path) if page["ns"] == namespace}
        for path, namespace in (
            (shared_data / "dbpedia" / "Mapping_en.xml", 204),
            (shared_data / "dbpedia" / "ontology.xml", 200),
            (shared_data / "dbpedia" / "ontology.xml", 202),
        )
    }
    for namespace, expected in exports.items():
        served = all_titles(api, namespace)
        assert len(served) == len(set(served)) and set(served) == expected, namespace
    assert "Mapping en:Infobox settlement" in exports[204] and "OntologyClass:City" in exports[200]
    reply = api(
        action="query",
        prop="revisions",
        rvprop="content",
        rvslots="main",
        titles="Mapping en:Infobox settlement",
    )
    content = reply["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
    exported = read_export(shared_data / "dbpedia" / "Mapping_en.xml")
    expected = next(p for p in exported if p["title"] == "Mapping en:Infobox settlement")
    assert content == expected["text"]
    assert "{{ ConditionalMapping" in content and "mapToClass = City" in content


@pytest.mark.mediawiki
def test_every_main_namespace_page_of_the_exports_is_served(api: Api, shared_data: Path) -> None:
    wikipedia, _ = mediawiki_exports(shared_data)
    expected = {
        page["title"] for path in wikipedia for page in read_export(path) if page["ns"] == 0
    }
    served = all_titles(api, 0)
    assert len(served) == len(set(served))
    # install.php creates "Main Page"; everything else is from the exports (233 distinct titles:
    # three pages are in two exports each).
    assert set(served) == expected | {"Main Page"}
    assert len(expected) == 233


@pytest.mark.mediawiki
def test_an_incomplete_import_is_an_error(tmp_path: Path) -> None:
    # importDump.php leaves out pages it cannot import and still exits 0 (here: an invalid title;
    # in real dumps, also a pathological page that ends the run silently). The testbed counts.
    mw = require_mediawiki()
    revision = (
        "<revision><id>{0}</id><timestamp>2020-01-01T00:00:00Z</timestamp>"
        "<contributor><username>X</username><id>1</id></contributor><model>wikitext</model>"
        '<format>text/x-wiki</format><text xml:space="preserve">[[Berlin]]</text></revision>'
    )
    export = tmp_path / "incomplete.xml"
    export.write_text(
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10">'
        f"<page><title>Fine</title><ns>0</ns><id>1</id>{revision.format(1)}</page>"
        f"<page><title>Not [valid]</title><ns>0</ns><id>2</id>{revision.format(2)}</page>"
        "</mediawiki>"
    )
    testbed = mw.MediaWikiTestbed(tmp_path / "wiki")
    with pytest.raises(mw.TestbedError, match=r"only 1 of the 2 pages") as error:
        testbed.start([export])
    assert "Not [valid]" in str(error.value)
    assert testbed.process is None  # what was started is stopped again


@pytest.mark.redis
def test_redis_set_and_get(redis_url: str) -> None:
    try:
        import redis
    except ImportError:
        unavailable("the redis package is not installed (pip install redis)")
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping()
        client.set("dbod:smoke", "Berlin", ex=60)
        assert client.get("dbod:smoke") == b"Berlin"
    finally:
        client.delete("dbod:smoke")
        client.close()


@pytest.mark.redis
def test_redis_speaks_resp_on_loopback(redis_url: str) -> None:
    url = urlparse(redis_url)
    assert url.hostname == "127.0.0.1"
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(b"*3\r\n$3\r\nSET\r\n$8\r\ndbod:raw\r\n$1\r\n1\r\n")
        assert sock.recv(64) == b"+OK\r\n"
        sock.sendall(b"*2\r\n$3\r\nGET\r\n$8\r\ndbod:raw\r\n*2\r\n$3\r\nDEL\r\n$8\r\ndbod:raw\r\n")
        reply = b""
        while not reply.endswith(b":1\r\n"):
            chunk = sock.recv(64)
            assert chunk, reply
            reply += chunk
        assert reply == b"$1\r\n1\r\n:1\r\n"
