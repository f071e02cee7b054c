"""Putting the parts together from settings: page source, cache, mappings, core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cache import DiskCache
from dbod.core import Core
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
    compiled = load_mappings(settings, contact=settings.contact)
    cache = open_cache(settings)
    dump_path = settings.dump_path
    try:
        if dump_path is not None:
            dump = DumpSource(dump_path, settings.cache_dir / "dumps")
            try:
                yield Core(
                    DumpPages(dump),
                    cache,
                    compiled,
                    wiki=settings.source,
                    ttl=settings.ttl,
                    citations=settings.citations,
                )
            finally:
                dump.close()
        else:
            source = AsyncMediaWikiSource(
                settings.source, contact=settings.contact, lang=settings.lang
            )
            try:
                yield Core(
                    source,
                    cache,
                    compiled,
                    wiki=settings.source,
                    ttl=settings.ttl,
                    citations=settings.citations,
                )
            finally:
                await source.aclose()
    finally:
        cache.close()
