"""The on-demand core and `dbod fetch` against the real MediaWiki testbed, through a counting
loopback proxy: what reaches the wiki is what is counted."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from cache import DiskCache
from dbod.compiled import Compiled
from dbod.core import Core, Description
from dbod.mappings_sync import load_mappings
from dbod.settings import Settings
from dbod.sources.mediawiki import AsyncMediaWikiSource, RetryPolicy, UpstreamUnavailable
from extractors.rdf import DBO, DBR, IRI, XSD


def page_fetches(proxy) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The title batches of the page-content requests that reached the wiki."""
    return [
        params["titles"][0].split("|")
        for params in proxy.params()
        if "revisions" in params.get("prop", [""])[0] and "titles" in params
    ]


def make_core(api: str, cache: DiskCache, compiled: Compiled, **options) -> Core:  # type: ignore[no-untyped-def]
    retry = RetryPolicy(max_retries=1, base=0.01, cap=0.01, deadline=2.0)
    source = AsyncMediaWikiSource(api, retry=retry, maxlag=None)
    return Core(source, cache, compiled, wiki=api, **options)


def test_single_flight_reaches_the_wiki_once(counting_proxy, compiled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proxy, api = counting_proxy
    with DiskCache(tmp_path / "cache", 1 << 30) as cache:
        core = make_core(api, cache, compiled)

        async def fifty() -> list[Description]:
            return await asyncio.gather(*(core.get("Angela Merkel") for _ in range(50)))

        results = asyncio.run(fifty())
    assert page_fetches(proxy) == [["Angela Merkel"]]
    assert {len(r.triples) for r in results} == {len(results[0].triples)}
    types = {t.object for t in results[0].triples if t.predicate.endswith("#type")}
    assert IRI(DBO + "Politician") in types


def test_get_many_batches_and_caches(counting_proxy, compiled, tmp_path: Path, minidump) -> None:  # type: ignore[no-untyped-def]
    proxy, api = counting_proxy
    titles = [t for t in minidump.titles(0, redirects=False)][:20]
    with DiskCache(tmp_path / "cache", 1 << 30) as cache:
        outcomes = asyncio.run(make_core(api, cache, compiled).get_many(titles))
        assert all(isinstance(o, Description) for o in outcomes.values()), outcomes
        assert len(page_fetches(proxy)) == 1
        proxy.reset()
        asyncio.run(make_core(api, cache, compiled).get_many(titles))
        assert proxy.params() == []  # fresh within the TTL: nothing reaches the wiki
        stale = make_core(api, cache, compiled, ttl=0)
        asyncio.run(stale.get_many(titles))
        assert page_fetches(proxy) == []  # unchanged revisions: one check, no refetch
        assert len(proxy.params()) == 1 and proxy.params()[0]["prop"] == ["info"]


def test_stale_if_error_when_the_wiki_goes_away(counting_proxy, compiled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proxy, api = counting_proxy
    with DiskCache(tmp_path / "cache", 1 << 30) as cache:
        fresh = asyncio.run(make_core(api, cache, compiled).get("IKEA"))
        proxy.stop()
        stale = asyncio.run(make_core(api, cache, compiled, ttl=0).get("IKEA"))
        assert stale.stale and stale.triples == fresh.triples
        with pytest.raises(UpstreamUnavailable) as info:
            asyncio.run(make_core(api, cache, compiled).get("Samsung"))
        assert info.value.retry_after >= 0


def test_mappings_from_the_wiki_equal_mappings_from_the_exports(
    mediawiki_api: str, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_wiki = load_mappings(Settings(mappings=mediawiki_api, cache_dir=tmp_path / "a"))
    from_files = load_mappings(
        Settings(mappings=str(shared_data / "dbpedia"), cache_dir=tmp_path / "b")
    )
    assert from_wiki.digest == from_files.digest
    assert from_wiki.ontology.classes.keys() == from_files.ontology.classes.keys()
    assert from_wiki.mappings.templates == from_files.mappings.templates

    # a second use reads the cached compilation: the wiki is not asked again
    def no_wiki(*args: object, **kwargs: object) -> None:
        raise AssertionError("the mappings wiki was asked again")

    monkeypatch.setattr("dbod.mappings_sync.MediaWikiSource", no_wiki)
    again = load_mappings(Settings(mappings=mediawiki_api, cache_dir=tmp_path / "a"))
    assert again.digest == from_wiki.digest


def test_dbod_fetch_cli(counting_proxy, shared_data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proxy, api = counting_proxy
    mappings = str(shared_data / "dbpedia")
    command = [
        sys.executable, "-m", "dbod.cli", "--source", api, "--mappings", mappings,
        "--cache-dir", str(tmp_path), "fetch", "Berlin", "--format", "nt",
    ]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    graph = rdflib.Graph().parse(data=first.stdout, format="nt")
    berlin = rdflib.URIRef(DBR + "Berlin")
    assert (
        berlin,
        rdflib.URIRef(DBO + "populationTotal"),
        rdflib.Literal("3769495", datatype=rdflib.URIRef(XSD + "nonNegativeInteger")),
    ) in graph
    assert len(page_fetches(proxy)) == 1
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert second.stdout == first.stdout
    assert len(page_fetches(proxy)) == 1  # from the cache
    missing = subprocess.run(
        [*command[:-3], "No such page here"], capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 1 and "not found" in missing.stderr
    invalid = subprocess.run([*command[:-3], "A|B"], capture_output=True, text=True, timeout=120)
    assert (
        invalid.returncode == 1
        and "invalid title" in invalid.stderr
        and "Traceback" not in invalid.stderr
    )
