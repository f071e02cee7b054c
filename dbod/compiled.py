"""Compiled ontology and mappings: built once from the mappings wiki's pages, cached as a pickle.

The cache key is a digest of the inputs (the pages' titles and wikitext, the language) and of
the compiler's version, so changed mappings or a new compiler are recompiled and nothing stale is
ever loaded. Writing is atomic (temporary file, then rename).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import extractors.mappings
import extractors.ontology
import extractors.rdf
import extractors.units
from dbod.sources.dump import DumpSource
from extractors.mappings import Mappings, build_mappings
from extractors.ontology import Ontology, build_ontology

#: The modules whose code decides the compiled form; their source is part of the cache key.
COMPILER_MODULES = (extractors.ontology, extractors.mappings, extractors.units, extractors.rdf)

ONTOLOGY_CLASS_NS = 200
ONTOLOGY_PROPERTY_NS = 202
MAPPING_NS = {"en": 204}


def mapping_namespace(lang: str) -> int:
    """The mappings wiki's namespace holding ``lang``'s template mappings."""
    try:
        return MAPPING_NS[lang]
    except KeyError:
        raise ValueError(f"no mapping namespace is known for language {lang!r}") from None


@dataclass(frozen=True)
class Compiled:
    """The ontology and one language's template mappings, ready for extraction."""

    ontology: Ontology
    mappings: Mappings
    digest: str


def inputs_digest(
    ontology_pages: list[tuple[str, str]], mapping_pages: list[tuple[str, str]], lang: str
) -> str:
    """A digest of everything compilation depends on."""
    digest = hashlib.sha256(f"{lang}\0".encode())
    for module in COMPILER_MODULES:
        digest.update(Path(module.__file__ or "").read_bytes())
    for title, text in (*ontology_pages, ("\0mappings\0", ""), *mapping_pages):
        digest.update(title.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def compile_pages(
    ontology_pages: Iterable[tuple[str, str]],
    mapping_pages: Iterable[tuple[str, str]],
    lang: str,
    cache_dir: Path,
) -> Compiled:
    """Compile (title, wikitext) pages, or load the cached compilation of the same inputs."""
    ontology_pages = sorted(ontology_pages)
    mapping_pages = sorted(mapping_pages)
    digest = inputs_digest(ontology_pages, mapping_pages, lang)
    path = compiled_path(cache_dir, lang, digest)
    cached = load_compiled(path)
    if cached is not None and cached.digest == digest:
        return cached
    ontology = build_ontology(ontology_pages)
    compiled = Compiled(ontology, build_mappings(mapping_pages, ontology, lang), digest)
    write_atomically(path, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
    return compiled


def compiled_path(cache_dir: Path, lang: str, digest: str) -> Path:
    """Where the compilation of inputs with this digest is cached."""
    return cache_dir / "compiled" / f"mappings-{lang}-{digest[:24]}.pickle"


def load_compiled(path: Path) -> Compiled | None:
    """A cached compilation, or None when absent or unreadable (it is then rebuilt)."""
    try:
        with path.open("rb") as handle:
            compiled = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return compiled if isinstance(compiled, Compiled) else None


def pages_from_exports(
    directory: Path, lang: str, index_dir: Path
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Ontology and mapping pages from ``ontology.xml`` and ``Mapping_<lang>.xml`` exports."""
    ontology_file = directory / "ontology.xml"
    mapping_file = directory / f"Mapping_{lang}.xml"
    for path in (ontology_file, mapping_file):
        if not path.is_file():
            raise FileNotFoundError(f"the mappings directory {directory} has no {path.name}")
    with DumpSource(ontology_file, index_dir) as source:
        ontology_pages = _pages(source, (ONTOLOGY_CLASS_NS, ONTOLOGY_PROPERTY_NS))
    with DumpSource(mapping_file, index_dir) as source:
        mapping_pages = _pages(source, (mapping_namespace(lang),))
    return ontology_pages, mapping_pages


def _pages(source: DumpSource, namespaces: Iterable[int]) -> list[tuple[str, str]]:
    pages = []
    for namespace in namespaces:
        for title in source.titles(namespace):
            record = source.get(title, follow_redirects=False)
            if record is not None:
                pages.append((record.title, record.wikitext))
    return pages


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
