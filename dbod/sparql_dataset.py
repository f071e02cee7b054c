"""The on-demand Dataset: sparql_lite asks for triple patterns, the core fetches the resources
they are about, 50 titles per upstream request.

* A pattern with a DBpedia resource as subject loads that resource's page.
* ``?s <p> <dbr:X>`` loads X and the pages linking to X (its backlinks) as candidate subjects.
* Before each join step the executor's prefetch hint names every subject (and object) the step
  will need; they are loaded in one ``get_many`` call.
* A pattern anchored on no resource (``?s a dbo:City``) is answered from what is cached only;
  ``cache_only`` then tells the caller the answer may be incomplete.
* A resource with more linking pages than ``backlink_limit`` has only that many read;
  ``backlinks_truncated`` then tells the caller the answer may be incomplete.
* A page that cannot be fetched because Wikipedia is unreachable fails the query (an answer
  without it would be silently wrong).

It is called from the executor's worker thread and runs the core's coroutines on the event
loop that owns the core. ``max_resources`` bounds the pages one query may load: past it,
LimitExceeded("resources_fetched", max) is raised and the query fails (no partial answer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Coroutine, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import rdflib
from rdflib.term import Identifier

from dbod.core import Core, Description
from dbod.settings import Settings
from dbod.sources.mediawiki import UpstreamError, UpstreamUnavailable
from extractors.rdf import DBR, to_rdflib
from extractors.titles import InvalidTitle, title_from_iri
from sparql_lite import InMemoryDataset, LimitExceeded, Limits, Query, execute
from sparql_lite.results import AskResult, SelectResult

T = TypeVar("T")


class OnDemandDataset:
    """A sparql_lite Dataset over DBpedia on Demand (see the module docstring)."""

    def __init__(
        self,
        core: Core,
        loop: asyncio.AbstractEventLoop,
        *,
        max_resources: int = 200,
        backlink_limit: int = 50,
        max_cached: int = 10_000,
    ) -> None:
        self.core = core
        self.loop = loop
        self.max_resources = max_resources
        self.backlink_limit = backlink_limit
        self.max_cached = max_cached
        self.index = InMemoryDataset()
        self.loaded: set[str] = set()
        self.with_backlinks: set[str] = set()
        self.cache_only = False
        self.backlinks_truncated = False
        self._cached_loaded = False

    # -- the Dataset protocol --------------------------------------------------------------------

    def triples(
        self, subject: Identifier | None, predicate: Identifier | None, object: Identifier | None
    ) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
        subject_title = _title(subject)
        object_title = _title(object)
        if subject_title is not None:
            self._load([subject_title])
        elif subject is None and object_title is not None:
            self._load_with_backlinks([object_title])
        elif subject is None:
            self._load_cached()
        return self.index.triples(subject, predicate, object)

    def estimate(
        self, subject: Identifier | None, predicate: Identifier | None, object: Identifier | None
    ) -> int:
        if _title(subject) is not None or (subject is not None and object is not None):
            return 20
        if _title(object) is not None:
            return 200
        if subject is not None:
            return 50
        return 100_000 if predicate is not None or object is not None else 10_000_000

    def prefetch(
        self, subjects: Collection[Identifier] = (), objects: Collection[Identifier] = ()
    ) -> None:
        self._load(title for title in map(_title, subjects) if title is not None)
        self._load_with_backlinks(title for title in map(_title, objects) if title is not None)

    # -- loading ---------------------------------------------------------------------------------

    @property
    def fetched(self) -> int:
        """Pages this query has loaded so far."""
        return len(self.loaded)

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def _load(self, titles: Iterable[str]) -> None:
        wanted = [title for title in dict.fromkeys(titles) if title not in self.loaded]
        if not wanted:
            return
        if len(self.loaded) + len(wanted) > self.max_resources:
            raise LimitExceeded("resources_fetched", self.max_resources)
        self.loaded.update(wanted)
        outcomes = self._run(self.core.get_many(wanted))
        for outcome in outcomes.values():
            if isinstance(outcome, Description):
                self._add(outcome)
            elif isinstance(outcome, UpstreamUnavailable | UpstreamError):
                raise outcome  # an answer without these pages would be silently wrong

    def _load_with_backlinks(self, titles: Iterable[str]) -> None:
        wanted = [title for title in dict.fromkeys(titles) if title not in self.with_backlinks]
        if not wanted:
            return
        self.with_backlinks.update(wanted)
        self._load(wanted)
        self._load(title for titles in self._run(self._backlinks(wanted)) for title in titles)

    async def _backlinks(self, titles: list[str]) -> list[list[str]]:
        """The linking pages of each title, asked concurrently."""
        limit = self.backlink_limit  # one more is asked for, to know whether there are more
        linking = await asyncio.gather(*(self.core.backlinks(title, limit + 1) for title in titles))
        if any(len(found) > limit for found in linking):
            self.backlinks_truncated = True
        return [found[:limit] for found in linking]

    def _load_cached(self) -> None:
        """Everything the cache holds (no upstream request): for unanchored patterns."""
        self.cache_only = True
        if self._cached_loaded:
            return
        self._cached_loaded = True
        for described in self.core.cached_descriptions(self.max_cached):
            self._add(described)

    def _add(self, described: Description) -> None:
        for subject, predicate, obj, _ in described.triples:
            self.index.add(rdflib.URIRef(subject), rdflib.URIRef(predicate), to_rdflib(obj))


def run_query(
    core: Core, loop: asyncio.AbstractEventLoop, settings: Settings, query: Query
) -> tuple[SelectResult | AskResult | rdflib.Graph, OnDemandDataset]:
    """Evaluate ``query`` within the settings' limits (call it from a worker thread; ``loop``
    owns the core). Returns the result and the dataset, which tells what was fetched and
    whether the cache alone answered."""
    dataset = OnDemandDataset(
        core,
        loop,
        max_resources=settings.sparql_max_resources,
        backlink_limit=settings.incoming_limit,
    )
    limits = Limits(wall_time=settings.sparql_timeout, results=settings.sparql_max_results)
    return execute(query, dataset, limits), dataset


@lru_cache(maxsize=65536)
def _title(term: Identifier | None) -> str | None:
    """The page title a DBpedia resource IRI names (an intermediate node: its page's)."""
    if not isinstance(term, rdflib.URIRef) or not term.startswith(DBR):
        return None
    local = str(term)[len(DBR) :].split("__", 1)[0]
    try:
        return title_from_iri(local)
    except InvalidTitle:
        return None
