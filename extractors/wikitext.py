"""Wikitext helpers shared by every extractor: parsing, template names and parameters, plain text.

Parsing uses mwparserfromhell with ``skip_style_tags=True`` so that ``''`` and ``'''`` stay in the
text, as in DBpedia's own parser; the plain-text rules are DBpedia's ``StringParser``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

import mwparserfromhell
from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from extractors.titles import upper_first

__all__ = [
    "Wikicode",
    "flat_text",
    "normalize_template_name",
    "parse",
    "plain_text",
    "template_name",
    "template_params",
]

#: Tags DBpedia's parser removes with their contents.
DROPPED_TAGS = frozenset({"ref", "math", "code", "source", "syntaxhighlight", "noinclude"})

_SPACES = re.compile(r"[\s_]+")
_SMALL = re.compile(r"<small[^>]*>\(?(.*?)\)?</small>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<.*?>", re.DOTALL)
#: bold and italic markup
EMPHASIS = re.compile(r"'{2,}")
_TEMPLATE_PREFIX = re.compile(r"^\s*template\s*:", re.IGNORECASE)
#: an HTML comment (an unclosed one runs to the end)
COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_MARKUP = re.compile(
    r"(?P<comment>(?s:<!--.*?(?:-->|$)))"
    r"|(?P<open>\{\{|\[\[|^[ \t]*\{\|)|(?P<close>\}\}|\]\]|^[ \t]*\|\}(?!\}))"
    r"|<(?P<end>/?)(?P<tag>[A-Za-z][\w-]*)[^<>]*?(?P<self>/?)>|(?P<lt><)",
    re.MULTILINE,
)
_OPENER = {"}}": "{{", "]]": "[[", "|}": "{|"}
_ESCAPED_OPENER = {"{{": "&#123;&#123;", "[[": "&#91;&#91;", "{|": "&#123;|"}
_EXTERNAL_OPEN = re.compile(r"\[(?=//|[A-Za-z][A-Za-z0-9+.-]*:)")
_VOID_TAGS = frozenset(("br", "hr", "wbr", "img"))


def parse(text: str) -> Wikicode:
    r"""Parse wikitext (style tags stay text, as DBpedia's parser keeps them).

    The text is :func:`defuse`\ d first: mwparserfromhell backtracks quadratically (or worse) on
    unmatched openers, so hostile wikitext would otherwise take minutes.
    """
    return mwparserfromhell.parse(defuse(text), skip_style_tags=True)


def defuse(text: str) -> str:
    """Neutralize unmatched openers, on which the parser backtracks quadratically.

    Unmatched ``{{``, ``[[``, ``{|``, ``[http…`` and a ``<`` that starts no tag become entities
    (they render as literal text anyway), and so does the ``<`` of an unmatched HTML tag;
    comments are left alone.
    """
    edits: list[tuple[int, int, str]] = []
    openers: dict[str, list[int]] = {"{{": [], "[[": [], "{|": []}
    tags: list[tuple[str, int, int]] = []
    open_tags: dict[str, int] = {}
    for match in _MARKUP.finditer(text):
        kind = match.lastgroup  # "self" for a tag, which always ends with that (maybe empty) group
        if kind == "open":
            openers[match["open"].lstrip()].append(match.end() - 2)
        elif kind == "close":
            stack = openers[_OPENER[match["close"].lstrip()]]
            if stack:
                stack.pop()
        elif kind == "lt":
            edits.append((match.start(), match.end(), "&lt;"))
        elif kind == "comment":
            continue
        elif not match["self"] and (name := match["tag"].lower()) not in _VOID_TAGS:
            if not match["end"]:
                tags.append((name, match.start(), match.end()))
                open_tags[name] = open_tags.get(name, 0) + 1
            elif not open_tags.get(name):
                edits.append((match.start(), match.start() + 1, "&lt;"))
            else:  # close the innermost tag of this name; tags opened inside it stay unclosed
                while True:
                    top, start, end = tags.pop()
                    open_tags[top] -= 1
                    if top == name:
                        break
                    edits.append((start, start + 1, "&lt;"))
    edits.extend((start, start + 1, "&lt;") for _, start, _end in tags)
    for kind, positions in openers.items():
        edits.extend((start, start + 2, _ESCAPED_OPENER[kind]) for start in positions)
    for match in _EXTERNAL_OPEN.finditer(text):  # a "[http…" with no "]" after it on its line
        line_end = text.find("\n", match.start())
        if text.find("]", match.start(), len(text) if line_end < 0 else line_end) < 0:
            edits.append((match.start(), match.start() + 1, "&#91;"))
    if not edits:
        return text
    out, position = [], 0
    for start, end, replacement in sorted(edits):
        if start >= position:
            out.append(text[position:start] + replacement)
            position = end
    out.append(text[position:])
    return "".join(out)


@lru_cache(maxsize=16384)
def normalize_template_name(name: str) -> str:
    """DBpedia's template-name normalization: ``infobox_settlement `` -> ``Infobox settlement``.

    Comments are removed, a ``Template:`` prefix is dropped, underscores and runs of whitespace
    become one space, the ends are trimmed and the first letter is upper-cased.
    """
    name = _TEMPLATE_PREFIX.sub("", COMMENT.sub("", name))
    return upper_first(_SPACES.sub(" ", name).strip())


_TEMPLATE_OPENING = re.compile(r"\{\{\s*([^{}|<>\[\]\n#]+?)\s*(?=[|}])")


def template_names(text: str) -> set[str]:
    """Normalized names of the templates a wikitext uses (a quick scan, parser functions and
    variables included; good enough to decide what to look up)."""
    if "<!--" in text:
        text = COMMENT.sub("", text)
    return {normalize_template_name(name) for name in _TEMPLATE_OPENING.findall(text)} - {""}


def template_name(template: Template) -> str:
    """The normalized name of a template node."""
    return normalize_template_name(str(template.name))


def template_params(template: Template) -> dict[str, Wikicode]:
    """Parameters by trimmed key; positional ones are "1", "2", …; a repeated key keeps the last."""
    return {str(param.name).strip(): param.value for param in template.params}


def flat_text(nodes: Iterable[Node] | Wikicode) -> str:
    """Text as DBpedia's parser sees it: text and tags kept raw, link labels in place of links.

    Templates, comments, headings and :data:`DROPPED_TAGS` are dropped; other tags are kept
    with their contents flattened.
    """
    out: list[str] = []
    _flatten(nodes.nodes if isinstance(nodes, Wikicode) else nodes, out)
    return "".join(out)


def _flatten(nodes: Iterable[Node], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.value)
        elif isinstance(node, Wikilink):
            out.append(_link_label(node))
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                _flatten(node.title.nodes, out)
            elif not node.brackets:
                out.append(str(node.url))
        elif isinstance(node, HTMLEntity):
            out.append(str(node))
        elif isinstance(node, Tag):
            if str(node.tag).lower() in DROPPED_TAGS:
                continue
            if node.self_closing or node.contents is None:
                out.append(str(node))
            else:
                out.append(f"<{node.tag}>")
                _flatten(node.contents.nodes, out)
                out.append(f"</{node.tag}>")
        elif isinstance(node, Template | Comment | Heading):
            continue
        else:  # arguments and anything else: their source text
            out.append(str(node))


def _link_label(link: Wikilink) -> str:
    if link.text is not None:
        return flat_text(link.text)
    target = str(link.title).strip()
    return target[1:] if target.startswith(":") else target


def clean_text(text: str) -> str | None:
    """DBpedia's StringParser on flat text: ``<small>`` to parentheses (an empty one to
    nothing), tags, emphasis and entities removed, trimmed; None when nothing is left."""
    text = _SMALL.sub(lambda match: f"({match[1]})" if match[1] else "", text)
    text = _TAG.sub("", text)
    text = EMPHASIS.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ").strip()
    return text or None


def plain_text(nodes: Iterable[Node] | Wikicode) -> str | None:
    """The plain text of wikitext nodes (DBpedia's StringParser); None when empty."""
    return clean_text(flat_text(nodes))
