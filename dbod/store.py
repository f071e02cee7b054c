"""What the core keeps in the cache, and how: keys and byte encodings of each kind of record.

* ``pointer/<wiki>/<title>``: JSON ``{"target", "revision", "checked", "redirects", "timestamp"}``:
  the page a title leads to, its latest revision, when that was last confirmed upstream;
* ``page/<wiki>/<title>/<revision>``: the raw page record (JSON), so a new extractor version can
  re-extract without refetching;
* ``graph/<wiki>/<title>/<revision>/<extractor version>``: the extracted triples (JSON lines);
* ``redirect/<wiki>/<template|object>/<name>``: where a template or a page named as an object
  redirects to, empty for nowhere (expires after a week);
* ``backlinks/<wiki>/<title>/<limit>``: JSON list of the articles linking to it (expire after TTL);
* ``incoming/<wiki>/<title>/<limit>``: statements of linking pages about it (expire after TTL);
* ``representation/<wiki>/<title>/<revision>/<variant>``: a rendered response (expires too).

Decoding never trusts the bytes: anything malformed raises :class:`CorruptRecord`, and the core
then discards the entry and refetches.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from cache import make_key
from extractors.page import PageRecord
from extractors.rdf import IRI, Literal, Triple


class CorruptRecord(ValueError):
    """A cached record that does not decode; it must be discarded, never served."""


@dataclass
class Pointer:
    """Where a title leads: the target page, its revision, and when that was last checked."""

    target: str
    revision: int
    checked: float
    redirects: list[str] = field(default_factory=list)  # titles known to redirect to target
    timestamp: str = ""  # when the revision was saved (ISO 8601)


def pointer_key(wiki: str, title: str) -> str:
    """Cache key of the pointer of ``title``."""
    return make_key("pointer", wiki, title)


def page_key(wiki: str, title: str, revision: int) -> str:
    """Cache key of a raw page record."""
    return make_key("page", wiki, title, str(revision))


def graph_key(wiki: str, title: str, revision: int, extractor_version: str) -> str:
    """Cache key of an extracted graph."""
    return make_key("graph", wiki, title, str(revision), extractor_version)


def backlinks_key(wiki: str, title: str, limit: int) -> str:
    """Cache key of the titles of up to ``limit`` articles linking to ``title``."""
    return make_key("backlinks", wiki, title, str(limit))


def incoming_key(wiki: str, title: str, limit: int) -> str:
    """Cache key of a resource's incoming statements (from up to ``limit`` linking pages)."""
    return make_key("incoming", wiki, title, str(limit))


def redirect_key(wiki: str, kind: str, name: str) -> str:
    """Cache key of where a template or page (``kind``) redirects to (empty: nowhere)."""
    return make_key("redirect", wiki, kind, name)


def representation_key(wiki: str, title: str, revision: int, variant: str) -> str:
    """Cache key of a rendered response body (a format of /data, or the HTML page)."""
    return make_key("representation", wiki, title, str(revision), variant)


def encode_pointer(pointer: Pointer) -> bytes:
    return json.dumps(asdict(pointer), ensure_ascii=False).encode()


def decode_pointer(data: bytes) -> Pointer:
    try:
        raw = json.loads(data)
        return Pointer(
            str(raw["target"]),
            int(raw["revision"]),
            float(raw["checked"]),
            [str(title) for title in raw.get("redirects", [])],
            str(raw.get("timestamp", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CorruptRecord(f"bad pointer: {exc}") from exc


def encode_titles(titles: list[str]) -> bytes:
    return json.dumps(titles, ensure_ascii=False).encode()


def decode_titles(data: bytes) -> list[str]:
    try:
        titles = json.loads(data)
    except ValueError as exc:
        raise CorruptRecord(f"bad title list: {exc}") from exc
    if not isinstance(titles, list) or not all(isinstance(title, str) for title in titles):
        raise CorruptRecord("bad title list: not a list of strings")
    return titles


def encode_page(page: PageRecord) -> bytes:
    return json.dumps(asdict(page), ensure_ascii=False).encode()


def decode_page(data: bytes) -> PageRecord:
    try:
        return PageRecord(**json.loads(data))
    except (ValueError, TypeError) as exc:
        raise CorruptRecord(f"bad page record: {exc}") from exc


def encode_triples(triples: list[Triple]) -> bytes:
    """One JSON array per line: subject, predicate, object, kind, datatype, lang, extractor."""
    lines = []
    for subject, predicate, obj, extractor in triples:
        if isinstance(obj, Literal):
            row = [subject, predicate, obj.lexical, "l", obj.datatype, obj.lang, extractor]
        else:
            row = [subject, predicate, str(obj), "i", None, None, extractor]
        lines.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(lines).encode()


def decode_triples(data: bytes) -> list[Triple]:
    triples = []
    try:
        for line in data.decode().splitlines():
            subject, predicate, value, kind, datatype, lang, extractor = json.loads(line)
            obj = Literal(value, datatype, lang) if kind == "l" else IRI(value)
            triples.append(Triple(subject, predicate, obj, extractor))
    except (ValueError, TypeError) as exc:
        raise CorruptRecord(f"bad graph: {exc}") from exc
    return triples
