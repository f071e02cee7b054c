"""Errors as HTTP answers: the right status, a message naming the problem, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from dbod.formats import BY_MEDIA_TYPE
from dbod.sources.mediawiki import UpstreamError, UpstreamUnavailable
from dbod.web.conneg import negotiate
from dbod.web.html import HTML_HEADERS, render_message

log = logging.getLogger(__name__)


class Problem(Exception):
    """An error the client should see: HTTP ``status``, a ``message`` and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def negotiate_or_406(request: Request, offers: list[str], what: str = "representation") -> str:
    """The offer the request's Accept prefers; a 406 naming the offers (and varying by Accept,
    as the answer it stands for would) when none is acceptable."""
    chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise Problem(
            406, f"no acceptable {what}; available: {', '.join(offers)}", {"Vary": "Accept"}
        )
    return chosen


def upstream_problem(exc: UpstreamUnavailable | UpstreamError) -> Problem:
    """Wikipedia failing a request we could not answer without it: 503, with when to retry."""
    if isinstance(exc, UpstreamUnavailable):
        return Problem(
            503,
            "Wikipedia is unreachable and nothing cached answers this; try again later",
            {"Retry-After": str(max(1, round(exc.retry_after)))},
        )
    return Problem(503, "Wikipedia answered unusably; try again later", {"Retry-After": "60"})


def problem_response(
    request: Request, status: int, message: str, headers: dict[str, str]
) -> Response:
    """The error as HTML for browsers, as an RDF comment for RDF clients, else plain text."""
    offers = ["text/html", "text/plain", *BY_MEDIA_TYPE]
    chosen = negotiate(request.headers.get("accept"), offers) or "text/plain"
    if chosen == "text/html":
        return HTMLResponse(render_message(status, message), status, {**headers, **HTML_HEADERS})
    fmt = BY_MEDIA_TYPE.get(chosen)
    if fmt is not None and fmt.comments:
        body = "".join(f"# {line}\n" for line in message.splitlines())
        return Response(body, status, headers, media_type=fmt.media_type)
    return PlainTextResponse(message + "\n", status, headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map every exception to a clean answer."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return problem_response(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(UpstreamUnavailable)
    @app.exception_handler(UpstreamError)
    async def _upstream(request: Request, exc: UpstreamUnavailable | UpstreamError) -> Response:
        problem = upstream_problem(exc)
        return problem_response(request, problem.status, problem.message, problem.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return problem_response(request, exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(request, 400, "the request is malformed", {})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return problem_response(request, 500, "internal error; it has been logged", {})
