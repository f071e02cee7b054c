"""HTML resource pages in the spirit of dbpedia.org's. Every value is escaped; only http(s)
links are ever made clickable, so nothing from Wikipedia can run in a browser."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from dbod.formats import FORMATS
from dbod.web.names import path_segment
from extractors.rdf import DBO, DBR, FOAF, PREFIXES, RDFS, Literal, Term, Triple

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#222}
header{background:#2a5d8f;color:#fff;padding:1em 2em}
header a{color:#fff}
main{padding:1em 2em;max-width:75em}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f6f9;width:25%}
.stale{background:#fff3cd;border:1px solid #e0c060;padding:.5em 1em}
.thumb{float:right;max-width:300px;margin:0 0 1em 1em}
.meta{color:#666;font-size:.9em}
ul.values{margin:0;padding-left:1.2em}
"""

_COMPACT = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


def compact(iri: str) -> str:
    """``http://dbpedia.org/ontology/City`` -> ``dbo:City`` (the IRI itself if no prefix fits)."""
    for namespace, prefix in _COMPACT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: our own page for DBpedia resources, the IRI for http(s)."""
    if iri.startswith(DBR):
        return "/page/" + path_segment(iri[len(DBR) :])
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def render_term(term: Term | str) -> str:
    """A value as safe HTML: literals escaped with language or datatype, IRIs as links."""
    if isinstance(term, Literal):
        text = escape(term.lexical)
        if term.lang:
            return f"{text} <small>@{escape(term.lang)}</small>"
        if term.datatype:
            return f"{text} <small>({escape(compact(term.datatype))})</small>"
        return text
    href = _href(str(term))
    label = escape(compact(str(term)))
    return f'<a href="{escape(href, quote=True)}">{label}</a>' if href else label


def _first(triples: Iterable[Triple], subject: str, predicate: str) -> Term | None:
    for triple in triples:
        if triple.subject == subject and triple.predicate == predicate:
            return triple.object
    return None


def _rows(triples: list[Triple], subject: str) -> str:
    by_predicate: dict[str, list[Term]] = {}
    for triple in triples:
        if triple.subject == subject:
            values = by_predicate.setdefault(triple.predicate, [])
            if triple.object not in values:
                values.append(triple.object)
    rows = []
    for predicate in sorted(by_predicate, key=compact):
        values = "".join(f"<li>{render_term(value)}</li>" for value in by_predicate[predicate])
        rows.append(
            f"<tr><th>{render_term(predicate)}</th><td><ul class=values>{values}</ul></td></tr>"
        )
    return "".join(rows)


def _incoming(triples: list[Triple], subject: str) -> str:
    rows = sorted(
        {(t.subject, t.predicate) for t in triples if t.object == subject and t.subject != subject}
    )
    return "".join(f"<tr><td>{render_term(s)}</td><td>{render_term(p)}</td></tr>" for s, p in rows)


def render_page(
    *,
    subject: str,
    name: str,
    triples: list[Triple],
    revision: int,
    timestamp: str,
    extracted: str,
    stale: bool,
) -> str:
    """The HTML page of a resource (``name`` is its encoded name, as in its IRI)."""
    label = _first(triples, subject, RDFS + "label")
    title = label.lexical if isinstance(label, Literal) else name.replace("_", " ")
    abstract = _first(triples, subject, DBO + "abstract")
    thumbnail = _first(triples, subject, DBO + "thumbnail")
    article = _first(triples, subject, FOAF + "isPrimaryTopicOf")
    segment = path_segment(name)
    formats = " · ".join(
        f'<a href="/data/{escape(segment, quote=True)}.{fmt.extensions[0]}">{escape(fmt.name)}</a>'
        for fmt in FORMATS.values()
    )
    image = ""
    if thumbnail is not None and str(thumbnail).startswith(("http://", "https://")):
        image = f'<img class=thumb alt="" src="{escape(str(thumbnail), quote=True)}">'
    notice = (
        "<p class=stale>Wikipedia could not be reached: this is the last description we have, "
        "possibly out of date.</p>"
        if stale
        else ""
    )
    source = (
        f'<a href="{escape(str(article), quote=True)}">Wikipedia article</a>' if article else ""
    )
    incoming = _incoming(triples, subject)
    incoming_table = (
        f"<h2>Incoming links</h2><table><tr><th>from</th><th>property</th></tr>{incoming}</table>"
        if incoming
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1">
<title>{escape(title)} — DBpedia on Demand</title>
<style>{STYLE}</style>
<link rel=alternate type="text/turtle" href="/data/{escape(segment, quote=True)}.ttl">
</head><body>
<header><h1>{escape(title)}</h1><div>{escape(subject)}</div></header>
<main>
{notice}
{image}
<p>{escape(abstract.lexical) if isinstance(abstract, Literal) else ""}</p>
<p class=meta>{source} · revision {revision} ({escape(timestamp)}) · extracted {escape(extracted)}
 · data: {formats}</p>
<h2>Properties</h2>
<table>{_rows(triples, subject)}</table>
{incoming_table}
</main></body></html>
"""


def render_message(status: int, message: str) -> str:
    """A small HTML error page."""
    return f"""<!DOCTYPE html>
<html lang=en><head><meta charset=utf-8><title>{status}</title><style>{STYLE}</style></head>
<body><header><h1>{status}</h1></header><main><p>{escape(message)}</p></main></body></html>
"""
