"""The errors of the client API, the same whether a server answered or the core did in-process.

Every HTTP error status of the service maps to one of them (:func:`error_for`); each carries
``status`` (the HTTP status the service gives for it) and ``message``.
"""

from __future__ import annotations

import re

_SYNTAX_AT = re.compile(r"\(line (\d+), column (\d+)\)\s*$")
_FEATURE = re.compile(r"unsupported: (.+?)(?: \(this endpoint evaluates .*\))?\s*$", re.DOTALL)
_LIMIT = re.compile(r"exceeded the (\S+) limit \(([^)]*)\)")


class DbodError(Exception):
    """Base class: the service (or the in-process core) could not answer."""

    status: int | None = None

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NotFound(DbodError, LookupError):
    """No such page, or no such intermediate node on its page (404)."""

    status = 404


class InvalidName(DbodError, ValueError):
    """The name cannot be a resource: not a valid page title (400)."""

    status = 400


class QuerySyntaxError(DbodError, ValueError):
    """The query is not legal SPARQL; ``line`` and ``column`` (1-based) locate the error (400)."""

    status = 400

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class UnsupportedQuery(DbodError):
    """Legal SPARQL that uses ``feature``, which the engine does not evaluate (501)."""

    status = 501

    def __init__(self, message: str, feature: str) -> None:
        super().__init__(message)
        self.feature = feature


class LimitExceeded(DbodError):
    """The query passed ``limit`` (``resources_fetched``, ``wall_time`` or ``results``), whose
    configured value is ``value`` (422)."""

    status = 422

    def __init__(self, message: str, limit: str, value: float | None) -> None:
        super().__init__(message)
        self.limit = limit
        self.value = value


class UpstreamUnavailable(DbodError):
    """Wikipedia (or the service itself, for a 429) cannot answer now; try again after
    ``retry_after`` seconds, if known (503, 429)."""

    status = 503

    def __init__(self, message: str, retry_after: float | None, status: int | None = None) -> None:
        super().__init__(message, status)
        self.retry_after = retry_after


class ServiceUnreachable(DbodError):
    """The service could not be reached, or did not answer within the timeout (no status);
    the httpx error is the ``__cause__``."""


def error_for(status: int, message: str, retry_after: float | None = None) -> DbodError:
    """The exception for an HTTP error answer: its status, message and Retry-After (seconds)."""
    if status == 404:
        return NotFound(message)
    if status == 400:
        at = _SYNTAX_AT.search(message)
        if at is not None:
            return QuerySyntaxError(message, int(at[1]), int(at[2]))
        if message.startswith("malformed resource name"):
            return InvalidName(message)
    if status == 501:
        feature = _FEATURE.match(message)
        return UnsupportedQuery(message, feature[1] if feature else message)
    if status == 422:
        limit = _LIMIT.search(message)
        if limit is not None:
            return LimitExceeded(message, limit[1], _number(limit[2]))
    if status in (429, 503):
        return UpstreamUnavailable(message, retry_after, status)
    return DbodError(message, status)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
