"""Wikipedia titles and DBpedia resource IRIs: the one implementation of DBpedia's naming rules.

Rules (extraction-rules.md §1.4, after DBpedia's ``WikiUtil`` and ``WikiTitle``):

* canonical title: underscores and a few exotic spaces become spaces, runs collapse, ends are
  trimmed, the namespace prefix takes its canonical name, the name's first letter is upper-cased;
* IRI encoding: spaces become ``_``; only control characters, ``"#%<>?[\\]^`{|}`` and U+007F-U+009F
  are percent-encoded (UTF-8, upper-case hex); everything else, non-ASCII included, stays literal;
* decoding reverses the encoding: percent-decoding and ``_`` back to spaces.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from extractors.java_text import JAVA_TRIM

RESOURCE_BASE = "http://dbpedia.org/resource/"

#: MediaWiki's namespaces as English Wikipedia names them (canonical name per id).
ENGLISH_NAMESPACES: dict[int, str] = {
    -2: "Media",
    -1: "Special",
    0: "",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Wikipedia",
    5: "Wikipedia talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
    100: "Portal",
    101: "Portal talk",
    118: "Draft",
    119: "Draft talk",
    828: "Module",
    829: "Module talk",
}

#: Prefixes MediaWiki accepts besides the canonical names.
ENGLISH_NAMESPACE_ALIASES: dict[str, int] = {
    "Image": 6,
    "Image talk": 7,
    "Project": 4,
    "Project talk": 5,
    "WP": 4,
    "WT": 5,
}


class InvalidTitle(ValueError):
    """A string that cannot be a MediaWiki page title; the message says why."""


# DBpedia's cleanSpace set: these become a space, then runs of spaces collapse.
_SPACE_LIKE = re.compile("[ _\u00a0\u200e\u200f\u2028\u202a\u202b\u202c\u3000]+")
_ILLEGAL = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f]")
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_NAMESPACE_PREFIX = re.compile(r"^([^:]+?) ?: ?(.*)$", re.DOTALL)
_MAX_TITLE_BYTES = 255

# Characters DBpedia percent-encodes in IRIs (besides space, which becomes "_").
_ENCODED = re.compile(r'[\x00-\x1f"#%<>?\[\\\]^`{|}\x7f-\x9f]')


def _fold(name: str) -> str:
    return _SPACE_LIKE.sub(" ", name).strip().casefold()


def clean_space(text: str) -> str:
    """Underscores and exotic spaces to single spaces, trimmed (DBpedia's ``cleanSpace``)."""
    return _SPACE_LIKE.sub(" ", text).strip(JAVA_TRIM)


def upper_first(text: str) -> str:
    """Upper-case the first character, as MediaWiki does for first-letter-case namespaces."""
    return text[:1].upper() + text[1:] if text else text


@dataclass(frozen=True)
class Namespaces:
    """A wiki's namespace table: id -> canonical name, plus aliases."""

    names: dict[int, str]
    aliases: dict[str, int]

    def __post_init__(self) -> None:
        lookup = {_fold(name): ns for ns, name in self.names.items() if name}
        lookup.update({_fold(alias): ns for alias, ns in self.aliases.items()})
        object.__setattr__(self, "_lookup", lookup)

    def id_of(self, prefix: str) -> int | None:
        """The namespace id a prefix names (case-insensitive, spaces or underscores), if any."""
        return self._lookup.get(_fold(prefix))  # type: ignore[attr-defined]

    def name_of(self, ns: int) -> str:
        """The canonical name of namespace ``ns`` ("" for the main namespace)."""
        return self.names.get(ns, "")

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.names.items())))


ENGLISH = Namespaces(ENGLISH_NAMESPACES, ENGLISH_NAMESPACE_ALIASES)


@dataclass(frozen=True)
class Title:
    """A parsed title: namespace id, canonical name within it, optional section fragment."""

    namespace: int
    name: str
    fragment: str = ""
    namespaces: Namespaces = ENGLISH

    @property
    def text(self) -> str:
        """The full canonical title with its namespace prefix, e.g. ``Category:Pininfarina``."""
        prefix = self.namespaces.name_of(self.namespace)
        return f"{prefix}:{self.name}" if prefix else self.name

    @property
    def encoded(self) -> str:
        """The title as an IRI path segment; a fragment is kept, its ``#`` encoded as ``%23``."""
        full = f"{self.text}#{self.fragment}" if self.fragment else self.text
        return wiki_encode(full)


def parse_title(text: str, namespaces: Namespaces = ENGLISH) -> Title:
    """Parse a page title as a user or API gives it; raise InvalidTitle if it cannot be one."""
    return _parse_cleaned(clean_space(text), namespaces)


def _parse_cleaned(cleaned: str, namespaces: Namespaces) -> Title:
    """:func:`parse_title` of a text already through :func:`clean_space`."""
    if cleaned.startswith(":"):
        cleaned = clean_space(cleaned[1:])
    if not cleaned:
        raise InvalidTitle("the title is empty")
    bad = _ILLEGAL.search(cleaned)
    if bad:
        raise InvalidTitle(
            f"the title contains the character {bad.group()!r}, which titles may not"
        )
    if _PERCENT_ESCAPE.search(cleaned):
        raise InvalidTitle("the title contains a percent-escape (%XX); decode it first")
    namespace, name = 0, cleaned
    match = _NAMESPACE_PREFIX.match(cleaned)
    if match:
        ns = namespaces.id_of(match.group(1))
        if ns is not None:
            namespace, name = ns, match.group(2)
            if not name:
                raise InvalidTitle(f"the title names the namespace {match.group(1)!r} but no page")
    name = upper_first(name)
    if len(name.encode("utf-8")) > _MAX_TITLE_BYTES:
        raise InvalidTitle(f"the title is longer than {_MAX_TITLE_BYTES} bytes")
    return Title(namespace, name, namespaces=namespaces)


def canonical_title(text: str, namespaces: Namespaces = ENGLISH) -> str:
    """The canonical form of a title, e.g. ``category:foo_bar`` -> ``Category:Foo bar``."""
    return parse_title(text, namespaces).text


@lru_cache(maxsize=65536)
def parse_link_target(target: str, namespaces: Namespaces = ENGLISH) -> Title:
    """Parse a ``[[link]]`` target: entities and %XX decoded, the ``#section`` split off.

    A target that is only a fragment (``[[#History]]``) has an empty name.
    """
    decoded = unquote(html.unescape(target), errors="replace")
    page, _, fragment = decoded.partition("#")
    fragment = clean_space(fragment)
    page = clean_space(page)
    if not page.lstrip(":").strip():
        return Title(0, "", fragment, namespaces)
    title = _parse_cleaned(page, namespaces)
    return Title(title.namespace, title.name, fragment, namespaces)


def link_title(link: Title, page_title: str) -> Title:
    """The page a parsed ``[[link]]`` target names, its ``#section`` dropped; a target that is
    only a section (``[[#History]]``) names that section of ``page_title``, the page it is on."""
    if link.name:
        return Title(link.namespace, link.name)
    page = parse_title(page_title)
    return Title(page.namespace, page.name, link.fragment)


@lru_cache(maxsize=65536)
def wiki_encode(title: str) -> str:
    """Encode a canonical title for an IRI the way DBpedia does (see module docstring)."""
    return _ENCODED.sub(_percent_encode, clean_space(title).replace(" ", "_"))


def _percent_encode(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def wiki_decode(encoded: str) -> str:
    """Inverse of :func:`wiki_encode`: percent-decode and turn ``_`` back into spaces."""
    return unquote(encoded, errors="strict").replace("_", " ")


def resource_iri(title: str | Title, base: str = RESOURCE_BASE) -> str:
    """The DBpedia resource IRI of a title, e.g. ``? (film)`` -> ``…/resource/%3F_(film)``."""
    parsed = title if isinstance(title, Title) else parse_title(title)
    return base + parsed.encoded


def title_from_iri(iri: str, base: str = RESOURCE_BASE) -> str:
    """The title a resource IRI (or its encoded local name) denotes; InvalidTitle if none."""
    if iri.startswith(base):
        local = iri[len(base) :]
    elif "://" in iri:
        raise InvalidTitle(f"{iri!r} is not a resource IRI under {base}")
    else:
        local = iri
    try:
        text = wiki_decode(local)
    except UnicodeDecodeError as exc:
        raise InvalidTitle(f"the name {local!r} percent-encodes bytes that are not UTF-8") from exc
    return canonical_title(text)
