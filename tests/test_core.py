"""The on-demand core over real pages (DBpedia's minidump and the gensim dump) and a real cache.

The page source is the dump behind the core's source interface, wrapped to count calls and to
inject failures; the live-wiki path is tested against the MediaWiki testbed in test_core_live.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from cache import DiskCache
from dbod.compiled import Compiled
from dbod.core import Core, Description, NotFound
from dbod.sources.dump import DumpSource
from dbod.sources.dump_pages import DumpPages
from dbod.sources.mediawiki import FetchResult, UpstreamError, UpstreamUnavailable
from dbod.store import graph_key
from extractors.rdf import DBO, DBR, IRI
from extractors.titles import InvalidTitle, resource_iri


class CountingSource:
    """A page source that counts what the core asks and can be told to fail."""

    def __init__(self, inner: DumpPages) -> None:
        self.inner = inner
        self.fetched: list[list[str]] = []
        self.checked: list[list[str]] = []
        self.failure: Exception | None = None
        self.revision_shift = 0
        self.active = 0
        self.max_active = 0

    async def fetch(self, titles: Iterable[str]) -> FetchResult:
        titles = list(titles)
        self.fetched.append(titles)
        if self.failure:
            raise self.failure
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        await asyncio.sleep(0.01)
        self.active -= 1
        result = await self.inner.fetch(titles)
        for title, page in result.pages.items():
            result.pages[title] = replace(page, revision_id=page.revision_id + self.revision_shift)
        return result

    async def last_revisions(self, titles: Iterable[str]) -> dict[str, int | None]:
        titles = list(titles)
        self.checked.append(titles)
        if self.failure:
            raise self.failure
        revisions = await self.inner.last_revisions(titles)
        return {
            t: (r + self.revision_shift if r is not None else None) for t, r in revisions.items()
        }

    async def resolve_redirects(self, titles: Iterable[str]) -> dict[str, str]:
        return await self.inner.resolve_redirects(titles)

    async def template_redirects(self, names: Iterable[str]) -> dict[str, str]:
        return await self.inner.template_redirects(names)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def source(minidump: DumpSource) -> CountingSource:
    return CountingSource(DumpPages(minidump))


@pytest.fixture
def cache(tmp_path: Path) -> DiskCache:
    with DiskCache(tmp_path / "cache", 1 << 30) as disk:
        yield disk


def make_core(source, cache, compiled: Compiled, clock: Clock, **options) -> Core:  # type: ignore[no-untyped-def]
    return Core(source, cache, compiled, wiki="test", ttl=3600, clock=clock, **options)


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def test_fresh_hits_come_from_the_cache(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)
    first = run(core.get("Berlin"))
    assert isinstance(first, Description) and first.title == "Berlin" and not first.stale
    clock.now += 3599
    again = run(core.get("berlin"))
    assert again.triples == first.triples
    assert source.fetched == [["Berlin"]] and source.checked == []


def test_stale_pointers_cost_one_batched_revision_check(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)
    titles = ["Berlin", "IKEA", "Samsung", "Asda"]
    run(core.get_many(titles))
    clock.now += 3601
    outcomes = run(core.get_many(titles))
    assert all(isinstance(o, Description) and o.checked == clock.now for o in outcomes.values())
    assert source.checked == [titles]
    assert len(source.fetched) == 1  # unchanged: no refetch
    source.revision_shift = 1  # every page has a new revision now
    clock.now += 3601
    run(core.get_many(titles))
    assert len(source.checked) == 2 and source.fetched[-1] == titles


def test_single_flight_for_concurrent_requests(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)

    async def fifty() -> list[Description]:
        return await asyncio.gather(*(core.get("Angela Merkel") for _ in range(50)))

    results = run(fifty())
    assert source.fetched == [["Angela Merkel"]]
    assert all(result.triples == results[0].triples for result in results)


def test_stale_if_error(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)
    fresh = run(core.get("IKEA"))
    clock.now += 7200
    source.failure = UpstreamUnavailable("http://wiki/api.php", 30.0, "connection refused")
    stale = run(core.get("IKEA"))
    assert stale.stale and stale.triples == fresh.triples
    with pytest.raises(UpstreamUnavailable) as info:
        run(core.get("Samsung"))
    assert info.value.retry_after == 30.0
    source.failure = UpstreamError("http://wiki/api.php", "not JSON")
    with pytest.raises(UpstreamError, match="not JSON"):
        run(core.get("Asda"))


def test_missing_and_invalid_titles(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)
    outcomes = run(core.get_many(["No such page at all", "A[B]", ""]))
    assert isinstance(outcomes["No such page at all"], NotFound)
    assert isinstance(outcomes["A[B]"], InvalidTitle) and "'['" in str(outcomes["A[B]"])
    assert isinstance(outcomes[""], InvalidTitle)
    assert source.fetched == [["No such page at all"]]


def test_a_new_extractor_version_re_extracts_without_refetching(
    source, cache, compiled, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)
    first = run(core.get("Berlin"))
    monkeypatch.setattr(core, "version", "next")
    again = run(core.get("Berlin"))
    assert again.triples == first.triples
    assert source.fetched == [["Berlin"]]
    assert cache.get(graph_key("test", "Berlin", first.revision, "next")) is not None


def test_a_corrupt_entry_is_discarded_never_served(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    core = make_core(source, cache, compiled, clock)
    first = run(core.get("Berlin"))
    key = graph_key("test", "Berlin", first.revision, core.version)
    cache.set(key, b"\x00 not a graph")
    again = run(core.get("Berlin"))
    assert again.triples == first.triples  # re-extracted from the cached raw page
    assert cache.get(key) != b"\x00 not a graph"


def test_get_many_batches_50_per_request_within_a_bound(
    shared_data: Path, tmp_path: Path, cache, compiled, clock
) -> None:  # type: ignore[no-untyped-def]
    dump = DumpSource(next((shared_data / "wikipedia" / "gensim").glob("enwiki-latest*")), tmp_path)
    source = CountingSource(DumpPages(dump))
    core = make_core(source, cache, compiled, clock, max_concurrent_batches=2)
    titles = list(dump.titles(0))[:120]
    outcomes = run(core.get_many(titles))
    assert sorted(len(batch) for batch in source.fetched) == [20, 50, 50]
    assert source.max_active <= 2
    assert len(outcomes) == len(titles)


def test_redirect_titles_among_mapped_objects_become_their_targets(
    source, cache, compiled, clock
) -> None:  # type: ignore[no-untyped-def]
    asked: list[list[str]] = []

    async def resolve(titles: Iterable[str]) -> dict[str, str]:
        asked.append(list(titles))
        return {"Germany": "Federal Republic of Germany"}  # as if [[Germany]] were a redirect

    source.resolve_redirects = resolve
    core = make_core(source, cache, compiled, clock)
    triples = run(core.get("Berlin")).triples
    mapped = {(t.predicate, t.object) for t in triples if t.extractor == "mappings"}
    assert (DBO + "country", IRI(DBR + "Federal_Republic_of_Germany")) in mapped
    assert (DBO + "country", IRI(DBR + "Germany")) not in mapped
    links = {t.object for t in triples if t.extractor == "page-links"}
    assert IRI(DBR + "Germany") in links  # page links are not redirect-resolved, as in DBpedia
    assert len(asked) == 1 and "Germany" in asked[0]  # one batched question per fetch


def test_re_extraction_resolves_object_redirects_and_asks_each_once(
    source, cache, compiled, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[list[str]] = []

    async def resolve(titles: Iterable[str]) -> dict[str, str]:
        asked.append(list(titles))
        return {"Germany": "Federal Republic of Germany"}

    source.resolve_redirects = resolve
    core = make_core(source, cache, compiled, clock)
    run(core.get("Berlin"))
    monkeypatch.setattr(core, "version", "next")  # the cached graph no longer serves
    again = run(core.get("Berlin"))
    mapped = {(t.predicate, t.object) for t in again.triples if t.extractor == "mappings"}
    assert (DBO + "country", IRI(DBR + "Federal_Republic_of_Germany")) in mapped
    assert source.fetched == [["Berlin"]] and not again.stale
    assert len(asked) == 1  # the answers (also "no redirect") were cached with the first fetch


def test_an_unanswered_redirect_question_is_served_stale_and_not_cached(
    source, cache, compiled, clock
) -> None:  # type: ignore[no-untyped-def]
    async def down(titles: Iterable[str]) -> dict[str, str]:
        raise UpstreamUnavailable("down", retry_after=5)

    answer = source.resolve_redirects
    source.resolve_redirects = down
    core = make_core(source, cache, compiled, clock)
    first = run(core.get("Berlin"))
    assert first.stale and first.triples
    assert cache.get(graph_key("test", "Berlin", first.revision, core.version)) is None
    source.resolve_redirects = answer
    second = run(core.get("Berlin"))  # re-extracted from the cached raw page, now complete
    assert not second.stale and source.fetched == [["Berlin"]]
    assert cache.get(graph_key("test", "Berlin", first.revision, core.version)) is not None


def test_backlinks_are_cached(source, cache, compiled, clock) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    async def backlinks(title: str, namespace: int | None = 0, limit: int = 500) -> list[str]:
        calls.append(title)
        return ["Asda", "IKEA", "Samsung"]

    source.backlinks = backlinks
    core = make_core(source, cache, compiled, clock)
    assert run(core.backlinks("Berlin", 2)) == ["Asda", "IKEA"]
    assert run(core.backlinks("Berlin", 2)) == ["Asda", "IKEA"] and calls == ["Berlin"]
    run(core.backlinks("Berlin", 3))  # another limit is another question
    assert calls == ["Berlin", "Berlin"]


def test_redirect_sources_describe_the_target(
    shared_data: Path, tmp_path: Path, cache, compiled, clock
) -> None:  # type: ignore[no-untyped-def]
    dump = DumpSource(next((shared_data / "wikipedia" / "gensim").glob("enwiki-latest*")), tmp_path)
    core = make_core(CountingSource(DumpPages(dump)), cache, compiled, clock)
    redirect = next(
        t
        for t in dump.titles(0)
        if dump.resolve(t) not in (None, t) and dump.get(t) and not dump.get(t).redirect
    )
    target = dump.resolve(redirect)
    described = run(core.get(redirect))
    assert described.title == target
    assert (resource_iri(redirect), DBO + "wikiPageRedirects", IRI(resource_iri(target))) in {
        (t.subject, t.predicate, t.object) for t in described.triples
    }


def test_templates_redirecting_to_mapped_ones_are_mapped(
    source, cache, compiled, clock, minidump
) -> None:  # type: ignore[no-untyped-def]
    berlin = minidump.get("Berlin")
    aliased = replace(
        berlin,
        title="Berlin alias",
        wikitext=berlin.wikitext.replace("Infobox settlement", "Infobox German capital"),
    )
    asked: list[list[str]] = []

    async def fetch(titles: Iterable[str]) -> FetchResult:
        return FetchResult(pages={title: replace(aliased, title=title) for title in titles})

    async def template_redirects(names: Iterable[str]) -> dict[str, str]:
        asked.append(sorted(names))
        return {"Infobox German capital": "Infobox settlement"}

    source.fetch, source.template_redirects = fetch, template_redirects
    core = make_core(source, cache, compiled, clock)
    first = run(core.get("Berlin alias"))
    types = {t.object for t in first.triples if t.predicate.endswith("#type")}
    assert IRI(DBO + "City") in types
    assert len(asked) == 1 and "Infobox German capital" in asked[0]
    assert "Infobox settlement" not in asked[0]  # mapped names are never asked about
    run(core.get("Another alias"))
    assert len(asked) == 1  # the answers (and the "no redirect" ones) are cached


def test_statements_without_their_incoming_part_are_marked_stale(
    source, cache, compiled, clock
) -> None:  # type: ignore[no-untyped-def]
    async def backlinks(title: str, namespace: int | None = 0, limit: int = 500) -> list[str]:
        if source.failure:
            raise source.failure
        return ["Angela Merkel"]

    source.backlinks = backlinks
    core = make_core(source, cache, compiled, clock)
    berlin = run(core.get("Berlin"))
    source.failure = UpstreamUnavailable("down", retry_after=5)
    partial = run(core.statements(berlin, incoming_limit=5))
    assert partial.stale and partial.triples == berlin.triples
    source.failure = None
    served = run(core.statements(berlin, incoming_limit=5))
    assert not served.stale and len(served.triples) > len(berlin.triples)
    assert {t.subject for t in served.triples} >= {DBR + "Angela_Merkel", DBR + "Berlin"}
