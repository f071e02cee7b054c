"""HTML resource pages in the spirit of dbpedia.org's.

Every value is escaped (text and attributes alike); only http(s) URLs and our own paths
(``/page/``, ``/ontology/``, ``/data/``) ever become an ``href`` or ``src``; the pages carry no
script, no inline event handler and a Content-Security-Policy (:data:`CONTENT_SECURITY_POLICY`,
in a ``<meta http-equiv>``) that forbids scripts outright, so nothing from Wikipedia can run.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from html import escape
from pathlib import Path

from dbod.formats import FORMATS
from dbod.web.names import path_segment
from extractors.rdf import DBO, DBR, FOAF, PREFIXES, PROV, RDF_TYPE, RDFS, Literal, Term, Triple

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;line-height:1.4}
header{background:#2a5d8f;color:#fff;padding:1em 2em}
header h1{margin:.2em 0}
header a{color:#fff}
.site{margin:0;font-size:.9em;opacity:.85}
.about{margin:0}
main{padding:1em 2em;max-width:75em}
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f6f9;font-weight:normal}
tbody th{width:25%}
thead th{font-weight:bold}
td{overflow-wrap:anywhere}
.stale{background:#fff3cd;border:1px solid #e0c060;padding:.5em 1em}
.summary{overflow:auto}
.thumb{float:right;max-width:300px;margin:0 0 1em 1em}
.meta,.formats{color:#555;font-size:.9em}
ul.values{margin:0;padding-left:1.2em}
small{color:#666}
footer{color:#666;font-size:.85em;padding:1em 2em;border-top:1px solid #ddd}
"""

_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

#: the policy of every page: no script at all, no fetches but images, only our own style sheet
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; img-src https: http:; style-src 'sha256-{_STYLE_HASH}'; "
    "base-uri 'none'; form-action 'self'"
)
#: the headers of every HTML answer: the policy again, with what only a header can say
HTML_HEADERS = {"Content-Security-Policy": f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'"}

LICENSE = "http://creativecommons.org/licenses/by-sa/3.0/"
#: a digest of this module and the format table (pages link every format by its label): cached
#: pages of an older layout are never served
PAGE_LAYOUT = hashlib.sha256(
    Path(__file__).read_bytes() + repr(list(FORMATS.values())).encode()
).hexdigest()[:12]

_COMPACT = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


def compact(iri: str) -> str:
    """``http://dbpedia.org/ontology/City`` -> ``dbo:City`` (the IRI itself if no prefix fits)."""
    for namespace, prefix in _COMPACT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _attr(value: str) -> str:
    """A value for a double-quoted attribute."""
    return escape(value, quote=True)


def _web_url(iri: str) -> str | None:
    """``iri`` if it is an http(s) URL (the only kind a page links to or loads), else None."""
    return iri if iri.startswith(("http://", "https://")) else None


def _href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: our own page for DBpedia resources and ontology terms,
    the IRI itself for other http(s) IRIs, nowhere for anything else."""
    if iri.startswith(DBR) and len(iri) > len(DBR):
        return "/page/" + path_segment(iri[len(DBR) :])
    if iri.startswith(DBO) and len(iri) > len(DBO):
        return "/ontology/" + path_segment(iri[len(DBO) :])
    return _web_url(iri)


def render_term(term: Term | str) -> str:
    """A value as safe HTML: literals escaped with language or datatype, IRIs as links."""
    if isinstance(term, Literal):
        text = escape(term.lexical)
        if term.lang:
            return f"{text} <small>@{escape(term.lang)}</small>"
        if term.datatype:
            return f"{text} <small>({escape(compact(term.datatype))})</small>"
        return text
    iri = str(term)
    label = escape(compact(iri))
    href = _href(iri)
    if href is None:
        return label
    external = "" if href.startswith("/") else " rel=nofollow"
    return f'<a href="{_attr(href)}"{external}>{label}</a>'


def _objects(triples: Iterable[Triple], subject: str, predicate: str) -> list[Term]:
    return [t.object for t in triples if t.subject == subject and t.predicate == predicate]


def _preferred_literal(triples: list[Triple], subject: str, predicate: str) -> Literal | None:
    """The English value, else one without a language, else the first."""
    literals = [o for o in _objects(triples, subject, predicate) if isinstance(o, Literal)]
    return min(literals, key=lambda lit: {"en": 0, None: 1}.get(lit.lang, 2), default=None)


def _first_url(triples: list[Triple], subject: str, predicate: str) -> str | None:
    for value in _objects(triples, subject, predicate):
        if not isinstance(value, Literal) and _web_url(value):
            return value
    return None


def _value_list(values: list[Term]) -> str:
    items = "".join(f"<li>{render_term(value)}</li>" for value in values)
    return f"<ul class=values>{items}</ul>"


def _grouped(pairs: Iterable[tuple[str, Term]]) -> dict[str, list[Term]]:
    """Values by key, each value once, keys sorted by their compact form."""
    groups: dict[str, list[Term]] = {}
    for key, value in pairs:
        values = groups.setdefault(key, [])
        if value not in values:
            values.append(value)
    return {key: groups[key] for key in sorted(groups, key=compact)}


def _properties(triples: list[Triple], subject: str) -> str:
    groups = _grouped((t.predicate, t.object) for t in triples if t.subject == subject)
    rows = "".join(
        f"<tr><th scope=row>{render_term(predicate)}</th><td>{_value_list(values)}</td></tr>"
        for predicate, values in groups.items()
    )
    return (
        "<h2>Properties</h2><table class=properties><thead><tr><th scope=col>Property</th>"
        f"<th scope=col>Value</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _incoming(triples: list[Triple], subject: str) -> str:
    groups = _grouped(
        (t.predicate, t.subject) for t in triples if t.object == subject and t.subject != subject
    )
    if not groups:
        return ""
    rows = "".join(
        f"<tr><th scope=row>is {render_term(predicate)} of</th><td>{_value_list(values)}</td></tr>"
        for predicate, values in groups.items()
    )
    return (
        "<h2>Incoming links</h2><table class=incoming><thead><tr><th scope=col>Property</th>"
        f"<th scope=col>Subject</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _provenance(
    triples: list[Triple], subject: str, revision: int, timestamp: str, extracted: str
) -> str:
    """Which Wikipedia revision the description comes from, and when it was extracted."""
    revision_text = f"revision {revision}"
    revision_url = _first_url(triples, subject, PROV + "wasDerivedFrom")
    if revision_url:
        revision_text = f'<a href="{_attr(revision_url)}" rel=nofollow>{revision_text}</a>'
    article = _first_url(triples, subject, FOAF + "isPrimaryTopicOf")
    article_text = "Wikipedia article"
    if article:
        article_text = f'<a href="{_attr(article)}" rel=nofollow>{article_text}</a>'
    edited = f" (edited {escape(timestamp)})" if timestamp else ""
    at = f", extracted {escape(extracted)}" if extracted else ""
    return f"<p class=meta>From {revision_text}{edited} of the {article_text}{at}.</p>"


def _stale_notice(revision: int | None, extracted: str) -> str:
    which = f" (revision {revision}, extracted {escape(extracted)})" if revision is not None else ""
    return (
        "<p class=stale role=alert><strong>Possibly out of date.</strong> Wikipedia could not be "
        f"reached just now, so this is the last description we extracted{which}.</p>"
    )


def _head(title: str, extra: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name=viewport content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} — DBpedia on Demand</title>\n<style>{STYLE}</style>\n{extra}"
        "</head>"
    )


def render_page(
    *,
    subject: str,
    name: str,
    triples: list[Triple],
    revision: int | None = None,
    timestamp: str = "",
    extracted: str = "",
    stale: bool = False,
    data_path: str = "/data/",
) -> str:
    """The HTML page of ``subject`` (``name`` is its encoded name, as in its IRI).

    ``revision``, ``timestamp`` and ``extracted`` say where a description extracted from
    Wikipedia comes from (omit them for a page not from Wikipedia, such as an ontology term);
    ``stale`` adds the notice that Wikipedia could not be reached. The data formats are
    linked at ``{data_path}{name}.{extension}``.
    """
    label = _preferred_literal(triples, subject, RDFS + "label")
    title = label.lexical if label is not None else name.replace("_", " ")
    abstract = _preferred_literal(triples, subject, DBO + "abstract")
    thumbnail = _first_url(triples, subject, DBO + "thumbnail")
    types = [t for t in _objects(triples, subject, RDF_TYPE) if not isinstance(t, Literal)]
    kind = next((t for t in types if t.startswith(DBO)), types[0] if types else None)
    data = _attr(data_path + path_segment(name))
    formats = [(fmt, f"{data}.{fmt.extensions[0]}") for fmt in FORMATS.values()]
    alternates = "".join(
        f'<link rel=alternate type="{fmt.media_type}" href="{href}">\n' for fmt, href in formats
    )
    format_links = " · ".join(
        f'<a rel=alternate type="{fmt.media_type}" href="{href}">{escape(fmt.label)}</a>'
        for fmt, href in formats
    )
    about = f"An entity of type {render_term(kind)} · " if kind is not None else ""
    image = (
        f'<img class=thumb src="{_attr(thumbnail)}" alt="{_attr(title)}"'
        " referrerpolicy=no-referrer>"
        if thumbnail
        else ""
    )
    summary = f"<p class=abstract>{escape(abstract.lexical)}</p>" if abstract is not None else ""
    provenance = (
        _provenance(triples, subject, revision, timestamp, extracted)
        if revision is not None
        else ""
    )
    return f"""{_head(title, alternates)}
<body>
<header><p class=site>DBpedia on Demand</p><h1>{escape(title)}</h1>
<p class=about>{about}<code>{escape(subject)}</code></p></header>
<main>
{_stale_notice(revision, extracted) if stale else ""}
{provenance}
<p class=formats>Data: {format_links}</p>
<section class=summary>{image}{summary}</section>
{_properties(triples, subject)}
{_incoming(triples, subject)}
</main>
<footer>Data under the <a href="{LICENSE}" rel=license>CC BY-SA 3.0</a> license.</footer>
</body></html>
"""


def render_message(status: int, message: str) -> str:
    """A small HTML error page."""
    return f"""{_head(str(status))}
<body><header><p class=site>DBpedia on Demand</p><h1>{status}</h1></header>
<main><p class=message>{escape(message)}</p></main></body></html>
"""
