"""Page records from a MediaWiki XML export, looked up by title through a persistent index.

``DumpSource(dump, index_dir)`` reads a ``pages-articles`` style export (schema 0.8 to 0.11,
plain ``.xml`` or ``.xml.bz2``) and answers ``get(title) -> PageRecord | None`` without
scanning the dump: the first open streams the whole file once and writes an index, every
later open (same dump: same absolute path, size and mtime) reuses it.

The index
    A SQLite file in ``index_dir``: table ``pages`` maps each canonical title to the byte
    offset and byte length of its ``<page>`` element in the XML, with the page's namespace,
    page id and canonical redirect target; table ``meta`` holds the dump's identity, the
    counts, the export schema version, the language and the namespace table of
    ``<siteinfo><namespaces>``. Titles, asked for or read from the dump, are canonicalized by
    :func:`extractors.titles.canonical_title` with that namespace table (English when the dump
    has no siteinfo), so ``category:foo_bar`` finds ``Category:Foo bar`` and a German dump's
    ``Kategorie:`` prefix works. The index is built by ``xml.parsers.expat`` in one streaming
    pass; expat's ``CurrentByteIndex`` gives byte (not character) positions that do not depend
    on how the input was chunked, and every recorded start and end is checked against the
    bytes (``<`` ... ``</page>``) as it is recorded.

    Building is atomic: the index (and the decompressed copy, below) are written to temporary
    files, fsynced and renamed into place, the index last, so a crash leaves at worst an
    untrusted temporary file (removed by the next build once its process is gone), never a
    half index. An index whose metadata does not match the dump is rebuilt; indexes of older
    versions of the same dump file are deleted after a successful build.

Why ``.bz2`` dumps get a decompressed copy
    A single bzip2 stream cannot be entered in the middle: its blocks start at arbitrary *bit*
    offsets and the standard library only decodes a stream from its beginning, so reading one
    page at the end of a 6 MB single-stream dump would mean decompressing all of it. While
    indexing, the decompressed XML is therefore also written, in the same streaming pass, to
    ``<index_dir>/<dump>.<key>.xml``, and offsets refer to that copy; a lookup is then one
    ``os.pread`` of exactly the page's bytes. The cost is disk space (about 4-5 times the
    compressed size), paid once per dump version. Multistream dumps (many concatenated
    streams) go through the very same path: the decompressor simply moves on to the next
    stream, so there is one code path and no stream-offset index.

Lookups
    ``get(title)`` canonicalizes (:class:`~extractors.titles.InvalidTitle` propagates for an
    impossible title), looks the title up, reads exactly that page's bytes and parses them
    with ElementTree. A title absent from the dump gives ``None``. Redirects are followed (at
    most ``max_redirects`` hops) and the *target's* record is returned, so
    ``record.title != source.canonical(title)`` tells that the title was a redirect;
    ``resolve(title)`` gives that final title from the index alone and ``redirects_to(title)``
    the titles of the pages redirecting to a title. Where a chain cannot be followed to its end:

    * the target is not in the dump: the last redirect page of the chain is returned (its
      ``redirect`` field names the missing target);
    * the chain loops or is longer than ``max_redirects``: nothing is followed, the requested
      page's own record is returned (and a warning logged).

    In every case ``resolve(t) == get(t).title``. ``get(t, follow_redirects=False)`` returns the
    redirect page itself. A page with several revisions yields its last one; timestamps are as
    in the dump (``2016-04-29T10:45:13Z``).

Errors
    A dump that is not well-formed, truncated, or not bzip2 when named ``.bz2`` raises
    :class:`DumpError` naming the file and the byte offset: the file offset for ``.xml``; for
    ``.bz2`` the offset in the decompressed XML together with how far the compressed file had
    been read, or, for damage to the compression itself, the range of compressed bytes being
    decoded (bzip2 checks a block's CRC only at the block's end, so a position inside that
    range is all that can be given). ``DumpError.offset`` and ``DumpError.offset_kind``
    (``"file"``, ``"decompressed"`` or ``"compressed"``) carry the same information.
"""

from __future__ import annotations

import bz2
import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple
from xml.parsers import expat

from extractors.page import PageRecord
from extractors.titles import (
    ENGLISH,
    ENGLISH_NAMESPACE_ALIASES,
    ENGLISH_NAMESPACES,
    InvalidTitle,
    Namespaces,
    canonical_title,
)

__all__ = ["DumpError", "DumpSource"]

logger = logging.getLogger(__name__)

#: Bumped whenever the index layout or its meaning changes; older indexes are rebuilt.
INDEX_FORMAT = 1
#: Export schema versions this reader is written for (others are read, with a warning).
SUPPORTED_SCHEMAS = ("0.8", "0.9", "0.10", "0.11")
#: Bytes read from a plain ``.xml`` dump per step while indexing.
READ_CHUNK = 1 << 20
#: Compressed bytes read from a ``.bz2`` dump per step (also the precision of its error offsets).
BZ2_READ_CHUNK = 1 << 16
#: Most decompressed bytes produced, and fed to the XML parser, per step.
DECOMPRESS_CHUNK = 1 << 20
#: Redirect hops ``get`` and ``resolve`` follow by default.
MAX_REDIRECTS = 5

_SCHEMA_SQL = """
CREATE TABLE pages (
    title     TEXT PRIMARY KEY,
    namespace INTEGER NOT NULL,
    page_id   INTEGER NOT NULL,
    offset    INTEGER NOT NULL,
    length    INTEGER NOT NULL,
    redirect  TEXT
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_INDEXES_SQL = """
CREATE INDEX pages_redirect ON pages (redirect) WHERE redirect IS NOT NULL;
CREATE INDEX pages_namespace ON pages (namespace);
"""
_SCHEMA_FROM_XMLNS = re.compile(r"mediawiki\.org/xml/export-(\d+\.\d+)/?$")


class DumpError(Exception):
    """A dump that cannot be read: corrupt, truncated or not a MediaWiki export.

    The message names the file and the byte offset; ``offset_kind`` says what the offset counts:
    ``"file"`` (bytes of the plain ``.xml`` file), ``"decompressed"`` (bytes of the XML inside a
    ``.bz2``) or ``"compressed"`` (bytes of the ``.bz2`` file itself).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        reason: str,
        offset: int | None = None,
        offset_kind: str = "file",
        where: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.reason = reason
        self.offset = offset
        self.offset_kind = offset_kind
        if where is None and offset is not None:
            kind = "" if offset_kind == "file" else f"{offset_kind} "
            where = f"at {kind}byte offset {offset}"
        super().__init__(f"{self.path}: {reason}" + (f" ({where})" if where else ""))


class _Row(NamedTuple):
    title: str
    namespace: int
    page_id: int
    offset: int
    length: int
    redirect: str | None


@dataclass(frozen=True)
class _Identity:
    """Which index files belong to which dump version."""

    dump: Path
    size: int
    mtime_ns: int
    compressed: bool
    index_dir: Path

    @property
    def family(self) -> str:
        """File-name prefix shared by every version of this dump (name + path digest)."""
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", self.dump.name)[:80]
        digest = hashlib.sha256(str(self.dump).encode("utf-8", "surrogateescape")).hexdigest()
        return f"{name}.{digest[:12]}"

    @property
    def stem(self) -> str:
        version = hashlib.sha256(f"{self.dump}\0{self.size}\0{self.mtime_ns}".encode()).hexdigest()
        return f"{self.family}.{version[:12]}"

    @property
    def index_path(self) -> Path:
        return self.index_dir / f"{self.stem}.sqlite"

    @property
    def data_path(self) -> Path:
        """The file the offsets refer to: the dump itself, or its decompressed copy."""
        return self.index_dir / f"{self.stem}.xml" if self.compressed else self.dump


class DumpSource:
    """Pages of one MediaWiki XML dump, by title, through an index kept in ``index_dir``.

    Opening builds the index if no valid one exists (``built`` tells whether this instance did);
    the object is safe to share between threads. See the module docstring for the semantics.
    """

    def __init__(
        self,
        dump: str | os.PathLike[str],
        index_dir: str | os.PathLike[str],
        *,
        max_redirects: int = MAX_REDIRECTS,
    ) -> None:
        path = Path(os.path.abspath(dump))
        stat = path.stat()
        self.path = path
        self.max_redirects = max_redirects
        self._identity = _Identity(
            path,
            stat.st_size,
            stat.st_mtime_ns,
            path.suffix.lower() == ".bz2",
            Path(os.path.abspath(index_dir)),
        )
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._fd: int | None = None
        self.built = False
        if not self._open_index():
            _build_index(self._identity)
            self.built = True
            if not self._open_index():
                raise RuntimeError(f"the index {self.index_path} just built does not validate")

    # -- opening ------------------------------------------------------------------------------

    @property
    def index_path(self) -> Path:
        """The SQLite index file."""
        return self._identity.index_path

    @property
    def data_path(self) -> Path:
        """The XML file page offsets point into (the decompressed copy for ``.bz2``)."""
        return self._identity.data_path

    def _open_index(self) -> bool:
        """Open the index if it exists and belongs to this dump version; False otherwise."""
        ident = self._identity
        if not ident.index_path.is_file():
            return False
        try:
            conn = sqlite3.connect(
                ident.index_path.as_uri() + "?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.Error:
            return False
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            expected = {
                "format": str(INDEX_FORMAT),
                "complete": "1",
                "dump_path": str(ident.dump),
                "dump_size": str(ident.size),
                "dump_mtime_ns": str(ident.mtime_ns),
            }
            if any(meta.get(key) != value for key, value in expected.items()):
                raise ValueError(f"metadata does not match the dump: {meta}")
            data_size = int(meta["data_size"])
            if ident.data_path.stat().st_size != data_size:
                raise ValueError(f"{ident.data_path} does not have the indexed size {data_size}")
            names = {int(k): v for k, v in json.loads(meta["namespace_names"]).items()}
            aliases = json.loads(meta["namespace_aliases"])
            fd = os.open(ident.data_path, os.O_RDONLY)
        except (sqlite3.Error, ValueError, KeyError, OSError) as exc:
            conn.close()
            logger.warning("not using the index %s: %s", ident.index_path, exc)
            return False
        self._conn, self._fd = conn, fd
        self.namespaces = Namespaces(names, aliases)
        self.lang: str = meta.get("lang", "en")
        self.schema_version: str = meta.get("schema_version", "")
        self.build_seconds = float(meta.get("build_seconds", "nan"))
        self._pages = int(meta["pages"])
        self._redirects = int(meta["redirects"])
        return True

    # -- lookups ------------------------------------------------------------------------------

    def canonical(self, title: str) -> str:
        """``title`` in canonical form under this dump's namespaces; InvalidTitle if impossible."""
        return canonical_title(title, self.namespaces)

    def get(self, title: str, *, follow_redirects: bool = True) -> PageRecord | None:
        """The record of page ``title`` (of its redirect target, by default); None if absent."""
        row = self._row(self.canonical(title))
        if row is None:
            return None
        if follow_redirects:
            row = self._final(row)
        return self._read(row)

    def resolve(self, title: str) -> str | None:
        """The title ``get(title)`` returns a record for, from the index alone; None if absent."""
        row = self._row(self.canonical(title))
        return None if row is None else self._final(row).title

    def redirects_to(self, title: str) -> list[str]:
        """Titles of the pages that redirect directly to ``title``, in dump order."""
        key = self.canonical(title)
        rows = self._query("SELECT title FROM pages WHERE redirect = ? ORDER BY rowid", (key,))
        return [title for (title,) in rows]

    def titles(self, namespace: int | None = None, *, redirects: bool = True) -> Iterator[str]:
        """Every indexed title in dump order, optionally of one namespace or without redirects."""
        clauses, params = [], []
        if namespace is not None:
            clauses.append("namespace = ?")
            params.append(namespace)
        if not redirects:
            clauses.append("redirect IS NULL")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT title FROM pages{where} ORDER BY rowid"
        with self._lock:
            cursor = self._connection().execute(sql, params)
        try:
            while True:
                with self._lock:
                    batch = cursor.fetchmany(1000)
                if not batch:
                    return
                for (title,) in batch:
                    yield title
        finally:
            cursor.close()

    @property
    def redirect_count(self) -> int:
        """How many indexed pages are redirects."""
        return self._redirects

    def __len__(self) -> int:
        return self._pages

    def __contains__(self, title: object) -> bool:
        if not isinstance(title, str):
            return False
        try:
            return self._row(self.canonical(title)) is not None
        except InvalidTitle:
            return False

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the index connection and the data file; idempotent."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> DumpSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DumpSource({str(self.path)!r}, pages={self._pages})"

    # -- internals ----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError("the DumpSource is closed")
        return self._conn

    def _query(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    def _row(self, key: str) -> _Row | None:
        rows = self._query(
            "SELECT title, namespace, page_id, offset, length, redirect FROM pages WHERE title = ?",
            (key,),
        )
        return _Row(*rows[0]) if rows else None  # type: ignore[arg-type]

    def _final(self, row: _Row) -> _Row:
        """Where the redirect chain starting at ``row`` ends (see the module docstring)."""
        chain, seen = [row], {row.title}
        while (target := chain[-1].redirect) is not None:
            following = self._row(target)
            if following is None:
                return chain[-1]
            if following.title in seen:
                logger.warning("%s: redirect loop from %r: %s", self.path, row.title, target)
                return row
            if len(chain) > self.max_redirects:
                logger.warning(
                    "%s: more than %d redirects from %r", self.path, self.max_redirects, row.title
                )
                return row
            chain.append(following)
            seen.add(following.title)
        return chain[-1]

    def _read(self, row: _Row) -> PageRecord:
        kind = "decompressed" if self._identity.compressed else "file"
        where = f"page {row.title!r} at {kind} byte offset {row.offset}" + (
            f" of the decompressed copy {self.data_path}" if self._identity.compressed else ""
        )

        def fail(reason: str) -> DumpError:
            return DumpError(self.path, reason, row.offset, kind, where)

        with self._lock:
            fd = self._fd
            if fd is None:
                raise ValueError("the DumpSource is closed")
            data = os.pread(fd, row.length, row.offset)
        if len(data) != row.length:
            raise fail(f"the file ends before the {row.length} bytes of the page")
        try:
            page = ET.fromstring(data)
        except ET.ParseError as exc:
            raise fail(f"the page's bytes are not well-formed XML ({exc})") from None
        if _local(page.tag) != "page":
            raise fail(f"expected a <page> element, found <{page.tag}>")
        raw_title = _text(page, "title")
        if raw_title is None or _canonical_or_raw(raw_title, self.namespaces) != row.title:
            raise fail(f"the bytes hold the page {raw_title!r}: the dump changed after indexing")
        revisions = [child for child in page if _local(child.tag) == "revision"]
        if not revisions:
            raise fail("the page has no <revision>")
        revision = revisions[-1]
        redirect = _child(page, "redirect")
        try:
            return PageRecord(
                title=row.title,
                namespace=int(_text(page, "ns") or row.namespace),
                page_id=int(_text(page, "id") or ""),
                revision_id=int(_text(revision, "id") or ""),
                timestamp=(_text(revision, "timestamp") or "").strip(),
                wikitext=_text(revision, "text") or "",
                redirect=(
                    _redirect_target(redirect.get("title", ""), self.namespaces)
                    if redirect is not None
                    else None
                ),
                lang=self.lang,
            )
        except ValueError as exc:
            raise fail(f"the page has a malformed id ({exc})") from None


# -- element helpers ----------------------------------------------------------------------------


def _local(tag: str) -> str:
    """The local part of an ElementTree tag (``{ns}name``) or an expat qname (``pfx:name``)."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element, name: str) -> str | None:
    child = _child(element, name)
    return None if child is None else (child.text or "")


def _canonical_or_raw(title: str, namespaces: Namespaces) -> str:
    """A dump title in canonical form; a title our rules reject is kept as written."""
    try:
        return canonical_title(title, namespaces)
    except InvalidTitle:
        return title


def _redirect_target(target: str, namespaces: Namespaces) -> str:
    """The canonical title a ``<redirect title=...>`` names (a ``#section`` is dropped)."""
    return _canonical_or_raw(target.partition("#")[0], namespaces)


def _site_namespaces(names: dict[int, str], lang: str) -> Namespaces:
    """A Namespaces from ``<siteinfo><namespaces>``.

    Besides the dump's own names, the English canonical names are accepted (MediaWiki accepts
    them on every wiki) and, for an English dump, the English aliases (``Image:``, ``WP:``...);
    an alias never shadows one of the dump's own names.
    """
    own = Namespaces(names, {})
    candidates = {name: ns for ns, name in ENGLISH_NAMESPACES.items() if name}
    if lang == "en":
        candidates.update(ENGLISH_NAMESPACE_ALIASES)
    aliases = {
        alias: ns
        for alias, ns in candidates.items()
        if ns in names and own.id_of(alias) is None and names[ns] != alias
    }
    return Namespaces(dict(names), aliases)


# -- building -----------------------------------------------------------------------------------


def _build_index(ident: _Identity) -> None:
    """Stream the dump once, write index (and decompressed copy) to temp files, rename them."""
    ident.index_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(ident)
    token = f"{os.getpid()}.{uuid.uuid4().hex[:8]}"
    tmp_index = ident.index_dir / f".{ident.stem}.{token}.sqlite.tmp"
    tmp_copy = ident.index_dir / f".{ident.stem}.{token}.xml.tmp" if ident.compressed else None
    started = time.perf_counter()
    logger.info("indexing %s into %s", ident.dump, ident.index_path)
    conn: sqlite3.Connection | None = None
    copy_fd: int | None = None
    try:
        conn = sqlite3.connect(tmp_index)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA_SQL)
        with open(ident.dump, "rb", buffering=0) as src:
            if tmp_copy is not None:
                copy_fd = os.open(tmp_copy, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            builder = _Builder(ident.dump, src, conn, copy_fd)
            builder.run()
        if copy_fd is not None:
            os.fsync(copy_fd)
            os.close(copy_fd)
            copy_fd = None
        conn.executescript(_INDEXES_SQL)
        meta = {
            "format": INDEX_FORMAT,
            "dump_path": ident.dump,
            "dump_size": ident.size,
            "dump_mtime_ns": ident.mtime_ns,
            "compressed": int(ident.compressed),
            "data_size": builder.fed,
            "pages": builder.pages,
            "redirects": builder.redirects,
            "page_elements": builder.elements,
            "duplicates": builder.duplicates,
            "schema_version": builder.schema_version,
            "lang": builder.lang,
            "siteinfo_namespaces": int(builder.site_names is not None),
            "namespace_names": json.dumps(builder.namespaces.names, ensure_ascii=False),
            "namespace_aliases": json.dumps(builder.namespaces.aliases, ensure_ascii=False),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": f"{time.perf_counter() - started:.3f}",
            "complete": 1,
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
        conn.commit()
        conn.close()
        conn = None
        _fsync_path(tmp_index)
        if tmp_copy is not None:
            os.replace(tmp_copy, ident.data_path)
        os.replace(tmp_index, ident.index_path)
        _fsync_path(ident.index_dir)
    except BaseException:
        if conn is not None:
            conn.close()
        if copy_fd is not None:
            os.close(copy_fd)
        for tmp in (tmp_index, tmp_copy):
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
        raise
    logger.info(
        "indexed %d pages of %s in %.2f s", builder.pages, ident.dump, float(meta["build_seconds"])
    )
    _remove_stale_versions(ident)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a directory
        pass
    finally:
        os.close(fd)


def _remove_orphans(ident: _Identity) -> None:
    """Delete temporary files of builds of this dump whose process no longer exists."""
    for tmp in ident.index_dir.glob(f".{ident.family}.*.tmp"):
        match = re.search(r"\.(\d+)\.[0-9a-f]{8}\.(?:sqlite|xml)\.tmp$", tmp.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        except OSError:  # the process exists (owned by someone else)
            pass


def _remove_stale_versions(ident: _Identity) -> None:
    """Delete the index files of earlier versions (other size/mtime) of the same dump file."""
    for suffix in (".sqlite", ".xml"):
        for old in ident.index_dir.glob(f"{ident.family}.*{suffix}"):
            if old.name != f"{ident.stem}{suffix}":
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
                logger.info("removed the stale index file %s", old)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Builder:
    """One streaming pass over a dump: expat events -> rows of the ``pages`` table."""

    _WANTED = frozenset({"title", "ns", "id"})

    def __init__(
        self, dump: Path, src: BinaryIO, conn: sqlite3.Connection, copy_fd: int | None
    ) -> None:
        self.dump = dump
        self.src = src
        self.conn = conn
        self.copy_fd = copy_fd
        # Offsets are read back from the file they refer to: the dump or the copy being written.
        self.readback_fd = copy_fd if copy_fd is not None else src.fileno()
        self.compressed = copy_fd is not None
        self.compressed_read = 0  # compressed bytes read so far (.bz2)
        self.fed = 0  # XML bytes handed to the parser so far
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.buffer_size = 1 << 16
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars
        self.stack: list[str] = []
        self.collecting: str | None = None
        self.collected: list[str] = []
        self.page: dict[str, str] | None = None
        self.page_start = 0
        self.site_names: dict[int, str] | None = None
        self.ns_key: int | None = None
        self._namespaces: Namespaces | None = None
        self.schema_version = ""
        self.lang = "en"
        self.root_closed = False
        self.rows: list[tuple[object, ...]] = []
        self.elements = 0  # <page> elements seen
        self.pages = self.redirects = self.duplicates = 0  # set by _finish

    @property
    def namespaces(self) -> Namespaces:
        if self._namespaces is None:  # pages before (or without) a siteinfo: English
            self._namespaces = (
                ENGLISH if self.site_names is None else _site_namespaces(self.site_names, self.lang)
            )
        return self._namespaces

    # -- driving --

    def run(self) -> None:
        if self.compressed:
            self._run_bz2()
        else:
            while chunk := self.src.read(READ_CHUNK):
                self._feed(chunk)
        self._finish()

    def _run_bz2(self) -> None:
        decompressor = bz2.BZ2Decompressor()
        while raw := self.src.read(BZ2_READ_CHUNK):
            start = self.compressed_read
            self.compressed_read += len(raw)
            while True:
                if decompressor.eof:  # the next stream of a multistream file
                    decompressor = bz2.BZ2Decompressor()
                try:
                    out = decompressor.decompress(raw, DECOMPRESS_CHUNK)
                except OSError as exc:
                    raise DumpError(
                        self.dump,
                        f"corrupt bzip2 data: {exc}",
                        start,
                        "compressed",
                        f"at compressed byte offset {start}: detected while decoding compressed"
                        f" bytes {start}-{self.compressed_read}, after {self.fed} decompressed"
                        " bytes",
                    ) from None
                if out:
                    self._feed(out)
                if decompressor.eof:
                    raw = decompressor.unused_data
                    if not raw:
                        break
                elif decompressor.needs_input:
                    break
                else:
                    raw = b""
        if not decompressor.eof:
            raise DumpError(
                self.dump,
                "the bzip2 data ends in the middle of a stream: the file is truncated"
                if self.compressed_read
                else "the file is empty",
                self.compressed_read,
                "compressed",
                f"at compressed byte offset {self.compressed_read}, the end of the file,"
                f" after {self.fed} decompressed bytes",
            )

    def _feed(self, data: bytes) -> None:
        if self.copy_fd is not None:
            _write_all(self.copy_fd, data)
        self.fed += len(data)
        try:
            self.parser.Parse(data, False)
        except expat.ExpatError as exc:
            raise self._xml_error(exc) from None

    def _finish(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise self._xml_error(exc, at_end=True) from None
        if not self.root_closed:  # pragma: no cover - expat reports this itself
            raise DumpError(self.dump, "the XML ends before </mediawiki>", self.fed)
        self._flush_rows()
        (self.pages,) = self.conn.execute("SELECT COUNT(*) FROM pages").fetchone()
        (self.redirects,) = self.conn.execute(
            "SELECT COUNT(*) FROM pages WHERE redirect IS NOT NULL"
        ).fetchone()
        self.duplicates = self.elements - self.pages
        if self.duplicates:
            logger.warning(
                "%s: %d pages repeat an earlier title (the last wins)", self.dump, self.duplicates
            )

    def _xml_error(self, exc: expat.ExpatError, at_end: bool = False) -> DumpError:
        index = self.parser.ErrorByteIndex
        offset = self._absolute(index) if index >= 0 else self.fed
        reason = f"malformed or truncated XML: {expat.ErrorString(exc.code)}"
        if at_end:
            reason += f" (the XML ends after {self.fed} bytes, before the document does)"
        if self.compressed:
            where = (
                f"at decompressed byte offset {offset}; the compressed file had been read"
                f" up to byte {self.compressed_read}"
            )
            return DumpError(self.dump, reason, offset, "decompressed", where)
        return DumpError(self.dump, reason, offset, "file")

    def _absolute(self, index: int) -> int:
        """expat's byte index as an absolute offset (it is a C ``long``: 32 bits on some ABIs)."""
        if 0 <= index <= self.fed and self.fed - index < 1 << 31:
            return index
        return self.fed - ((self.fed - index) % (1 << 32))

    def _offset(self) -> int:
        return self._absolute(self.parser.CurrentByteIndex)

    # -- expat handlers --

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        depth = len(self.stack)
        self.stack.append(local)
        if depth == 0:
            if local != "mediawiki":
                raise DumpError(self.dump, f"not a MediaWiki export: the root is <{name}>", 0)
            self._read_root(attrs)
        elif depth == 1 and local == "page":
            start = self._offset()
            if os.pread(self.readback_fd, 1, start) != b"<":  # pragma: no cover - a bug guard
                raise RuntimeError(f"{self.dump}: <page> offset {start} does not point at '<'")
            self.page = {}
            self.page_start = start
        elif depth == 2 and self.page is not None:
            if local in self._WANTED:
                self.collecting = local
                self.collected = []
            elif local == "redirect":
                self.page["redirect"] = attrs.get("title", "")
        elif depth == 3 and local == "namespace" and self.stack[1:3] == ["siteinfo", "namespaces"]:
            try:
                self.ns_key = int(attrs.get("key", ""))
            except ValueError:
                raise DumpError(
                    self.dump, f"a <namespace> with a bad key {attrs!r}", self._offset()
                ) from None
            self.collecting = "namespace"
            self.collected = []

    def _chars(self, data: str) -> None:
        if self.collecting is not None:
            self.collected.append(data)

    def _end(self, name: str) -> None:
        local = self.stack.pop()
        depth = len(self.stack)
        if self.collecting is not None and depth in (2, 3):
            text = "".join(self.collected)
            if self.collecting == "namespace":
                if self.site_names is None:
                    self.site_names = {}
                assert self.ns_key is not None
                self.site_names[self.ns_key] = text.strip()
            elif self.page is not None:
                self.page[self.collecting] = text
            self.collecting = None
        if depth == 1 and local == "page" and self.page is not None:
            self._end_page(name)
        elif depth == 1 and local == "siteinfo":
            self._namespaces = None  # rebuild from the siteinfo just read
        elif depth == 0:
            self.root_closed = True

    def _read_root(self, attrs: dict[str, str]) -> None:
        version = attrs.get("version", "")
        if not version:
            for key, value in attrs.items():
                if key == "xmlns" or key.startswith("xmlns:"):
                    match = _SCHEMA_FROM_XMLNS.search(value)
                    if match:
                        version = match.group(1)
        self.schema_version = version
        if version not in SUPPORTED_SCHEMAS:
            logger.warning(
                "%s: export schema %r, not one of %s; reading it anyway",
                self.dump,
                version,
                ", ".join(SUPPORTED_SCHEMAS),
            )
        self.lang = attrs.get("xml:lang") or "en"

    def _end_page(self, name: str) -> None:
        page, self.page = self.page, None
        assert page is not None
        start = self.page_start
        end_tag = self._offset()
        # The end tag is "</" name S? ">": find its ">" in the bytes themselves.
        tail = os.pread(self.readback_fd, len(name) + 64, end_tag)
        match = re.match(rb"</" + re.escape(name.encode()) + rb"\s*>", tail)
        if match is None:  # pragma: no cover - a bug guard
            raise RuntimeError(f"{self.dump}: </page> offset {end_tag} does not point at </page>")
        end = end_tag + match.end()
        if "title" not in page:
            raise DumpError(self.dump, "a <page> without a <title>", start)
        namespaces = self.namespaces
        title = _canonical_or_raw(page["title"], namespaces)
        try:
            page_id = int(page.get("id", ""))
            ns_text = page.get("ns")
            namespace = int(ns_text) if ns_text is not None else _namespace_of(title, namespaces)
        except ValueError:
            raise DumpError(
                self.dump, f"the page {title!r} has a malformed <id> or <ns>", start
            ) from None
        redirect = page.get("redirect")
        target = _redirect_target(redirect, namespaces) if redirect is not None else None
        self.elements += 1
        self.rows.append((title, namespace, page_id, start, end - start, target))
        if len(self.rows) >= 10_000:
            self._flush_rows()

    def _flush_rows(self) -> None:
        if not self.rows:
            return
        # A title seen twice keeps its last page (the later one in the dump).
        self.conn.executemany(
            "INSERT OR REPLACE INTO pages (title, namespace, page_id, offset, length, redirect)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            self.rows,
        )
        self.rows = []


def _namespace_of(title: str, namespaces: Namespaces) -> int:
    """The namespace a canonical title's prefix names (for dumps without ``<ns>``)."""
    prefix, sep, _ = title.partition(":")
    ns = namespaces.id_of(prefix) if sep else None
    return 0 if ns is None else ns
