"""Linked Data routes, as dbpedia.org has them: /resource (303 by Accept), /data, /page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property, lru_cache

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from dbod.core import Core, Description, NoSuchNode, NotFound
from dbod.formats import BY_EXTENSION, BY_MEDIA_TYPE, FORMATS, serialize
from dbod.settings import Settings
from dbod.store import representation_key
from dbod.web.errors import Problem, negotiate_or_406
from dbod.web.html import HTML_HEADERS, LICENSE, PAGE_LAYOUT, render_page
from dbod.web.memory import ExpiringLRU
from dbod.web.names import ResourceName, parse_name, path_segment
from extractors.rdf import DBR, Triple
from extractors.titles import InvalidTitle, wiki_encode

router = APIRouter()

HTML_TYPES = ["text/html", "application/xhtml+xml"]


def _raw_name(request: Request, prefix: str) -> str:
    """The name exactly as sent (still percent-encoded), so it is decoded exactly once."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    return path[len(prefix) :]


@lru_cache(maxsize=4096)
def _parse(raw: str) -> ResourceName:
    try:
        return parse_name(raw)
    except InvalidTitle as exc:
        raise Problem(400, f"malformed resource name: {exc}") from None


@router.get("/resource/{name:path}", summary="A DBpedia resource: 303 to its page or data")
async def resource(request: Request, name: str) -> Response:
    """See Other to ``/page/NAME`` for browsers, or to ``/data/NAME.EXT`` by Accept."""
    parsed = _parse(_raw_name(request, "/resource/"))
    chosen = negotiate_or_406(request, [*HTML_TYPES, *BY_MEDIA_TYPE])
    segment = path_segment(parsed.encoded)
    if chosen in HTML_TYPES:
        target = f"/page/{segment}"
    else:
        target = f"/data/{segment}.{BY_MEDIA_TYPE[chosen].extensions[0]}"
    return RedirectResponse(target, 303, headers={"Vary": "Accept"})


async def _describe(request: Request, parsed: ResourceName) -> Description:
    """The description of the named page; Wikipedia's failures become 503s (errors.py)."""
    core: Core = request.app.state.core
    try:
        return await core.get(parsed.title)
    except NotFound:
        raise Problem(404, f"no Wikipedia page is titled {parsed.title!r}") from None
    except InvalidTitle as exc:
        raise Problem(400, f"malformed resource name: {exc}") from None


def _wants_incoming(request: Request) -> bool:
    """``?incoming=false`` (or 0/no) leaves out the statements of linking pages."""
    return request.query_params.get("incoming", "").lower() not in ("0", "false", "no")


async def _served(request: Request, parsed: ResourceName, described: Description) -> Description:
    """The resource as served: its page's extraction and, for a page, incoming statements."""
    settings: Settings = request.app.state.settings
    core: Core = request.app.state.core
    limit = settings.incoming_limit if _wants_incoming(request) else 0
    try:
        return await core.statements(described, node=parsed.node, incoming_limit=limit)
    except NoSuchNode as exc:
        raise Problem(404, str(exc)) from None


@dataclass(frozen=True)
class Rendered:
    """A response body and what its caching headers need."""

    body: bytes
    revision: int
    timestamp: str
    stale: bool = False

    @cached_property
    def etag(self) -> str:
        """A strong validator: the page revision and a digest of the body."""
        return f'"r{self.revision}-{hashlib.sha256(self.body).hexdigest()[:16]}"'

    @cached_property
    def modified(self) -> datetime | None:
        """When the revision was saved, if known."""
        try:
            return datetime.fromisoformat(self.timestamp.replace("Z", "+00:00"))
        except ValueError:
            return None


#: rendered responses of hot resources, per worker process
MEMORY: ExpiringLRU[tuple[Rendered, str]] = ExpiringLRU(256)


async def _render(
    request: Request,
    parsed: ResourceName,
    kind: str,
    variant: str,
    suffix: str,
    render: Callable[[list[Triple], Description], bytes],
) -> Rendered | Response:
    """The rendered representation, from the representation cache while the page is fresh;
    a 303 Response when the name is a redirect."""
    core: Core = request.app.state.core
    settings: Settings = request.app.state.settings
    variant = f"{variant}-{core.version}-{'in' if _wants_incoming(request) else 'out'}"
    memory_key = (core.wiki, parsed.title, parsed.node, variant)
    remembered = MEMORY.get(memory_key, core.clock())
    if remembered is not None:
        rendered, target = remembered
        return rendered if target == parsed.title else _moved(kind, target, suffix)
    pointer = None if parsed.node else core.fresh_pointer(parsed.title)
    if pointer is not None:
        expires = pointer.checked + settings.ttl
        if pointer.target != parsed.title:
            MEMORY.put(memory_key, (Rendered(b"", 0, ""), pointer.target), expires)
            return _moved(kind, pointer.target, suffix)
        key = representation_key(core.wiki, pointer.target, pointer.revision, variant)
        body = core.cache.get(key)
        if body is not None:
            rendered = Rendered(body, pointer.revision, pointer.timestamp)
            MEMORY.put(memory_key, (rendered, pointer.target), expires)
            return rendered
    described = await _describe(request, parsed)
    if not parsed.node and described.title != parsed.title:
        return _moved(kind, described.title, suffix)
    described = await _served(request, parsed, described)
    body = render(described.triples, described)
    rendered = Rendered(body, described.revision, described.timestamp, described.stale)
    if not described.stale:
        if not parsed.node:
            key = representation_key(core.wiki, described.title, described.revision, variant)
            core.cache.set(key, body, expire=settings.ttl)
        MEMORY.put(memory_key, (rendered, described.title), described.checked + settings.ttl)
    return rendered


def _moved(kind: str, title: str, suffix: str) -> Response:
    return RedirectResponse(f"/{kind}/{path_segment(wiki_encode(title))}{suffix}", 303)


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


@lru_cache(maxsize=4096)
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
    request: Request, rendered: Rendered, media_type: str, extra: dict[str, str]
) -> Response:
    settings: Settings = request.app.state.settings
    headers = {
        "ETag": rendered.etag,
        "Cache-Control": f"public, max-age={int(settings.ttl)}",
        **extra,
    }
    modified = rendered.modified
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
    if rendered.stale:
        headers["Warning"] = '110 - "Response is Stale"'
    if _not_modified(request, headers["ETag"], modified):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, 200, headers, media_type=media_type)


@router.get("/data/{filename:path}", summary="A resource's description in an RDF format")
async def data(request: Request, filename: str) -> Response:
    """The statements about a resource (outgoing and incoming), in the format of the extension;
    ``?incoming=false`` gives the outgoing statements only."""
    raw = _raw_name(request, "/data/")
    stem, dot, ext = raw.rpartition(".")
    fmt = BY_EXTENSION.get(ext.lower()) if dot else None
    if fmt is None:
        supported = ", ".join(f".{e}" for e in BY_EXTENSION)
        raise Problem(404, f"unsupported format extension; supported: {supported}")
    parsed = _parse(stem)
    rendered = await _render(
        request, parsed, "data", fmt.name, f".{ext}",
        lambda triples, _: serialize(triples, fmt.name).encode(),
    )  # fmt: skip
    if isinstance(rendered, Response):
        return rendered
    media_type = fmt.media_type + ("; charset=utf-8" if fmt.name != "rdfxml" else "")
    links = {"Link": _links(path_segment(parsed.encoded), fmt.name)}
    return _respond(request, rendered, media_type, links)


@router.get("/page/{name:path}", summary="A resource's HTML page")
async def page(request: Request, name: str) -> Response:
    """An HTML page of the resource: label, abstract, properties, incoming links, formats."""
    parsed = _parse(_raw_name(request, "/page/"))

    def html(triples: list[Triple], described: Description) -> bytes:
        extracted = datetime.fromtimestamp(described.checked, UTC)
        return render_page(
            subject=DBR + parsed.encoded,
            name=parsed.encoded,
            triples=triples,
            revision=described.revision,
            timestamp=described.timestamp,
            extracted=extracted.strftime("%Y-%m-%d %H:%M:%S UTC"),
            stale=described.stale,
        ).encode()

    rendered = await _render(request, parsed, "page", f"html-{PAGE_LAYOUT}", "", html)
    if isinstance(rendered, Response):
        return rendered
    headers = {"Link": _links(path_segment(parsed.encoded), ""), **HTML_HEADERS}
    return _respond(request, rendered, "text/html; charset=utf-8", headers)
