"""Resource names in request paths, both ways: DBpedia's IRI encoding, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from extractors.titles import InvalidTitle, canonical_title, wiki_encode

#: characters a Location header may carry as they are (the rest is percent-encoded UTF-8)
_LOCATION_SAFE = "!$&'()*+,;=:@/%-._~"


@dataclass(frozen=True)
class ResourceName:
    """A requested resource: its page title and, for an intermediate node, the node's name."""

    title: str
    node: str | None = None

    @property
    def encoded(self) -> str:
        """The name as DBpedia writes it in IRIs (``Ferdinand_Piëch``, ``%3F_(film)``)."""
        return self.node if self.node else wiki_encode(self.title)


def parse_name(raw: str) -> ResourceName:
    """A name from a request path (still percent-encoded, as sent) -> title; InvalidTitle if bad.

    ``Berlin__PoliticalFunction__1`` names an intermediate node of ``Berlin``'s page.
    """
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError as exc:
        raise InvalidTitle("the name percent-encodes bytes that are not UTF-8") from exc
    if "__" in decoded.strip("_"):
        root = decoded.split("__", 1)[0]
        node = "__".join(wiki_encode(part) for part in decoded.split("__"))
        return ResourceName(canonical_title(root.replace("_", " ")), node)
    return ResourceName(canonical_title(decoded.replace("_", " ")))


def path_segment(encoded: str) -> str:
    """An encoded name made safe for a URL path or a Location header (non-ASCII percent-encoded)."""
    return quote(encoded, safe=_LOCATION_SAFE)
