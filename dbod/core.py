"""The on-demand core: a title in, its DBpedia description out, fresh and cached by revision.

``Core.get_many(titles)`` answers each title from the cache while its pointer is fresh (``ttl``);
a stale pointer costs one batched ``lastrevid`` check per 50 titles ("unchanged": touched, not
refetched or re-extracted); everything else is fetched 50 titles per request, batches running
concurrently within a bound. Concurrent requests for the same uncached title share one upstream
fetch (single flight). When upstream fails, a cached description is served marked ``stale``;
with nothing cached the error is :class:`~dbod.sources.mediawiki.UpstreamUnavailable`.
Objects of mapping-based statements that are redirect titles are replaced by their targets,
as DBpedia releases do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from cache import Cache, make_key, split_key
from dbod.compiled import Compiled
from dbod.sources.mediawiki import FetchResult, UpstreamError, UpstreamUnavailable
from dbod.store import (
    CorruptRecord,
    Pointer,
    decode_page,
    decode_pointer,
    decode_triples,
    encode_page,
    encode_pointer,
    encode_triples,
    graph_key,
    incoming_key,
    page_key,
    pointer_key,
    template_key,
)
from extractors.extract import EXTRACTOR_VERSION, extract_page
from extractors.page import PageRecord
from extractors.rdf import DBO, DBR, IRI, Triple
from extractors.titles import InvalidTitle, canonical_title, resource_iri, title_from_iri
from extractors.wikitext import template_names

BATCH_SIZE = 50
#: seconds a template's redirect (or its absence) is remembered
TEMPLATE_TTL = 7 * 24 * 3600.0
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
        to_check: dict[str, Pointer] = {}
        to_fetch: list[str] = []
        now = self.clock()
        for title in dict.fromkeys(canonical.values()):
            pointer = self._pointer(title)
            if pointer is None:
                to_fetch.append(title)
            elif now - pointer.checked < self.ttl:
                described = self._describe(pointer)
                if described is None:
                    to_fetch.append(title)
                else:
                    known[title] = described
            else:
                to_check[title] = pointer
        if to_check:
            known.update(await self._revalidate(to_check, to_fetch))
        if to_fetch:
            known.update(await self._fetch_all(to_fetch))
        for title, name in canonical.items():
            outcomes[title] = known[name]
        return outcomes

    async def statements(
        self, described: Description, *, node: str | None = None, incoming_limit: int = 0
    ) -> list[Triple]:
        """What a resource's description holds: its page's statements plus, up to
        ``incoming_limit`` linking pages, their statements about it (left out when they cannot
        be fetched); for an intermediate ``node`` (its encoded name) the statements about it.
        NotFound if the page has no such node."""
        if node is not None:
            iri = DBR + node
            found = [t for t in described.triples if iri in (t.subject, t.object)]
            if not found:
                raise NoSuchNode(described.title, node)
            return found
        if incoming_limit <= 0:
            return described.triples
        try:
            incoming = await self.incoming(described.title, incoming_limit)
        except (UpstreamUnavailable, UpstreamError):
            incoming = []
        return [*described.triples, *incoming]

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
        linking = await self.source.backlinks(title, 0, limit)
        outcomes = await self.get_many(linking[:limit])
        found = [
            triple
            for outcome in outcomes.values()
            if isinstance(outcome, Description)
            for triple in outcome.triples
            if triple.object == target and triple.subject != target
        ]
        self.cache.set(key, encode_triples(found), expire=self.ttl)
        return found

    def cached_descriptions(self, limit: int) -> Iterator[Description]:
        """Up to ``limit`` descriptions the cache holds, without any upstream request."""
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
        self, pointers: dict[str, Pointer], to_fetch: list[str]
    ) -> dict[str, Outcome]:
        """One batched lastrevid check; unchanged pages are touched, changed ones refetched."""
        try:
            latest = await self.source.last_revisions(list(pointers))
        except (UpstreamUnavailable, UpstreamError) as exc:
            return {title: self._stale_or(pointer, exc) for title, pointer in pointers.items()}
        outcomes: dict[str, Outcome] = {}
        now = self.clock()
        for title, pointer in pointers.items():
            described = self._describe(pointer) if latest.get(title) == pointer.revision else None
            if described is None:
                to_fetch.append(title)
                continue
            touched = replace(pointer, checked=now)
            self.cache.set(pointer_key(self.wiki, title), encode_pointer(touched))
            outcomes[title] = replace(described, checked=now)
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
        extracted: dict[str, list[Triple]] = {}
        template_redirects = await self._template_redirects(result.pages.values())
        for title in titles:
            if title in result.invalid:
                outcomes[title] = InvalidTitle(result.invalid[title])
            elif title not in result.pages:
                outcomes[title] = NotFound(title)
            else:
                page = result.pages[title]
                if page.title not in extracted:
                    extracted[page.title] = await asyncio.to_thread(
                        self._extract, page, template_redirects
                    )
        await self._resolve_object_redirects(extracted)
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
            self.cache.set(
                graph_key(self.wiki, page.title, page.revision_id, self.version),
                encode_triples(extracted[page.title]),
            )
            self.cache.set(pointer_key(self.wiki, page.title), encode_pointer(pointer))
            if title != page.title:
                self.cache.set(pointer_key(self.wiki, title), encode_pointer(pointer))
            outcomes[title] = self._assemble(pointer, extracted[page.title])
        return outcomes

    def _extract(
        self, page: PageRecord, template_redirects: dict[str, str] | None = None
    ) -> list[Triple]:
        if template_redirects is None:  # only what is cached: no upstream request
            unmapped = self._unmapped_templates([page])
            template_redirects = self._cached_template_redirects(unmapped)[0]
        ontology, mappings = self.compiled.ontology, self.compiled.mappings
        return extract_page(page, ontology, mappings, template_redirects, citations=self.citations)

    def _unmapped_templates(self, pages: Iterable[PageRecord]) -> set[str]:
        mappings = self.compiled.mappings
        names: set[str] = set()
        for page in pages:
            names |= template_names(page.wikitext)
        return {name for name in names if mappings.lookup(name) is None}

    def _cached_template_redirects(self, names: set[str]) -> tuple[dict[str, str], set[str]]:
        """Known template redirects among ``names``, and the names never looked up."""
        known: dict[str, str] = {}
        unknown: set[str] = set()
        for name in names:
            answer = self.cache.get(template_key(self.wiki, name))
            if answer is None:
                unknown.add(name)
            elif answer:
                known[name] = answer.decode("utf-8", "replace")
        return known, unknown

    async def _template_redirects(self, pages: Iterable[PageRecord]) -> dict[str, str]:
        """Redirects of the unmapped templates the pages use, so a template that redirects to a
        mapped one is mapped too; answers (also "no redirect") are cached for a week."""
        known, unknown = self._cached_template_redirects(self._unmapped_templates(pages))
        if unknown:
            try:
                found = await self.source.template_redirects(sorted(unknown))
            except (UpstreamUnavailable, UpstreamError):
                return known
            for name in unknown:
                target = found.get(name, "")
                self.cache.set(template_key(self.wiki, name), target.encode(), expire=TEMPLATE_TTL)
            known.update(found)
        return known

    async def _resolve_object_redirects(self, graphs: dict[str, list[Triple]]) -> None:
        """Replace redirect titles among mapping-based objects by their targets, in place."""
        titles: set[str] = set()
        for triples in graphs.values():
            for triple in triples:
                if triple.extractor in RESOLVED_EXTRACTORS and _is_resource(triple.object):
                    titles.add(_title_of(triple.object))
        titles.discard("")
        if not titles:
            return
        targets = await self.source.resolve_redirects(sorted(titles))
        if not targets:
            return
        for triples in graphs.values():
            for index, triple in enumerate(triples):
                if triple.extractor in RESOLVED_EXTRACTORS and _is_resource(triple.object):
                    target = targets.get(_title_of(triple.object))
                    if target:
                        triples[index] = triple._replace(object=IRI(resource_iri(target)))

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
        """The cached description a pointer leads to; re-extracted from the cached raw page when
        only the extractor version changed; None when it must be fetched."""
        key = graph_key(self.wiki, pointer.target, pointer.revision, self.version)
        data = self.cache.get(key)
        if data is not None:
            try:
                return self._assemble(pointer, decode_triples(data))
            except CorruptRecord:
                self.cache.delete(key)
        raw_key = page_key(self.wiki, pointer.target, pointer.revision)
        raw = self.cache.get(raw_key)
        if raw is None:
            return None
        try:
            page = decode_page(raw)
        except CorruptRecord:
            self.cache.delete(raw_key)
            return None
        triples = self._extract(page)
        self.cache.set(key, encode_triples(triples))
        return self._assemble(pointer, triples)

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


def _is_resource(term: object) -> bool:
    return isinstance(term, IRI) and term.startswith(DBR) and "__" not in term


def _title_of(iri: str) -> str:
    try:
        return title_from_iri(iri)
    except InvalidTitle:
        return ""
