"""The on-demand core: a title in, its DBpedia description out, fresh and cached by revision.

``Core.get_many(titles)`` answers each title from the cache while its pointer is fresh (``ttl``);
a stale pointer costs one batched ``lastrevid`` check per 50 titles ("unchanged": touched, not
refetched or re-extracted); everything else is fetched 50 titles per request, batches running
concurrently within a bound. Concurrent requests for the same uncached title share one upstream
fetch (single flight). When upstream fails, a cached description is served marked ``stale``;
with nothing cached the error is :class:`~dbod.sources.mediawiki.UpstreamUnavailable`.
Objects of mapping-based statements that are redirect titles are replaced by their targets,
as DBpedia releases do; redirect answers (for templates and objects) are kept a week. A graph
extracted while upstream could not answer those questions is served marked stale, not cached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from cache import Cache, make_key, split_key
from dbod.compiled import Compiled
from dbod.sources.mediawiki import FetchResult, UpstreamError, UpstreamUnavailable
from dbod.store import (
    CorruptRecord,
    Pointer,
    backlinks_key,
    decode_page,
    decode_pointer,
    decode_titles,
    decode_triples,
    encode_page,
    encode_pointer,
    encode_titles,
    encode_triples,
    graph_key,
    incoming_key,
    page_key,
    pointer_key,
    redirect_key,
)
from extractors.extract import EXTRACTOR_VERSION, extract_page
from extractors.page import PageRecord
from extractors.rdf import DBO, DBR, IRI, Triple
from extractors.titles import InvalidTitle, canonical_title, resource_iri, title_from_iri
from extractors.wikitext import template_names

BATCH_SIZE = 50
#: seconds a template's or page's redirect (or its absence) is remembered
REDIRECT_TTL = 7 * 24 * 3600.0
#: Extractors whose object IRIs are redirect-resolved (DBpedia's mappingbased_objects).
RESOLVED_EXTRACTORS = frozenset({"mappings"})


class NotFound(LookupError):
    """The wiki has no page with this title."""

    def __init__(self, title: str) -> None:
        super().__init__(f"no page titled {title!r}")
        self.title = title


class NoSuchNode(NotFound):
    """The page exists but has no intermediate node of this name."""

    def __init__(self, title: str, node: str) -> None:
        LookupError.__init__(self, f"the page {title!r} has no node {node!r}")
        self.title = title
        self.node = node


class PageSource(Protocol):
    """What the core needs from a wiki (MediaWiki API or dump), asynchronously."""

    async def fetch(self, titles: Iterable[str]) -> FetchResult: ...

    async def last_revisions(self, titles: Iterable[str]) -> dict[str, int | None]: ...

    async def resolve_redirects(self, titles: Iterable[str]) -> dict[str, str]: ...

    async def backlinks(
        self, title: str, namespace: int | None = 0, limit: int = 500
    ) -> list[str]: ...

    async def template_redirects(self, names: Iterable[str]) -> dict[str, str]: ...


@dataclass
class Description:
    """A resource's statements and where they come from."""

    title: str
    revision: int
    triples: list[Triple]
    checked: float
    stale: bool = False
    timestamp: str = ""

    @property
    def iri(self) -> str:
        """The resource IRI."""
        return resource_iri(self.title)


Outcome = Description | Exception


class Core:
    """Descriptions of wiki pages, on demand, cached by revision. See the module docstring."""

    def __init__(
        self,
        source: PageSource,
        cache: Cache,
        compiled: Compiled,
        *,
        wiki: str,
        ttl: float = 3600.0,
        max_concurrent_batches: int = 4,
        citations: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.source = source
        self.cache = cache
        self.compiled = compiled
        self.wiki = wiki
        self.ttl = ttl
        self.clock = clock
        self.citations = citations
        #: the extraction's identity in cache keys: extractor version and options
        self.version = EXTRACTOR_VERSION + ("+citations" if citations else "")
        self._batches = asyncio.Semaphore(max_concurrent_batches)
        self._inflight: dict[str, asyncio.Future[Outcome]] = {}

    async def get(self, title: str) -> Description:
        """The description of ``title``; NotFound, InvalidTitle or UpstreamUnavailable if none."""
        outcome = (await self.get_many([title]))[title]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def get_many(self, titles: Iterable[str]) -> dict[str, Outcome]:
        """Each title's description, or the exception saying why there is none."""
        outcomes: dict[str, Outcome] = {}
        canonical: dict[str, str] = {}
        for title in titles:
            try:
                canonical[title] = canonical_title(title)
            except InvalidTitle as exc:
                outcomes[title] = exc
        known: dict[str, Outcome] = {}
        fresh: dict[str, Pointer] = {}
        to_check: dict[str, Pointer] = {}
        to_fetch: list[str] = []
        now = self.clock()
        for title in dict.fromkeys(canonical.values()):
            pointer = self._pointer(title)
            if pointer is None:
                to_fetch.append(title)
            elif now - pointer.checked < self.ttl:
                fresh[title] = pointer
            else:
                to_check[title] = pointer
        if to_check:
            known.update(await self._revalidate(to_check, fresh, to_fetch))
        known.update(await self._from_cache(fresh, to_fetch))
        if to_fetch:
            known.update(await self._fetch_all(to_fetch))
        for title, name in canonical.items():
            outcomes[title] = known[name]
        return outcomes

    async def statements(
        self, described: Description, *, node: str | None = None, incoming_limit: int = 0
    ) -> Description:
        """The resource's description as served: its page's statements plus, up to
        ``incoming_limit`` linking pages, their statements about it (when those cannot be
        fetched, the description is marked stale); for an intermediate ``node`` (its encoded
        name) the statements about that node. NotFound if the page has no such node."""
        if node is not None:
            iri = DBR + node
            found = [t for t in described.triples if iri in (t.subject, t.object)]
            if not found:
                raise NoSuchNode(described.title, node)
            return replace(described, triples=found)
        if incoming_limit <= 0:
            return described
        try:
            incoming = await self.incoming(described.title, incoming_limit)
        except (UpstreamUnavailable, UpstreamError):
            return replace(described, stale=True)
        return replace(described, triples=[*described.triples, *incoming])

    async def incoming(self, title: str, limit: int) -> list[Triple]:
        """Statements of up to ``limit`` linking pages whose object is ``title``'s resource
        (kept for ``ttl`` seconds)."""
        key = incoming_key(self.wiki, title, limit)
        cached = self.cache.get(key)
        if cached is not None:
            try:
                return decode_triples(cached)
            except CorruptRecord:
                self.cache.delete(key)
        target = IRI(resource_iri(title))
        outcomes = await self.get_many(await self.backlinks(title, limit))
        found = [
            triple
            for outcome in outcomes.values()
            if isinstance(outcome, Description)
            for triple in outcome.triples
            if triple.object == target and triple.subject != target
        ]
        self.cache.set(key, encode_triples(found), expire=self.ttl)
        return found

    async def backlinks(self, title: str, limit: int) -> list[str]:
        """Up to ``limit`` articles linking to ``title`` (kept for ``ttl`` seconds)."""
        key = backlinks_key(self.wiki, title, limit)
        cached = self.cache.get(key)
        if cached is not None:
            try:
                return decode_titles(cached)
            except CorruptRecord:
                self.cache.delete(key)
        linking = (await self.source.backlinks(title, 0, limit))[:limit]
        self.cache.set(key, encode_titles(linking), expire=self.ttl)
        return linking

    def cached_descriptions(self, limit: int) -> Iterator[Description]:
        """Up to ``limit`` descriptions the cache holds for this extractor version, without
        any upstream request."""
        prefix = make_key("pointer", self.wiki) + "/"
        count = 0
        for key in self.cache.keys(prefix):
            if count >= limit:
                return
            title = split_key(key)[-1]
            pointer = self._pointer(title)
            if pointer is None or pointer.target != title:
                continue
            described = self._describe(pointer)
            if described is not None:
                count += 1
                yield described

    def fresh_pointer(self, title: str) -> Pointer | None:
        """Where ``title`` leads, if known and fresh (no upstream request, nothing decoded)."""
        pointer = self._pointer(title)
        if pointer is None or self.clock() - pointer.checked >= self.ttl:
            return None
        return pointer

    # -- freshness ------------------------------------------------------------------------------

    async def _revalidate(
        self, pointers: dict[str, Pointer], fresh: dict[str, Pointer], to_fetch: list[str]
    ) -> dict[str, Outcome]:
        """One batched lastrevid check: unchanged pages are touched and join ``fresh``, changed
        ones ``to_fetch``; when upstream fails, the cached descriptions marked stale."""
        try:
            latest = await self.source.last_revisions(list(pointers))
        except (UpstreamUnavailable, UpstreamError) as exc:
            return {title: self._stale_or(pointer, exc) for title, pointer in pointers.items()}
        now = self.clock()
        for title, pointer in pointers.items():
            if latest.get(title) != pointer.revision:
                to_fetch.append(title)
                continue
            touched = replace(pointer, checked=now)
            self.cache.set(pointer_key(self.wiki, title), encode_pointer(touched))
            fresh[title] = touched
        return {}

    async def _from_cache(
        self, pointers: dict[str, Pointer], to_fetch: list[str]
    ) -> dict[str, Outcome]:
        """Descriptions of fresh pointers from their cached graphs; pages whose graph is missing
        (a new extractor version, a discarded entry) are re-extracted from their cached raw
        page, and fetched when that is gone too."""
        outcomes: dict[str, Outcome] = {}
        to_extract: dict[str, tuple[Pointer, PageRecord]] = {}
        for title, pointer in pointers.items():
            described = self._describe(pointer)
            page = self._cached_page(pointer) if described is None else None
            if described is not None:
                outcomes[title] = described
            elif page is not None:
                to_extract[title] = (pointer, page)
            else:
                to_fetch.append(title)
        if to_extract:
            pages = [page for _, page in to_extract.values()]
            extracted, complete = await self._extract_pages(pages)
            for title, (pointer, page) in to_extract.items():
                outcomes[title] = self._keep(pointer, extracted[page.title], complete)
        return outcomes

    # -- fetching -------------------------------------------------------------------------------

    async def _fetch_all(self, titles: list[str]) -> dict[str, Outcome]:
        """Fetch titles 50 per request, concurrently; join fetches already under way."""
        loop = asyncio.get_running_loop()
        waiting: dict[str, asyncio.Future[Outcome]] = {}
        mine: list[str] = []
        for title in titles:
            if title in self._inflight:
                waiting[title] = self._inflight[title]
            else:
                self._inflight[title] = waiting[title] = loop.create_future()
                mine.append(title)
        batches = [mine[i : i + BATCH_SIZE] for i in range(0, len(mine), BATCH_SIZE)]
        await asyncio.gather(*(self._fetch_batch(batch) for batch in batches))
        return {title: await future for title, future in waiting.items()}

    async def _fetch_batch(self, titles: list[str]) -> None:
        try:
            async with self._batches:
                outcomes = await self._fetch_and_extract(titles)
        except (UpstreamUnavailable, UpstreamError) as exc:
            outcomes = {title: self._stale_or(self._pointer(title), exc) for title in titles}
        except Exception as exc:  # never leave a waiter hanging
            outcomes = {title: exc for title in titles}
        for title in titles:
            future = self._inflight.pop(title)
            future.set_result(outcomes[title])

    async def _fetch_and_extract(self, titles: list[str]) -> dict[str, Outcome]:
        result = await self.source.fetch(titles)
        outcomes: dict[str, Outcome] = {}
        sources_of: dict[str, list[str]] = {}
        for origin, target in result.redirects:
            sources_of.setdefault(target, []).append(origin)
        for title in titles:
            if title in result.invalid:
                outcomes[title] = InvalidTitle(result.invalid[title])
            elif title not in result.pages:
                outcomes[title] = NotFound(title)
        extracted, complete = await self._extract_pages(
            [result.pages[title] for title in titles if title not in outcomes]
        )
        now = self.clock()
        for title in titles:
            if title in outcomes:
                continue
            page = result.pages[title]
            known = self._pointer(page.title)
            redirects = sorted(
                {*(known.redirects if known else []), *sources_of.get(page.title, [])}
            )
            pointer = Pointer(page.title, page.revision_id, now, redirects, page.timestamp)
            self.cache.set(page_key(self.wiki, page.title, page.revision_id), encode_page(page))
            self.cache.set(pointer_key(self.wiki, page.title), encode_pointer(pointer))
            if title != page.title:
                self.cache.set(pointer_key(self.wiki, title), encode_pointer(pointer))
            outcomes[title] = self._keep(pointer, extracted[page.title], complete)
        return outcomes

    async def _extract_pages(
        self, pages: Iterable[PageRecord]
    ) -> tuple[dict[str, list[Triple]], bool]:
        """Each page's triples (extracted in worker threads), with templates that redirect to
        mapped ones mapped and redirect titles among mapping-based objects replaced by their
        targets; False when upstream could not answer every redirect question (the triples
        are then usable, but not to be cached)."""
        pages = {page.title: page for page in pages}
        templates, templates_known = await self._redirects(
            "template", self._unmapped_templates(pages.values()), self.source.template_redirects
        )
        extracted = {
            title: await asyncio.to_thread(self._extract, page, templates)
            for title, page in pages.items()
        }
        objects, objects_known = await self._redirects(
            "object", _mapped_objects(extracted.values()), self.source.resolve_redirects
        )
        for triples in extracted.values():
            for index, triple in enumerate(triples):
                target = objects.get(_object_title(triple))
                if target:
                    triples[index] = triple._replace(object=IRI(resource_iri(target)))
        return extracted, templates_known and objects_known

    def _keep(self, pointer: Pointer, triples: list[Triple], complete: bool) -> Description:
        """The description of a fresh extraction, its graph cached when ``complete`` (else it
        is served marked stale, and extracted again next time)."""
        if complete:
            key = graph_key(self.wiki, pointer.target, pointer.revision, self.version)
            self.cache.set(key, encode_triples(triples))
        return replace(self._assemble(pointer, triples), stale=not complete)

    def _extract(self, page: PageRecord, template_redirects: dict[str, str]) -> list[Triple]:
        ontology, mappings = self.compiled.ontology, self.compiled.mappings
        return extract_page(page, ontology, mappings, template_redirects, citations=self.citations)

    def _unmapped_templates(self, pages: Iterable[PageRecord]) -> set[str]:
        mappings = self.compiled.mappings
        names: set[str] = set()
        for page in pages:
            names |= template_names(page.wikitext)
        return {name for name in names if mappings.lookup(name) is None}

    async def _redirects(
        self,
        kind: str,
        names: set[str],
        lookup: Callable[[list[str]], Awaitable[dict[str, str]]],
    ) -> tuple[dict[str, str], bool]:
        """Where each of ``names`` (templates or pages) redirects, for those that do, asking
        upstream (batched) only about names not answered in the last week; answers, "no
        redirect" included, are cached. False when upstream could not be asked."""
        known: dict[str, str] = {}
        unknown: list[str] = []
        for name in sorted(names):
            answer = self.cache.get(redirect_key(self.wiki, kind, name))
            if answer is None:
                unknown.append(name)
            elif answer:
                known[name] = answer.decode("utf-8", "replace")
        if not unknown:
            return known, True
        try:
            found = await lookup(unknown)
        except (UpstreamUnavailable, UpstreamError):
            return known, False
        for name in unknown:
            target = found.get(name, "")
            self.cache.set(
                redirect_key(self.wiki, kind, name), target.encode(), expire=REDIRECT_TTL
            )
        return known | found, True

    # -- cache ----------------------------------------------------------------------------------

    def _pointer(self, title: str) -> Pointer | None:
        key = pointer_key(self.wiki, title)
        data = self.cache.get(key)
        if data is None:
            return None
        try:
            return decode_pointer(data)
        except CorruptRecord:
            self.cache.delete(key)
            return None

    def _describe(self, pointer: Pointer) -> Description | None:
        """The cached description a pointer leads to, if its graph (for this extractor
        version) is cached."""
        key = graph_key(self.wiki, pointer.target, pointer.revision, self.version)
        data = self.cache.get(key)
        if data is None:
            return None
        try:
            return self._assemble(pointer, decode_triples(data))
        except CorruptRecord:
            self.cache.delete(key)
            return None

    def _cached_page(self, pointer: Pointer) -> PageRecord | None:
        """The raw page record of a pointer's revision, if cached."""
        key = page_key(self.wiki, pointer.target, pointer.revision)
        data = self.cache.get(key)
        if data is None:
            return None
        try:
            return decode_page(data)
        except CorruptRecord:
            self.cache.delete(key)
            return None

    def _stale_or(self, pointer: Pointer | None, error: Exception) -> Outcome:
        """stale-if-error: the cached description marked stale, else the upstream error."""
        described = self._describe(pointer) if pointer is not None else None
        return error if described is None else replace(described, stale=True)

    def _assemble(self, pointer: Pointer, triples: list[Triple]) -> Description:
        target = resource_iri(pointer.target)
        redirects = [
            Triple(resource_iri(origin), DBO + "wikiPageRedirects", IRI(target), "redirects")
            for origin in pointer.redirects
        ]
        return Description(
            pointer.target,
            pointer.revision,
            [*triples, *redirects],
            pointer.checked,
            timestamp=pointer.timestamp,
        )


def _object_title(triple: Triple) -> str:
    """The page title a mapping-based statement's object names ("" if it names none)."""
    obj = triple.object
    if triple.extractor not in RESOLVED_EXTRACTORS or not isinstance(obj, IRI):
        return ""
    if not obj.startswith(DBR) or "__" in obj:
        return ""
    try:
        return title_from_iri(obj)
    except InvalidTitle:
        return ""


def _mapped_objects(graphs: Iterable[list[Triple]]) -> set[str]:
    return {title for triples in graphs for triple in triples if (title := _object_title(triple))}
