"""Value parsing shared by the raw-value extractors (raw infobox and citations): the date parsers
they run on a piece of a parameter value, the node a link part is, and their datatype IRIs.

The extractors differ elsewhere on purpose (which parsers run, in which order, the language
namespace of their predicates), so only what both do identically lives here.
"""

from __future__ import annotations

from mwparserfromhell.nodes import Node, Template, Text
from mwparserfromhell.smart_list import SmartList
from mwparserfromhell.wikicode import Wikicode

from extractors.dataparsers import ParseContext
from extractors.dataparsers.dates import (
    XSD_DATE,
    XSD_GMONTH,
    XSD_GMONTHDAY,
    parse_date,
    parse_date_text,
)
from extractors.java_text import JAVA_TRIM
from extractors.node_util import DATE_PARTS, split_property
from extractors.rdf import XSD, Literal, Term
from extractors.wikitext import flat_text

__all__ = ["DATE_TYPES", "XSD_DOUBLE", "XSD_INTEGER", "date", "dates", "sole"]

#: the date types the raw-value extractors try, in order (strict parsers)
DATE_TYPES = (XSD_DATE, XSD_GMONTHDAY, XSD_GMONTH)
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"


def dates(nodes: list[Node], context: ParseContext) -> list[Term]:
    """The date of a piece, else the dates of its ``-``/``–``/``,``/``;`` parts when every part
    is one; else none."""
    found = date(nodes, context)
    if found is not None:
        return [found]
    parts = split_property(nodes, DATE_PARTS)
    if len(parts) < 2:  # nothing to split: the same value again
        return []
    result: list[Term] = []
    for part in parts:  # every part must be a date
        found = date(part, context)
        if found is None:
            return []
        result.append(found)
    return result


def date(nodes: list[Node], context: ParseContext) -> Literal | None:
    """The first of :data:`DATE_TYPES` a piece is a date of (strict).

    Without a template among the nodes, :func:`~extractors.dataparsers.dates.parse_date` reads
    the flat text only, so that text is parsed directly.
    """
    if any(isinstance(node, Template) for node in nodes):
        value = Wikicode(SmartList(nodes))
        for datatype in DATE_TYPES:
            literal = parse_date(value, datatype, context, strict=True)
            if literal is not None:
                return literal
        return None
    text = flat_text(nodes)
    for datatype in DATE_TYPES:
        literal = parse_date_text(text, datatype, context.lang, strict=True)
        if literal is not None:
            return literal
    return None


def sole(nodes: list[Node]) -> Node | None:
    """The node of a part that is one node, alone or next to blank texts (strict parsers)."""
    significant = [n for n in nodes if not (isinstance(n, Text) and not n.value.strip(JAVA_TRIM))]
    return significant[0] if len(significant) == 1 else None
