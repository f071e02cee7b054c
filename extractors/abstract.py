"""Abstracts: the plain-text lead section (``dbo:abstract``) and its short form (``rdfs:comment``).

DBpedia takes the long abstract from MediaWiki's TextExtracts
(``prop=extracts&exintro&explaintext``); here it is computed from the wikitext alone, with one
parse of the lead. Rules:

* **Lead**: everything before the first heading (``== … ==`` line or ``<h1>``-``<h6>``);
  comments are removed first, so a commented-out heading does not end the lead.
* **Dropped**, as TextExtracts drops them (media, tables, divs, references, ``.noprint``…):
  ``<ref>``/``<references>``, ``[[File:…]]``/``[[Image:…]]`` with their captions, categories,
  interlanguage links, tables, ``<div>``/``<gallery>``/``<math>``/``<script>``/``<style>``…,
  spans with class ``noprint``/``noexcerpt``/``reference``/``error`` or ``display:none``,
  behaviour switches, and every template not listed below (infoboxes, hatnotes, maintenance
  tags, citations, ``{{IPAc-en}}`` and audio, which carry ``noexcerpt`` on Wikipedia,
  coordinates, parser functions).
* **Rendered inline templates** (see ``_TEMPLATES``): wrappers (``nowrap``, ``small``…) give
  their text; ``lang``/``langx``/``script``/``transl``/``native name`` their last positional
  parameter, ``lang-xx`` its text (without the "German:" label); ``nihongo`` its English text
  (as the gold abstracts show); ``IPA``/``IPA-xx`` the transcription in brackets; ``respell``
  its syllables joined by hyphens; ``convert``/``cvt`` the value(s) and unit as written (no
  conversion); birth/death/start dates in MDY (or DMY with ``df=y``), death-date-and-age with
  "(aged N)" (a living person's age depends on the day and is omitted); ``circa``, ``frac``,
  ``sortname``, ``ill``, dash and space templates; ``PAGENAME``.
* **Text**: links give their label (plus link trail); bracketed external links their label, or
  ``[n]`` numbered when they have none; bare URLs stay; other tags keep their text;
  ``''``/``'''`` are removed; entities decoded, no-break spaces become spaces.
* **Paragraphs**: blank lines and list items separate paragraphs, joined by ``"\\n"`` as
  TextExtracts joins them; whitespace inside a paragraph collapses to single spaces.
* **DBpedia post-processing**: ``removeBrokenBracketsInAbstracts`` (a group opening with ``;``
  or ``,``, e.g. "( ; born 1950)" left by a dropped pronunciation, is removed, as are empty
  ``()``; here spaces may precede the ``;``, and an unclosed group is kept rather than cutting
  the rest); a text starting lower-case gets the title (without a trailing "(…)") prepended
  unless it already contains it.
* **Robustness**: :func:`extractors.wikitext.parse` neutralizes unmatched openers, so hostile
  wikitext costs about linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from mwparserfromhell.nodes import (
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

from extractors.page import PageRecord
from extractors.rdf import DBO, RDFS, Literal, Triple
from extractors.titles import resource_iri
from extractors.wikitext import COMMENT, EMPHASIS, normalize_template_name, parse, template_params

__all__ = ["extract_abstracts", "lead_text", "short_abstract"]

EXTRACTOR = "abstract"

_HEADING_LINE = re.compile(r"^=[^\n]*=[ \t]*$", re.MULTILINE)
_SWITCH = re.compile(r"__[A-Z]+__")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_EMPTY_PARENS = re.compile(r"\s*\(\s*\)")
_PARENTHESIS = re.compile(r"[()]")
_BROKEN_OPEN = re.compile(r"\( *[;,]")
_SENTENCE_END = re.compile(r"(?<=\.[ \t\n\x0b\f\r])")
_TRAILING_PARENTHETICAL = re.compile(r" \(.+\)$")
_LANGUAGE_PREFIX = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*|simple")
_PARAGRAPH = "\n\n"

_DROPPED_TAGS = frozenset(
    "ref references table div gallery math chem ce script style input timeline imagemap score "
    "graph mapframe maplink indicator templatestyles inputbox categorytree hiero includeonly "
    "syntaxhighlight source".split()
)
_HEADING_TAGS = frozenset(f"h{level}" for level in range(1, 7))
_BLOCK_MARKUP = frozenset("*#;:")
_HIDDEN_CLASSES = frozenset("noprint noexcerpt reference error sortkey mw-editsection".split())
# "File:" and "Category:" with the aliases of some large wikis (de, fr, es, it, nl, pt, af, ru, pl).
_MEDIA_NAMESPACES = frozenset(
    "file image datei bild fichier archivo imagen immagine bestand afbeelding ficheiro arquivo "
    "imagem lêer beeld файл изображение plik grafika".split()
)
_CATEGORY_NAMESPACES = frozenset(
    "category kategorie catégorie categoría categoria categorie kategorieë категория "
    "kategoria".split()
)
_INTERWIKI_NOT_LANGUAGE = frozenset(("mw", "wmf", "iso"))
_NUMBER = re.compile(r"[-+−]?[\d,]*\.?\d+")
_RANGE_WORDS = frozenset(("to", "and", "or", "by", "x", "×", "-", "–", "+/-", "±", "to(-)"))
_MONTHS = (
    "January February March April May June July August September October November December".split()
)


class _Renderer:
    """Turns parsed lead wikitext into text with paragraph markers."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.autonumber = 0

    def nodes(self, nodes: Iterable[Node], out: list[str]) -> bool:
        """Render nodes into ``out``; False when a heading ends the lead."""
        for node in nodes:
            if isinstance(node, Text):
                out.append(node.value)
            elif isinstance(node, Wikilink):
                self.link(node, out)
            elif isinstance(node, Template):
                self.template(node, out)
            elif isinstance(node, Tag):
                if str(node.tag).strip().lower() in _HEADING_TAGS:
                    return False
                self.tag(node, out)
            elif isinstance(node, HTMLEntity):
                out.append(node.normalize())
            elif isinstance(node, ExternalLink):
                self.external_link(node, out)
            elif isinstance(node, Heading):
                return False
            # comments and template arguments ({{{1}}}) render nothing
        return True

    def text(self, code: Wikicode | None) -> str:
        """The rendered text of a piece of wikitext (a template parameter, a link label)."""
        out: list[str] = []
        if code is not None:
            self.nodes(code.nodes, out)
        return "".join(out)

    def link(self, link: Wikilink, out: list[str]) -> None:
        target = str(link.title).strip()
        visible = target.startswith(":")
        prefix, colon, rest = target.lstrip(":").partition(":")
        prefix = prefix.strip().replace("_", " ").lower()
        if colon and not visible:
            if prefix in _MEDIA_NAMESPACES or prefix in _CATEGORY_NAMESPACES:
                return
            if _LANGUAGE_PREFIX.fullmatch(prefix) and prefix not in _INTERWIKI_NOT_LANGUAGE:
                return
        if link.text is None:
            out.append(self.text(link.title).strip().lstrip(":"))
        elif str(link.text).strip():
            out.append(self.text(link.text))
        else:  # pipe trick: [[Namespace:Name (qualifier)|]] shows "Name"
            name = rest if colon else target.lstrip(":")
            out.append(_TRAILING_PARENTHETICAL.sub("", name.strip()))

    def external_link(self, link: ExternalLink, out: list[str]) -> None:
        if link.title is not None and str(link.title).strip():
            out.append(self.text(link.title))
        elif link.brackets:
            self.autonumber += 1
            out.append(f"[{self.autonumber}]")
        else:
            out.append(str(link.url))

    def tag(self, tag: Tag, out: list[str]) -> None:
        name = str(tag.tag).strip().lower()
        if name in _DROPPED_TAGS or _hidden(tag):
            return
        if tag.wiki_markup and tag.wiki_markup[0] in _BLOCK_MARKUP:
            out.append(_PARAGRAPH)  # list and definition items stand on their own lines
        elif name in ("p", "br"):
            out.append(_PARAGRAPH if name == "p" else " ")
        if tag.contents is not None and not tag.self_closing:
            self.nodes(tag.contents.nodes, out)

    def template(self, template: Template, out: list[str]) -> None:
        name = normalize_template_name(str(template.name)).lower()
        render = _TEMPLATES.get(name)
        if render is None:
            if name.startswith("lang-"):
                render = _first
            elif name.startswith("ipa-"):
                render = _ipa
        if render is not None:
            out.append(render(self, template))


def _hidden(tag: Tag) -> bool:
    for attribute in tag.attributes:
        key = str(attribute.name).strip().lower()
        value = str(attribute.value or "").lower()
        if key == "class" and _HIDDEN_CLASSES.intersection(value.split()):
            return True
        if key == "style" and "display:none" in value.replace(" ", ""):
            return True
    return False


# --- inline templates ------------------------------------------------------------------------

_TemplateRenderer = Callable[[_Renderer, Template], str]


def _positional(template: Template) -> list[Wikicode]:
    """Positional parameters in order (a repeated number keeps the last value)."""
    params = template_params(template)
    numbered = {int(k): v for k, v in params.items() if k.isascii() and k.isdigit()}
    return [numbered[k] for k in sorted(numbered)]


def _named(renderer: _Renderer, template: Template, key: str) -> str:
    for param in template.params:
        if str(param.name).strip() == key:
            return renderer.text(param.value).strip()
    return ""


def _first(renderer: _Renderer, template: Template) -> str:
    values = _positional(template)
    return renderer.text(values[0]) if values else ""


def _last(renderer: _Renderer, template: Template) -> str:
    values = _positional(template)
    return renderer.text(values[-1]) if values else ""


def _joined(separator: str) -> _TemplateRenderer:
    def render(renderer: _Renderer, template: Template) -> str:
        return separator.join(renderer.text(v).strip() for v in _positional(template))

    return render


def _constant(text: str) -> _TemplateRenderer:
    return lambda renderer, template: text


def _ipa(renderer: _Renderer, template: Template) -> str:
    """``{{IPA|/x/}}`` as written; ``{{IPA|de|x}}`` and ``{{IPA-de|x}}`` as ``[x]``."""
    values = [renderer.text(v).strip() for v in _positional(template)]
    bracketed = normalize_template_name(str(template.name)).lower() != "ipa"
    if len(values) >= 2 and _LANGUAGE_PREFIX.fullmatch(values[0]):
        values, bracketed = values[1:], True
    if not values or not values[0]:
        return ""
    return f"[{values[0]}]" if bracketed and values[0][0] not in "/[" else values[0]


def _respell(renderer: _Renderer, template: Template) -> str:
    syllables = "-".join(renderer.text(v).strip() for v in _positional(template))
    return syllables.replace("-_-", " ")


def _ill(renderer: _Renderer, template: Template) -> str:
    return _named(renderer, template, "lt") or _first(renderer, template)


def _convert(renderer: _Renderer, template: Template) -> str:
    values = [renderer.text(v).strip() for v in _positional(template)]
    if not values:
        return ""
    parts, i = [values[0]], 1
    while i + 1 < len(values) and values[i] in _RANGE_WORDS:
        word = "–" if values[i] in ("-", "–") else f" {values[i]} "
        parts.append(f"{word}{values[i + 1]}")
        i += 2
    text = "".join(parts)
    if i < len(values):
        text += f" {values[i]}"
        if i + 2 < len(values) and _is_number(values[i + 1]):  # {{convert|5|ft|6|in}}
            text += f" {values[i + 1]} {values[i + 2]}"
    return text


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def _date_parts(values: list[str]) -> tuple[int, int, int] | None:
    """(year, month, day) from leading numeric parameters, 0 for a missing month or day."""
    numbers = [int(v) for v in values[:3] if v.isascii() and v.isdigit()]
    if not numbers or len(numbers) < min(len(values), 3):
        return None
    year, month, day = (*numbers, 0, 0)[:3]
    if not 0 <= month <= 12 or not 0 <= day <= 31:
        return None
    return year, month, day


def _format_date(parts: tuple[int, int, int], day_first: bool) -> str:
    year, month, day = parts
    if not month:
        return str(year)
    if not day:
        return f"{_MONTHS[month - 1]} {year}"
    return (
        f"{day} {_MONTHS[month - 1]} {year}" if day_first else f"{_MONTHS[month - 1]} {day}, {year}"
    )


def _date(with_age: bool = False) -> _TemplateRenderer:
    """Birth/death/start dates; ``with_age`` for death-date-and-age (death, then birth date)."""

    def render(renderer: _Renderer, template: Template) -> str:
        values = [renderer.text(v).strip() for v in _positional(template)]
        parts = _date_parts(values)
        if parts is None:
            return " ".join(values)
        day_first = _named(renderer, template, "df").lower() in ("y", "yes", "1")
        text = _format_date(parts, day_first)
        born = _date_parts(values[3:6]) if with_age else None
        if born and all(parts) and all(born):
            try:
                age = parts[0] - born[0] - (date(*parts) < date(parts[0], *born[1:]))
            except ValueError:
                return text
            text += f" (aged {age})"
        return text

    return render


def _circa(renderer: _Renderer, template: Template) -> str:
    return f"c. {_first(renderer, template)}".strip()


def _frac(renderer: _Renderer, template: Template) -> str:
    values = [renderer.text(v).strip() for v in _positional(template)]
    if len(values) == 1:
        return f"1/{values[0]}"
    if len(values) == 3:
        return f"{values[0]} {values[1]}/{values[2]}"
    return "/".join(values)


def _pagename(renderer: _Renderer, template: Template) -> str:
    return renderer.title


_TEMPLATES: dict[str, _TemplateRenderer] = {
    **dict.fromkeys(
        (
            *"nowrap nobr nobreak small smaller big larger large em strong abbr math mvar var "
            "vanchor nihongo nihongo2 nihongo3".split(),
            "visible anchor",
            "nihongo foot",
        ),
        _first,
    ),
    **dict.fromkeys(
        (*"lang langx script transl transliteration resize".split(), "native name"), _last
    ),
    **dict.fromkeys(("not a typo", "proper name", "linktext"), _joined("")),
    "sortname": _joined(" "),
    "ipa": _ipa,
    "respell": _respell,
    "ill": _ill,
    "interlanguage link": _ill,
    "convert": _convert,
    "cvt": _convert,
    **dict.fromkeys(
        ("birth date", "birth date and age", "death date", "start date", "end date", "dob"),
        _date(),
    ),
    "death date and age": _date(with_age=True),
    "circa": _circa,
    "c.": _circa,
    "frac": _frac,
    "pagename": _pagename,
    "fullpagename": _pagename,
    **dict.fromkeys(("ndash", "en dash", "–"), _constant("–")),
    **dict.fromkeys(("mdash", "mdashb", "em dash", "—"), _constant("—")),
    **dict.fromkeys(("snd", "spnd", "spaced ndash", "spaced en dash"), _constant(" – ")),
    **dict.fromkeys(("nbsp", "thinsp", "thin space", "space"), _constant(" ")),
    **dict.fromkeys(("·", "dot", "middot"), _constant(" · ")),
    **dict.fromkeys(("bull", "bullet", "•"), _constant(" • ")),
    "'": _constant("'"),
    "'s": _constant("'s"),
    "=": _constant("="),
    "!": _constant("|"),
}


# --- post-processing -------------------------------------------------------------------------


def _remove_broken_brackets(text: str) -> str:
    """DBpedia's removeBrokenBracketsInAbstracts: drop "(; …)", "(, …)" and empty "()" groups."""
    partner: dict[int, int] = {}
    stack: list[int] = []
    for match in _PARENTHESIS.finditer(text):
        if match.group() == "(":
            stack.append(match.start())
        elif stack:
            partner[stack.pop()] = match.start()
    out: list[str] = []
    position = 0
    for match in _BROKEN_OPEN.finditer(text):
        start = match.start()
        if start >= position and start in partner:
            out.append(text[position:start])
            position = partner[start] + 1
    out.append(text[position:])
    return _EMPTY_PARENS.sub("", "".join(out))


def _with_title(text: str, title: str) -> str:
    """DBpedia's hack for leads that start lower-case (mostly after a dropped template)."""
    if text and text[0] != text[0].upper():
        name = _TRAILING_PARENTHETICAL.sub("", title)
        if name.lower() not in text.lower():
            return f"{name} {text}"
    return text


def _lead_wikitext(wikitext: str) -> str:
    wikitext = COMMENT.sub("", wikitext)
    heading = _HEADING_LINE.search(wikitext)
    return _CONTROL.sub("", wikitext[: heading.start()] if heading else wikitext)


# --- public API ------------------------------------------------------------------------------


def lead_text(wikitext: str, title: str) -> str | None:
    """The plain-text lead section as TextExtracts gives it; None when there is none.

    Paragraphs are separated by single newlines; see the module docstring for the rules.
    """
    return lead_text_of(parse(_lead_wikitext(wikitext)).nodes, title)


def lead_text_of(nodes: Iterable[Node], title: str) -> str | None:
    """:func:`lead_text` of a page parsed already (its nodes; rendering stops at a heading)."""
    out: list[str] = []
    _Renderer(title).nodes(nodes, out)
    text = _CONTROL.sub("", _SWITCH.sub("", EMPHASIS.sub("", "".join(out))))
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text.replace("\u00a0", " ")):
        paragraph = _SPACES.sub(" ", _remove_broken_brackets(_SPACES.sub(" ", block))).strip()
        if paragraph:
            paragraphs.append(paragraph)
    return _with_title("\n".join(paragraphs), title) if paragraphs else None


def _java_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def short_abstract(long: str, title: str, max_chars: int = 500) -> str:
    """DBpedia's short abstract: whole sentences (split after ". ") while they fit in ``max_chars``.

    A text shorter than ``max_chars`` comes back whole; when even the first sentence is longer,
    that sentence comes back whole (as DBpedia does). Lengths are counted in UTF-16 units, as Java
    does. The lower-case title rule of :func:`lead_text` is applied first (a no-op on its output).
    """
    text = _with_title(long, title)
    if _java_length(text) < max_chars:
        return text
    kept: list[str] = []
    size = 0
    for sentence in _SENTENCE_END.split(text):
        length = _java_length(sentence)
        if size + length > max_chars:
            return "".join(kept).strip() if kept else sentence
        size += length
        kept.append(sentence)
    return "".join(kept).strip()


def extract_abstracts(page: PageRecord, nodes: Iterable[Node] | None = None) -> list[Triple]:
    """``dbo:abstract`` and ``rdfs:comment`` for a main-namespace article, from its wikitext or
    from ``nodes`` of its parse (before any template rewriting).

    The lines of the lead are joined with nothing, as DBpedia's MediaWiki connector reads the
    TextExtracts answer (``MediaWikiConnector2.readInAbstract``: ``getLines().mkString("")``);
    the short abstract is cut from that text. Nothing for other namespaces, redirects,
    disambiguation pages or pages without lead text.
    """
    if page.namespace != 0 or page.redirect is not None or page.disambiguation:
        return []
    lead = (
        lead_text(page.wikitext, page.title) if nodes is None else lead_text_of(nodes, page.title)
    )
    if lead is None:
        return []
    long = lead.replace("\n", "")
    subject = resource_iri(page.title)
    short = short_abstract(long, page.title)
    return [
        Triple(subject, DBO + "abstract", Literal(long, lang=page.lang), EXTRACTOR),
        Triple(subject, RDFS + "comment", Literal(short, lang=page.lang), EXTRACTOR),
    ]
