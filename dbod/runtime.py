"""Putting the parts together from settings: page source, cache, mappings, core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from cache import DiskCache
from dbod.core import Core, PageSource
from dbod.mappings_sync import load_mappings
from dbod.settings import Settings
from dbod.sources.dump import DumpSource
from dbod.sources.dump_pages import DumpPages
from dbod.sources.mediawiki import AsyncMediaWikiSource


def open_cache(settings: Settings) -> DiskCache:
    """The on-disk cache the settings name."""
    return DiskCache(settings.cache_dir / "cache", settings.cache_size)


@asynccontextmanager
async def open_core(settings: Settings) -> AsyncIterator[Core]:
    """A Core over the settings' source, cache and mappings; closed on exit."""
    compiled = load_mappings(settings)
    async with AsyncExitStack() as stack:
        cache = open_cache(settings)
        stack.callback(cache.close)
        source: PageSource
        if settings.dump_path is not None:
            dump = DumpSource(settings.dump_path, settings.cache_dir / "dumps")
            stack.callback(dump.close)
            source = DumpPages(dump)
        else:
            wiki = AsyncMediaWikiSource(
                settings.source, contact=settings.contact, lang=settings.lang
            )
            stack.push_async_callback(wiki.aclose)
            source = wiki
        yield Core(
            source,
            cache,
            compiled,
            wiki=settings.source,
            ttl=settings.ttl,
            citations=settings.citations,
        )
