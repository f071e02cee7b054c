"""Linked Data routes, as dbpedia.org has them: /resource (303 by Accept), /data, /page."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from dbod.core import Core, Description, NotFound
from dbod.formats import BY_EXTENSION, BY_MEDIA_TYPE, FORMATS, serialize
from dbod.settings import Settings
from dbod.sources.mediawiki import UpstreamError, UpstreamUnavailable
from dbod.web.conneg import negotiate
from dbod.web.errors import Problem
from dbod.web.html import render_page
from dbod.web.names import ResourceName, parse_name, path_segment
from extractors.rdf import DBR, Triple
from extractors.titles import InvalidTitle, wiki_encode

router = APIRouter()

HTML_TYPES = ["text/html", "application/xhtml+xml"]
LICENSE = "http://creativecommons.org/licenses/by-sa/3.0/"


def _raw_name(request: Request, prefix: str) -> str:
    """The name exactly as sent (still percent-encoded), so it is decoded exactly once."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    return path[len(prefix) :]


def _parse(raw: str) -> ResourceName:
    try:
        return parse_name(raw)
    except InvalidTitle as exc:
        raise Problem(400, f"malformed resource name: {exc}") from None


@router.get("/resource/{name:path}", summary="A DBpedia resource: 303 to its page or data")
async def resource(request: Request, name: str) -> Response:
    """See Other to ``/page/NAME`` for browsers, or to ``/data/NAME.EXT`` by Accept."""
    parsed = _parse(_raw_name(request, "/resource/"))
    offers = [*HTML_TYPES, *BY_MEDIA_TYPE]
    chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        supported = ", ".join(offers)
        raise Problem(
            406, f"no acceptable representation; available: {supported}", {"Vary": "Accept"}
        )
    segment = path_segment(parsed.encoded)
    if chosen in HTML_TYPES:
        target = f"/page/{segment}"
    else:
        target = f"/data/{segment}.{BY_MEDIA_TYPE[chosen].extensions[0]}"
    return RedirectResponse(target, 303, headers={"Vary": "Accept"})


async def _describe(request: Request, parsed: ResourceName) -> Description:
    core: Core = request.app.state.core
    try:
        return await core.get(parsed.title)
    except NotFound:
        raise Problem(404, f"no Wikipedia page is titled {parsed.title!r}") from None
    except InvalidTitle as exc:
        raise Problem(400, f"malformed resource name: {exc}") from None
    except UpstreamUnavailable as exc:
        retry = str(max(1, round(exc.retry_after)))
        raise Problem(503, "Wikipedia is unreachable and nothing is cached; try again later",
                      {"Retry-After": retry}) from None  # fmt: skip
    except UpstreamError:
        raise Problem(
            503, "Wikipedia answered unusably; try again later", {"Retry-After": "60"}
        ) from None


def _redirect_to_target(
    parsed: ResourceName, described: Description, kind: str, ext: str = ""
) -> Response | None:
    if parsed.node or described.title == parsed.title:
        return None
    target = f"/{kind}/{path_segment(wiki_encode(described.title))}{ext}"
    return RedirectResponse(target, 303)


async def _triples(request: Request, parsed: ResourceName, described: Description) -> list[Triple]:
    """The resource's statements: its page's extraction and, for a page, incoming statements."""
    if parsed.node:
        node = DBR + parsed.node
        found = [t for t in described.triples if t.subject == node or t.object == node]
        if not found:
            raise Problem(404, f"the page {parsed.title!r} has no node {parsed.node!r}")
        return found
    settings: Settings = request.app.state.settings
    if settings.incoming_limit <= 0:
        return described.triples
    core: Core = request.app.state.core
    try:
        incoming = await core.incoming(described.title, settings.incoming_limit)
    except (UpstreamUnavailable, UpstreamError):
        incoming = []
    return [*described.triples, *incoming]


def _last_modified(described: Description) -> datetime | None:
    try:
        return datetime.fromisoformat(described.timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def _not_modified(request: Request, etag: str, modified: datetime | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return (
            etag in {tag.strip() for tag in if_none_match.split(",")}
            or if_none_match.strip() == "*"
        )
    since = request.headers.get("if-modified-since")
    if since and modified is not None:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _caching_headers(request: Request, described: Description, body: bytes) -> dict[str, str]:
    settings: Settings = request.app.state.settings
    digest = hashlib.sha256(body).hexdigest()[:16]
    headers = {
        "ETag": f'"r{described.revision}-{digest}"',
        "Cache-Control": f"public, max-age={int(settings.ttl)}",
    }
    modified = _last_modified(described)
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
    return headers


def _links(segment: str, current: str) -> str:
    links = [f'<{LICENSE}>; rel="license"', f'</page/{segment}>; rel="alternate"; type="text/html"']
    for fmt in FORMATS.values():
        if fmt.name != current:
            links.append(
                f'</data/{segment}.{fmt.extensions[0]}>; rel="alternate"; type="{fmt.media_type}"'
            )
    links.append(f'<{DBR}{segment}>; rel="http://xmlns.com/foaf/0.1/primaryTopic"')
    return ", ".join(links)


def _respond(
    request: Request, described: Description, body: bytes, media_type: str, extra: dict[str, str]
) -> Response:
    headers = {**_caching_headers(request, described, body), **extra}
    if described.stale:
        headers["Warning"] = '110 - "Response is Stale"'
    if _not_modified(request, headers["ETag"], _last_modified(described)):
        return Response(status_code=304, headers=headers)
    return Response(body, 200, headers, media_type=media_type)


@router.get("/data/{filename:path}", summary="A resource's description in an RDF format")
async def data(request: Request, filename: str) -> Response:
    """The statements about a resource (outgoing and incoming), in the format of the extension."""
    raw = _raw_name(request, "/data/")
    stem, dot, ext = raw.rpartition(".")
    fmt = BY_EXTENSION.get(ext.lower()) if dot else None
    if fmt is None:
        supported = ", ".join(f".{e}" for e in BY_EXTENSION)
        raise Problem(404, f"unsupported format extension; supported: {supported}")
    parsed = _parse(stem)
    described = await _describe(request, parsed)
    moved = _redirect_to_target(parsed, described, "data", f".{ext}")
    if moved is not None:
        return moved
    triples = await _triples(request, parsed, described)
    body = serialize(triples, fmt.name).encode()
    segment = path_segment(parsed.encoded)
    media_type = fmt.media_type + ("; charset=utf-8" if fmt.name != "rdfxml" else "")
    return _respond(request, described, body, media_type, {"Link": _links(segment, fmt.name)})


@router.get("/page/{name:path}", summary="A resource's HTML page")
async def page(request: Request, name: str) -> Response:
    """An HTML page of the resource: label, abstract, properties, incoming links, formats."""
    parsed = _parse(_raw_name(request, "/page/"))
    described = await _describe(request, parsed)
    moved = _redirect_to_target(parsed, described, "page")
    if moved is not None:
        return moved
    triples = await _triples(request, parsed, described)
    extracted = datetime.fromtimestamp(described.checked, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    body = render_page(
        subject=DBR + parsed.encoded,
        name=parsed.encoded,
        triples=triples,
        revision=described.revision,
        timestamp=described.timestamp,
        extracted=extracted,
        stale=described.stale,
    ).encode()
    segment = path_segment(parsed.encoded)
    return _respond(
        request, described, body, "text/html; charset=utf-8", {"Link": _links(segment, "")}
    )
