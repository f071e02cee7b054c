"""DBpedia's ``NodeUtil`` on its view of a parameter value, shared by the raw-value extractors
(raw infobox and citations): children as DBpedia's parser sees them, parentheses removed, pieces
split, the parameter key, the ``xml-safe-predicates`` URI policy, and the regexes both use."""

from __future__ import annotations

import re
import unicodedata

from mwparserfromhell.nodes import Comment, ExternalLink, Node, Text
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.smart_list import SmartList
from mwparserfromhell.wikicode import Wikicode

from extractors.dataparsers.objects import UrlLink, dbpedia_nodes
from extractors.java_text import JAVA_NON_WORD, JAVA_SPACE, JAVA_TRIM

#: ``<br>`` in any spelling: the separator of a raw value's pieces
BR = re.compile(rf"<br{JAVA_SPACE}*/?>")
#: how a parameter key is cut into words for its camel-cased predicate
KEY_WORDS = re.compile(f"_+|{JAVA_SPACE}+|-|:+")
#: separators of a date range, and of the words of a value of links
DATE_PARTS = re.compile("—|–|-|&mdash;|&ndash;|,|;")
NON_WORD = re.compile(f"{JAVA_NON_WORD}+")  # Java's \s*\W+\s*
#: an ordinal such as "3rd"
RANK = re.compile(f"([0-9]+){JAVA_SPACE}?(?:st|nd|rd|th)", re.IGNORECASE | re.ASCII)

_NAME_START = frozenset({"Ll", "Lu", "Lo", "Lt", "Nl"})
_NAME_CHAR = frozenset({"Mc", "Me", "Mn", "Lm", "Nd"})


def children(value: Wikicode) -> list[Node]:
    """The children of a parameter value in DBpedia's view, as parser nodes."""
    nodes: list[Node] = []
    for piece in dbpedia_nodes(value):
        if isinstance(piece, str):
            nodes.append(Text(piece))
        elif isinstance(piece, UrlLink):
            url = Wikicode(SmartList([Text(piece.url)]))  # a string would be parsed again
            nodes.append(ExternalLink(url, piece.label, brackets=piece.label is not None))
        else:
            nodes.append(piece)
    return nodes


def remove_parentheses(nodes: list[Node]) -> list[Node]:
    """``NodeUtil.removeParentheses``: text in parentheses and any node inside them removed."""
    depth = 0
    kept: list[Node] = []
    for node in nodes:
        if not isinstance(node, Text):
            if depth <= 0:
                kept.append(node)
        elif depth <= 0 and "(" not in node.value:
            kept.append(node)
        else:
            chars: list[str] = []
            for char in node.value:
                if char == "(":
                    depth += 1
                elif depth <= 0:
                    chars.append(char)
                elif char == ")":
                    depth -= 1
            kept.append(Text("".join(chars)))
    return kept


def parameter_key(param: Parameter) -> str:
    """A parameter's key as DBpedia reads it: comments dropped, trimmed (case kept)."""
    nodes = param.name.nodes
    if len(nodes) == 1 and isinstance(nodes[0], Text):
        return nodes[0].value.strip(JAVA_TRIM)
    return "".join(str(node) for node in nodes if not isinstance(node, Comment)).strip(JAVA_TRIM)


def xml_safe_predicate(iri: str) -> str:
    """The ``xml-safe-predicates`` URI policy: ``_`` appended unless the IRI ends in an XML name
    that does not start inside a ``%XX`` escape."""
    for index in range(len(iri) - 1, -1, -1):
        char = iri[index]
        if (index >= 2 and iri[index - 2] == "%") or char == ":" or ord(char) > 0xFFFF:
            break
        category = unicodedata.category(char)
        if category in _NAME_START or char == "_":
            return iri
        if category not in _NAME_CHAR and char not in ".-·":
            break
    return iri + "_"


def split_property(nodes: list[Node], separator: re.Pattern[str]) -> list[list[Node]]:
    """``NodeUtil.splitPropertyNode``: text is split, other nodes stay whole; a separator always
    ends a part (which may be empty), the trailing part counts when not empty."""
    parts: list[list[Node]] = []
    current: list[Node] = []
    for node in nodes:
        if not isinstance(node, Text):
            current.append(node)
            continue
        *complete, last = separator.split(node.value)
        for text in complete:
            if text:
                current.append(Text(text))
            parts.append(current)
            current = []
        if last:
            current.append(Text(last))
    if current:
        parts.append(current)
    return parts
