"""Getting the compiled ontology and mappings: from a mappings wiki (Action API) or from a
directory of XML exports, compiled once and cached under ``<cache dir>/compiled``.

With an API URL, the compilation last synced from that URL is reused until ``sync`` is asked
for (``dbod mappings sync``); on first use, with nothing cached, it is synced automatically.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dbod.compiled import (
    ONTOLOGY_CLASS_NS,
    ONTOLOGY_PROPERTY_NS,
    Compiled,
    compile_pages,
    compiled_path,
    load_compiled,
    mapping_namespace,
    pages_from_exports,
    write_atomically,
)
from dbod.progress import Progress
from dbod.settings import Settings
from dbod.sources.mediawiki import MediaWikiSource


def load_mappings(settings: Settings, *, sync: bool = False) -> Compiled:
    """The compiled ontology and mappings the settings name (syncing a wiki when needed)."""
    cache_dir = settings.cache_dir
    if not settings.mappings_from_wiki:
        exports = Path(settings.mappings).expanduser()
        pages = pages_from_exports(exports, settings.lang, cache_dir / "dumps")
        return compile_pages(*pages, settings.lang, cache_dir)
    marker = _marker(cache_dir, settings.mappings, settings.lang)
    if not sync and marker.is_file():
        compiled = load_compiled(Path(marker.read_text("utf-8").strip()))
        if compiled is not None:
            return compiled
    with MediaWikiSource(settings.mappings, contact=settings.contact) as source:
        ontology_pages = _namespace_pages(
            source, (ONTOLOGY_CLASS_NS, ONTOLOGY_PROPERTY_NS), "ontology"
        )
        mapping_ns = mapping_namespace(settings.lang)
        mapping_pages = _namespace_pages(source, (mapping_ns,), "mappings")
    compiled = compile_pages(ontology_pages, mapping_pages, settings.lang, cache_dir)
    path = compiled_path(cache_dir, settings.lang, compiled.digest)
    write_atomically(marker, str(path).encode())
    return compiled


def _marker(cache_dir: Path, url: str, lang: str) -> Path:
    name = hashlib.sha256(f"{url}\0{lang}".encode()).hexdigest()[:24]
    return cache_dir / "compiled" / f"synced-{name}.path"


def _namespace_pages(
    source: MediaWikiSource, namespaces: tuple[int, ...], label: str
) -> list[tuple[str, str]]:
    pages: list[tuple[str, str]] = []
    with Progress(f"syncing {label} pages") as progress:
        for namespace in namespaces:
            for page in source.pages_in_namespace(namespace):
                pages.append(page)
                progress.advance()
    return pages
