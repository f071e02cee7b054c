"""The page record: everything extraction needs to know about one wiki page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One revision of one page, as a source (dump or live wiki) delivers it.

    ``title`` is canonical and carries its namespace prefix (``Category:Pininfarina``);
    ``redirect`` is the canonical target title when the page is a redirect.
    """

    title: str
    namespace: int
    page_id: int
    revision_id: int
    timestamp: str
    wikitext: str
    redirect: str | None = None
    disambiguation: bool = False
    wikidata_item: str | None = None
    lang: str = "en"
