"""DBpedia's LinkParser (external links) and BooleanParser.

Both read a value in DBpedia's node view (:func:`~extractors.dataparsers.objects.dbpedia_nodes`),
so a bare URL keeps trailing punctuation and a URL run into a tag (``http://a.org<br />``) is text.
"""

from __future__ import annotations

import re

from mwparserfromhell.nodes import Template, Wikilink

from extractors.dataparsers import ParseContext
from extractors.dataparsers.objects import Piece, UrlLink, dbpedia_nodes, link_label, retrieve_text
from extractors.java_text import JAVA_SPACE
from extractors.rdf import IRI
from extractors.wikitext import Wikicode

__all__ = ["parse_boolean", "parse_link"]

# BooleanParser: the word as a whole, delimited by Java whitespace or the ends (ASCII case folding).
_FALSE = re.compile(rf"(?:\A|(?<={JAVA_SPACE}))(?:no|false)(?={JAVA_SPACE}|\Z)", re.I | re.A)
_TRUE = re.compile(rf"(?:\A|(?<={JAVA_SPACE}))(?:yes|true)(?={JAVA_SPACE}|\Z)", re.I | re.A)


def parse_link(value: Wikicode, context: ParseContext) -> IRI | None:
    """DBpedia's LinkParser (non-strict): the URL of the first external link in the value.

    The search is depth first through link labels and template parameters; a bare ``http`` URL in
    the text is an external link. Templates are not expanded (``{{URL|example.com}}`` has no link
    until the template transformation has turned it into one).
    """
    return _first_url(dbpedia_nodes(value))


def _first_url(pieces: list[Piece]) -> IRI | None:
    for piece in pieces:
        if isinstance(piece, UrlLink):
            return IRI(piece.url)
        if isinstance(piece, Wikilink):
            found = _first_url(link_label(piece))
        elif isinstance(piece, Template):
            found = next(
                (url for p in piece.params if (url := _first_url(dbpedia_nodes(p.value)))), None
            )
        else:
            continue
        if found is not None:
            return found
    return None


def parse_boolean(value: Wikicode, context: ParseContext) -> bool | None:
    """DBpedia's BooleanParser: "no"/"false" as a whole word -> False, "yes"/"true" -> True.

    The texts tried, in order: the value when it is a single text, then each child that is a text or
    a link whose label is a single text; in each, the false words are tried before the true ones.
    """
    pieces = dbpedia_nodes(value)
    texts = [retrieve_text(pieces)]
    for piece in pieces:
        if isinstance(piece, str):
            texts.append(piece)
        elif isinstance(piece, Wikilink | UrlLink):
            texts.append(retrieve_text(link_label(piece)))
    for text in texts:
        if text is None:
            continue
        if _FALSE.search(text):
            return False
        if _TRUE.search(text):
            return True
    return None
