"""DBpedia's data parsers: wikitext values -> typed values, one module per kind of value.

Every parser takes wikitext nodes (a :class:`~extractors.wikitext.Wikicode`) and a
:class:`ParseContext`, and returns its result or None. Parsers are pure and never raise on input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def _same_name(name: str) -> str:
    return name


@dataclass(frozen=True)
class ParseContext:
    """What a parser may need to know beyond the value itself.

    ``resolve_template`` maps a normalized template name to the name it redirects to (itself when
    it is no redirect); ``link_labels`` maps the lower-cased label of every internal link on the
    page to the link's target title (ObjectParser's "label found elsewhere on the page" rule);
    ``page_title`` is the page being extracted (for ``[[#Section]]`` links).
    """

    lang: str = "en"
    page_title: str = ""
    resolve_template: Callable[[str], str] = _same_name
    link_labels: dict[str, str] = field(default_factory=dict)
