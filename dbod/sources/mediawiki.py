"""Page records from a live MediaWiki through its Action API (any ``api.php`` URL), over httpx.

:class:`MediaWikiSource` (blocking) and :class:`AsyncMediaWikiSource` (asyncio) answer the same
questions with the same results. Neither holds any protocol logic: every operation is a *plan*,
a generator written once in :class:`ActionApi` that yields what it needs done (an
:class:`ApiRequest` to send, a :class:`Sleep` before a retry) and receives the outcome (a
:class:`Reply` or the transport error). Building parameters, choosing GET or POST, following
``continue``, reading replies and deciding on retries are pure code shared by both classes; the
two classes only send requests (``httpx.Client`` or ``httpx.AsyncClient``) and sleep.

Operations
    ``fetch(titles)``
        :class:`FetchResult` for any number of titles, 50 per request
        (``prop=revisions|info|pageprops``, ``rvslots=main``, ``redirects=1``, ``formatversion=2``).
        Titles are validated with :mod:`extractors.titles` first; invalid ones are reported and
        never sent. Each remaining title is followed through the wiki's normalization, variant
        conversion and redirects (every hop is kept in ``FetchResult.redirects``) to the
        :class:`~extractors.page.PageRecord` of its final target, or reported missing or invalid
        (as the wiki says: relative paths, ``~~~``, interwiki titles...). A batch whose revisions
        are split over ``continue`` replies is merged before it is read. ``pageprops`` give
        ``wikidata_item`` (``wikibase_item``) and ``disambiguation``.
    ``last_revisions(titles)``
        The latest revision id of the page ``fetch`` would return for each title (``prop=info``
        only, 50 per request); None for missing and invalid titles.
    ``backlinks(title, namespace=0, limit=500)``
        Titles of pages linking to ``title`` (``list=backlinks``, paged with ``blcontinue``).
    ``pages_in_namespace(ns)``
        ``(title, wikitext)`` of every page of a namespace, redirects included
        (``generator=allpages`` with content), one batch of pages at a time.
    ``resolve_redirects(titles)``
        Titles that redirect to an existing page, mapped to that page's title (``redirects=1``
        without content, 50 per request).
    ``template_redirects(names)``
        Template names that are redirects, mapped to the name of the template they lead to.
    ``siteinfo()``
        The wiki's language and namespace table; the source adopts both (title validation with
        the wiki's own namespace names, ``PageRecord.lang``).

Robustness
    Every request carries ``maxlag`` (default 5 s) and a User-Agent
    ``dbod/<version> (DBpedia on Demand; <contact>)``, the contact from ``contact=`` or
    ``$DBOD_CONTACT`` (Wikimedia's User-Agent policy asks for one).
    HTTP 429 and 5xx, ``maxlag``/``ratelimited`` API errors, timeouts and
    connection errors are retried with capped exponential backoff and jitter
    (:class:`RetryPolicy`), never sooner than a ``Retry-After`` header asks; when retries or the
    total deadline run out, :class:`UpstreamUnavailable` carries a retry hint in seconds. Replies
    that are not usable (other HTTP errors, not JSON, an unexpected shape, an API ``error``
    object, a body beyond ``max_response_bytes``, 64 MB by default) raise
    :class:`UpstreamError`. Both name the endpoint. Requests stay small by construction (at most
    50 titles of at most 255 bytes each) and travel as POST bodies when too long for a URL.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import os
import random
import time
import unicodedata
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx

from dbod import __version__
from dbod.settings import DEFAULT_SOURCE
from extractors.page import PageRecord
from extractors.titles import ENGLISH, InvalidTitle, Namespaces, parse_title

__all__ = [
    "ActionApi",
    "ApiRequest",
    "AsyncMediaWikiSource",
    "FetchResult",
    "MediaWikiError",
    "MediaWikiSource",
    "Reply",
    "RetryPolicy",
    "SiteInfo",
    "Sleep",
    "UpstreamError",
    "UpstreamUnavailable",
    "template_title",
    "user_agent",
]

logger = logging.getLogger(__name__)

PRODUCT_NAME = "DBpedia on Demand"
CONTACT_ENV = "DBOD_CONTACT"
#: Titles per request: the Action API's limit for clients without the ``apihighlimits`` right.
BATCH_SIZE = 50
MAX_RESPONSE_BYTES = 64 << 20
#: Requests whose URL would be longer go as POST bodies.
MAX_GET_URL = 4096
#: API error codes that mean "come back later" rather than "this request is wrong".
RETRYABLE_API_ERRORS = frozenset({"maxlag", "ratelimited"})
TEMPLATE_NAMESPACE = 10

T = TypeVar("T")


# -- errors ---------------------------------------------------------------------------------------


class MediaWikiError(Exception):
    """A MediaWiki Action API could not answer; ``endpoint`` is its URL."""

    def __init__(self, endpoint: str, message: str) -> None:
        self.endpoint = endpoint
        super().__init__(f"{endpoint}: {message}")


class UpstreamUnavailable(MediaWikiError):
    """The wiki stayed unreachable or overloaded through every retry; try again after
    ``retry_after`` seconds. ``reason`` is the last failure."""

    def __init__(self, endpoint: str, retry_after: float, reason: str = "") -> None:
        self.retry_after = retry_after
        self.reason = reason
        last = f" (last failure: {reason})" if reason else ""
        super().__init__(endpoint, f"unavailable, retry after {retry_after:.1f} s{last}")


class UpstreamError(MediaWikiError):
    """The wiki answered, but not usably: HTTP error, not JSON, unexpected shape or an API
    ``error`` object (whose code is ``code``)."""

    def __init__(self, endpoint: str, message: str, code: str | None = None) -> None:
        self.message = message
        self.code = code
        super().__init__(endpoint, message)


class _Malformed(Exception):
    """A reply lacks what the protocol promises (turned into UpstreamError with the endpoint)."""


class _Retry(Exception):
    """A failure worth retrying, with the server's Retry-After (seconds) if it sent one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


# -- plan effects and outcomes --------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRequest:
    """One call to send: its parameters, in the URL (GET) or a form body (POST)."""

    params: dict[str, str]
    method: str = "GET"


@dataclass(frozen=True)
class Sleep:
    """Wait this long before going on (a backoff before a retry)."""

    seconds: float


@dataclass(frozen=True)
class Reply:
    """What came back for a request: status, body and the Retry-After header.

    ``too_large`` says the body was cut off at the size limit (``body`` is then empty).
    """

    status: int
    body: bytes = b""
    retry_after: str | None = None
    too_large: bool = False


Effect = ApiRequest | Sleep
Outcome = Reply | httpx.RequestError | None
Plan = Generator[Effect, Outcome, T]


# -- results --------------------------------------------------------------------------------------


@dataclass
class FetchResult:
    """What ``fetch`` found for each requested title (keys are the titles as requested).

    ``pages``: the record of the final target (after normalization and redirects);
    ``redirects``: every redirect hop followed, ``(from, to)`` in canonical titles, in order;
    ``normalized``: requested title -> the wiki's canonical form, where they differ;
    ``missing``: titles with no page (also a redirect whose target does not exist);
    ``invalid``: title -> why it cannot be a page (checked locally, or as the wiki reported it).
    """

    pages: dict[str, PageRecord] = field(default_factory=dict)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    normalized: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteInfo:
    """A wiki's name, content language, first-letter case rule and namespace table."""

    sitename: str
    lang: str
    case: str
    namespaces: Namespaces


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter, bounded by a retry count and a total deadline.

    The delay before retry ``n`` (0-based) is ``min(cap, base * 2**n)``, reduced by a random
    fraction of up to ``jitter``, and never shorter than the server's Retry-After.
    ``deadline`` bounds one call's total time, retries included (seconds).
    """

    max_retries: int = 5
    base: float = 0.5
    cap: float = 30.0
    deadline: float = 120.0
    jitter: float = 0.5

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt``."""
        backoff = min(self.cap, self.base * 2.0 ** min(attempt, 64))
        backoff *= 1.0 - self.jitter * random.random()
        return backoff if retry_after is None else max(backoff, retry_after)


def template_title(name: str, namespaces: Namespaces) -> str:
    """The page title of template ``name`` (its namespace prefix optional) under the wiki's
    namespace names; InvalidTitle if it can name no page."""
    if parse_title(name, namespaces).namespace == TEMPLATE_NAMESPACE:
        return name
    return f"{namespaces.name_of(TEMPLATE_NAMESPACE)}:{name}"


def user_agent(contact: str | None = None) -> str:
    """``dbod/<version> (DBpedia on Demand; <contact>)``; contact defaults to ``$DBOD_CONTACT``."""
    contact = contact if contact is not None else os.environ.get(CONTACT_ENV, "")
    details = f"{PRODUCT_NAME}; {contact}" if contact else PRODUCT_NAME
    return f"dbod/{__version__} ({details})"


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now())


def interpret_reply(endpoint: str, outcome: Reply | httpx.RequestError) -> dict[str, Any]:
    """The JSON object of a usable reply; raise _Retry (transient) or UpstreamError."""
    if isinstance(outcome, httpx.RequestError):
        name = type(outcome).__name__
        described = f"{name}: {outcome}" if str(outcome) else name
        if isinstance(outcome, httpx.TransportError):
            raise _Retry(described)
        raise UpstreamError(endpoint, described)
    retry_after = parse_retry_after(outcome.retry_after)
    if outcome.status == 429 or outcome.status >= 500:
        raise _Retry(f"HTTP {outcome.status}", retry_after)
    if not 200 <= outcome.status < 300:
        raise UpstreamError(endpoint, f"HTTP {outcome.status}")
    if outcome.too_large:
        raise UpstreamError(endpoint, "the response exceeds the size limit")
    try:
        data = json.loads(outcome.body)
    except (ValueError, RecursionError) as exc:
        raise UpstreamError(endpoint, f"the response is not JSON ({exc})") from None
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise UpstreamError(endpoint, f"the response is a JSON {kind}, not an object")
    error = data.get("error")
    if error is not None:
        code = error.get("code") if isinstance(error, dict) else None
        info = error.get("info") if isinstance(error, dict) else error
        if code in RETRYABLE_API_ERRORS:
            raise _Retry(f"API error {code}: {info}", retry_after)
        raise UpstreamError(endpoint, f"API error {code}: {info}", str(code) if code else None)
    if "warnings" in data:
        logger.warning("%s: API warnings: %s", endpoint, data["warnings"])
    return data


# -- reading replies ------------------------------------------------------------------------------


def _obj(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"{what} is not an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Malformed(f"{what} is not a list")
    return value


def _str(obj: Mapping[str, Any], key: str, what: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise _Malformed(f"{what} has no string {key!r}")
    return value


def _int(obj: Mapping[str, Any], key: str, what: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Malformed(f"{what} has no integer {key!r}")
    return value


def _pairs(query: Mapping[str, Any], key: str) -> dict[str, str]:
    """``normalized``, ``converted`` or ``redirects`` as a from -> to mapping."""
    return {
        _str(item, "from", key): _str(item, "to", key)
        for item in (_obj(entry, key) for entry in _list(query.get(key, []), key))
    }


@dataclass
class _Query:
    """The ``query`` parts of one batch, merged over its continuation replies."""

    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    normalized: dict[str, str] = field(default_factory=dict)
    converted: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    interwiki: set[str] = field(default_factory=set)

    def add(self, query: Mapping[str, Any]) -> None:
        self.normalized.update(_pairs(query, "normalized"))
        self.converted.update(_pairs(query, "converted"))
        self.redirects.update(_pairs(query, "redirects"))
        for entry in _list(query.get("interwiki", []), "interwiki"):
            self.interwiki.add(_str(_obj(entry, "interwiki"), "title", "interwiki"))
        for entry in _list(query.get("pages", []), "pages"):
            page = _obj(entry, "a page")
            merged = self.pages.setdefault(_str(page, "title", "a page"), {})
            for key, value in page.items():
                if key == "revisions":
                    merged.setdefault(key, []).extend(_list(value, "revisions"))
                else:
                    merged.setdefault(key, value)

    def resolve(self, sent: str) -> tuple[str, str, list[tuple[str, str]]]:
        """(canonical title, final title, redirect hops) of a title as sent."""
        title = self.normalized.get(sent, sent)
        canonical = title = self.converted.get(title, title)
        hops: list[tuple[str, str]] = []
        seen = {title}
        while title in self.redirects:
            hops.append((title, self.redirects[title]))
            title = self.redirects[title]
            if title in seen:  # a redirect loop: stop at the page that closes it
                break
            seen.add(title)
        return canonical, title, hops

    def status(self, title: str) -> str | None:
        """Why ``title`` (a final title) has no page: "missing", an invalid reason, or None."""
        if title in self.interwiki:
            return f"{title!r} is an interwiki title"
        page = self.pages.get(title)
        if page is None:
            raise _Malformed(f"the reply does not mention {title!r}")
        if page.get("invalid"):
            reason = page.get("invalidreason")
            return reason if isinstance(reason, str) and reason else "invalid title"
        if page.get("missing") or page.get("special"):
            return "missing"
        return None


def _content(page: Mapping[str, Any], title: str) -> tuple[dict[str, Any], str]:
    """The latest revision of a page and its main-slot wikitext."""
    revisions = _list(page.get("revisions"), f"the revisions of {title!r}")
    if not revisions:
        raise _Malformed(f"no revision of {title!r}")
    revision = _obj(revisions[-1], f"the revision of {title!r}")
    slots = _obj(revision.get("slots"), f"the slots of {title!r}")
    main = _obj(slots.get("main"), f"the main slot of {title!r}")
    return revision, _str(main, "content", f"the main slot of {title!r}")


def _record(page: Mapping[str, Any], query: _Query, lang: str) -> PageRecord:
    title = _str(page, "title", "a page")
    what = f"the page {title!r}"
    revision, wikitext = _content(page, title)
    props = _obj(page.get("pageprops", {}), f"the pageprops of {title!r}")
    item = props.get("wikibase_item")
    return PageRecord(
        title=title,
        namespace=_int(page, "ns", what),
        page_id=_int(page, "pageid", what),
        revision_id=_int(revision, "revid", what),
        timestamp=_str(revision, "timestamp", what),
        wikitext=wikitext,
        redirect=query.redirects.get(title) if page.get("redirect") else None,
        disambiguation="disambiguation" in props,
        wikidata_item=item if isinstance(item, str) else None,
        lang=lang,
    )


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _continuation(
    reply: Mapping[str, Any], previous: Mapping[str, str] | None = None
) -> dict[str, str] | None:
    """The reply's ``continue`` parameters; a continuation equal to ``previous`` is malformed
    (it would loop forever)."""
    cont = reply.get("continue")
    if cont is None:
        return None
    params = {str(key): str(value) for key, value in _obj(cont, "continue").items()}
    if params == previous:
        raise _Malformed(f"the continuation {params} does not advance")
    return params


# -- the shared protocol --------------------------------------------------------------------------


class ActionApi:
    """Everything both sources share: parameters, replies, continuation, retries (as plans).

    Each public method returns a plan for a driver to run (see the module docstring).
    """

    def __init__(
        self,
        endpoint: str = DEFAULT_SOURCE,
        *,
        retry: RetryPolicy | None = None,
        maxlag: int | None = 5,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        namespaces: Namespaces = ENGLISH,
        lang: str = "en",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{endpoint!r} is not an http(s) Action API URL")
        self.endpoint = endpoint
        self.retry = retry or RetryPolicy()
        self.maxlag = maxlag
        self.max_response_bytes = max_response_bytes
        self.namespaces = namespaces
        self.lang = lang
        self.clock = clock

    # -- requests --

    def request(self, params: Mapping[str, str]) -> ApiRequest:
        """The request for ``params``, with format, formatversion and maxlag added."""
        full = {**params, "format": "json", "formatversion": "2"}
        if self.maxlag is not None:
            full["maxlag"] = str(self.maxlag)
        too_long = len(self.endpoint) + 1 + len(urlencode(full)) > MAX_GET_URL
        return ApiRequest(full, "POST" if too_long else "GET")

    def call(self, params: Mapping[str, str]) -> Plan[dict[str, Any]]:
        """One API call, retried as the policy allows; its reply as a JSON object."""
        request = self.request(params)
        started = self.clock()
        attempt = 0
        while True:
            outcome = yield request
            assert outcome is not None, "a driver answers every request"
            try:
                return interpret_reply(self.endpoint, outcome)
            except _Retry as retry:
                delay = self.retry.delay(attempt, retry.retry_after)
                spent = self.clock() - started
                if attempt >= self.retry.max_retries or spent + delay > self.retry.deadline:
                    raise UpstreamUnavailable(self.endpoint, delay, retry.reason) from None
                logger.info("%s: %s; retry in %.2f s", self.endpoint, retry.reason, delay)
                yield Sleep(delay)
                attempt += 1

    def _guarded(self, plan: Plan[T]) -> Plan[T]:
        """``plan``, with any unexpected reply shape reported as UpstreamError."""
        try:
            return (yield from plan)
        except (_Malformed, KeyError, TypeError, AttributeError) as exc:
            message = f"unexpected response shape: {exc}"
            raise UpstreamError(self.endpoint, message) from exc

    def _query_batch(self, params: Mapping[str, str]) -> Plan[tuple[_Query, dict[str, str] | None]]:
        """A query followed through ``continue`` until its batch is complete; returns the
        merged batch and the continuation of the next batch (generators), if any."""
        query = _Query()
        current = dict(params)
        cont: dict[str, str] | None = None
        while True:
            reply = yield from self.call(current)
            query.add(_obj(reply.get("query", {}), "query"))
            cont = _continuation(reply, cont)
            if cont is None or reply.get("batchcomplete"):
                return query, cont
            current = {**params, **cont}

    def _sendable(self, titles: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
        """(requested -> title to send, requested -> why invalid), duplicates dropped."""
        sendable: dict[str, str] = {}
        invalid: dict[str, str] = {}
        for title in titles:
            if title in sendable or title in invalid:
                continue
            try:
                parse_title(title, self.namespaces)
            except InvalidTitle as exc:
                invalid[title] = str(exc)
            else:
                sendable[title] = unicodedata.normalize("NFC", title)
        return sendable, invalid

    def _pageset(
        self, titles: Iterable[str], params: Mapping[str, str]
    ) -> Plan[tuple[list[tuple[str, str, _Query]], dict[str, str]]]:
        """Valid titles looked up 50 per query: ([(requested, sent, its batch)], invalid)."""
        sendable, invalid = self._sendable(titles)
        batch_of: dict[str, _Query] = {}
        for batch in _batches(list(dict.fromkeys(sendable.values())), BATCH_SIZE):
            query, _ = yield from self._query_batch({**params, "titles": "|".join(batch)})
            batch_of.update(dict.fromkeys(batch, query))
        return [(req, sent, batch_of[sent]) for req, sent in sendable.items()], invalid

    # -- operations --

    def fetch(self, titles: Iterable[str]) -> Plan[FetchResult]:
        """Plan of ``fetch``: see the module docstring."""
        return self._guarded(self._fetch(titles))

    def _fetch(self, titles: Iterable[str]) -> Plan[FetchResult]:
        params = {
            "action": "query",
            "prop": "revisions|info|pageprops",
            "rvprop": "content|ids|timestamp",
            "rvslots": "main",
            "ppprop": "wikibase_item|disambiguation",
            "redirects": "1",
        }
        found, invalid = yield from self._pageset(titles, params)
        result = FetchResult(invalid=invalid)
        hops_seen: set[tuple[str, str]] = set()
        for requested, sent, query in found:
            canonical, final, hops = query.resolve(sent)
            if canonical != requested:
                result.normalized[requested] = canonical
            for hop in hops:
                if hop not in hops_seen:
                    hops_seen.add(hop)
                    result.redirects.append(hop)
            status = query.status(final)
            if status == "missing":
                result.missing.append(requested)
            elif status is not None:
                result.invalid[requested] = status
            else:
                result.pages[requested] = _record(query.pages[final], query, self.lang)
        return result

    def last_revisions(self, titles: Iterable[str]) -> Plan[dict[str, int | None]]:
        """Plan of ``last_revisions``: requested title -> lastrevid of the page fetch gives."""
        return self._guarded(self._last_revisions(titles))

    def _last_revisions(self, titles: Iterable[str]) -> Plan[dict[str, int | None]]:
        params = {"action": "query", "prop": "info", "redirects": "1"}
        found, invalid = yield from self._pageset(titles, params)
        revisions: dict[str, int | None] = dict.fromkeys(invalid)
        for requested, sent, query in found:
            _, final, _ = query.resolve(sent)
            if query.status(final) is None:
                revisions[requested] = _int(query.pages[final], "lastrevid", repr(final))
            else:
                revisions[requested] = None
        return revisions

    def resolve_redirects(self, titles: Iterable[str]) -> Plan[dict[str, str]]:
        """Plan of ``resolve_redirects``: each title that redirects (through any number of hops)
        to an existing page -> that page's title; other titles are left out."""
        return self._guarded(self._resolve_redirects(titles))

    def _resolve_redirects(self, titles: Iterable[str]) -> Plan[dict[str, str]]:
        params = {"action": "query", "redirects": "1"}
        found, _invalid = yield from self._pageset(titles, params)
        targets: dict[str, str] = {}
        for requested, sent, query in found:
            _, final, hops = query.resolve(sent)
            if hops and query.status(final) is None:
                targets[requested] = final
        return targets

    def template_redirects(self, names: Iterable[str]) -> Plan[dict[str, str]]:
        """Plan of ``template_redirects``: template name (prefix optional) -> the name of the
        template it redirects to, for names that redirect to another template."""
        return self._guarded(self._template_redirects(names))

    def _template_redirects(self, names: Iterable[str]) -> Plan[dict[str, str]]:
        titles: dict[str, str] = {}
        for name in names:
            try:
                titles[name] = template_title(name, self.namespaces)
            except InvalidTitle:
                continue
        found, _ = yield from self._pageset(titles.values(), {"action": "query", "redirects": "1"})
        resolved: dict[str, str] = {}
        for title, sent, query in found:
            _, final, hops = query.resolve(sent)
            if hops and query.pages.get(final, {}).get("ns") == TEMPLATE_NAMESPACE:
                resolved[title] = final.partition(":")[2]
        return {name: resolved[title] for name, title in titles.items() if title in resolved}

    def backlinks(
        self, title: str, namespace: int | None = 0, limit: int = 500, page_size: int = 500
    ) -> Plan[list[str]]:
        """Plan of ``backlinks``: up to ``limit`` titles linking to ``title``, ``page_size``
        per request; ``namespace=None`` for all namespaces. InvalidTitle for an invalid title."""
        parse_title(title, self.namespaces)
        return self._guarded(self._backlinks(title, namespace, limit, page_size))

    def _backlinks(
        self, title: str, namespace: int | None, limit: int, page_size: int
    ) -> Plan[list[str]]:
        params = {"action": "query", "list": "backlinks", "bltitle": title}
        if namespace is not None:
            params["blnamespace"] = str(namespace)
        titles: list[str] = []
        cont: dict[str, str] = {}
        while len(titles) < limit:
            size = min(page_size, limit - len(titles))
            reply = yield from self.call({**params, **cont, "bllimit": str(size)})
            query = _obj(reply.get("query", {}), "query")
            for entry in _list(query.get("backlinks", []), "backlinks"):
                titles.append(_str(_obj(entry, "a backlink"), "title", "a backlink"))
            next_cont = _continuation(reply, cont)
            if next_cont is None:
                break
            cont = next_cont
        return titles[:limit]

    def namespace_batch(
        self, namespace: int, cont: Mapping[str, str], batch_size: int = BATCH_SIZE
    ) -> Plan[tuple[list[tuple[str, str]], dict[str, str] | None]]:
        """Plan of one batch of ``pages_in_namespace``, starting at ``cont`` (``{}`` first):
        ``[(title, wikitext)]`` in title order and the next batch's continuation (None: done)."""
        return self._guarded(self._namespace_batch(namespace, cont, batch_size))

    def _namespace_batch(
        self, namespace: int, cont: Mapping[str, str], batch_size: int
    ) -> Plan[tuple[list[tuple[str, str]], dict[str, str] | None]]:
        params = {
            "action": "query",
            "generator": "allpages",
            "gapnamespace": str(namespace),
            "gaplimit": str(batch_size),
            "prop": "revisions",
            "rvprop": "content",
            "rvslots": "main",
            **cont,
        }
        query, next_cont = yield from self._query_batch(params)
        pages = [(title, _content(page, title)[1]) for title, page in query.pages.items()]
        pages.sort(key=lambda item: item[0].replace(" ", "_"))  # allpages' own (dbkey) order
        return pages, next_cont

    def siteinfo(self) -> Plan[SiteInfo]:
        """Plan of ``siteinfo``; the result's namespaces and language are adopted."""
        return self._guarded(self._siteinfo())

    def _siteinfo(self) -> Plan[SiteInfo]:
        params = {
            "action": "query",
            "meta": "siteinfo",
            "siprop": "general|namespaces|namespacealiases",
        }
        reply = yield from self.call(params)
        query = _obj(reply.get("query"), "query")
        general = _obj(query.get("general"), "general")
        names: dict[int, str] = {}
        aliases: dict[str, int] = {}
        for entry in _obj(query.get("namespaces"), "namespaces").values():
            namespace = _obj(entry, "a namespace")
            ns, name = _int(namespace, "id", "a namespace"), _str(namespace, "name", "a namespace")
            names[ns] = name
            canonical = namespace.get("canonical")
            if isinstance(canonical, str) and canonical != name:
                aliases[canonical] = ns
        for entry in _list(query.get("namespacealiases", []), "namespacealiases"):
            alias = _obj(entry, "a namespace alias")
            aliases[_str(alias, "alias", "an alias")] = _int(alias, "id", "an alias")
        info = SiteInfo(
            sitename=_str(general, "sitename", "general"),
            lang=_str(general, "lang", "general"),
            case=_str(general, "case", "general"),
            namespaces=Namespaces(names, aliases),
        )
        self.namespaces, self.lang = info.namespaces, info.lang
        return info


# -- the two drivers ------------------------------------------------------------------------------


class _Body:
    """A response body collected up to a size limit."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.limit = limit
        self.data = bytearray()
        declared = response.headers.get("content-length", "")
        self.too_large = declared.isdigit() and int(declared) > limit

    def add(self, chunk: bytes) -> bool:
        """Take a chunk; False once the limit is passed (stop reading)."""
        self.data += chunk
        self.too_large = len(self.data) > self.limit
        return not self.too_large

    def reply(self) -> Reply:
        response = self.response
        if self.too_large:
            return Reply(response.status_code, too_large=True)
        return Reply(response.status_code, bytes(self.data), response.headers.get("retry-after"))


def _request_args(request: ApiRequest) -> dict[str, Any]:
    return {"params" if request.method == "GET" else "data": request.params}


class _Source:
    """What both sources hold: the protocol (``api``) and the request headers."""

    def __init__(
        self,
        api_url: str,
        contact: str | None,
        retry: RetryPolicy | None,
        maxlag: int | None,
        max_response_bytes: int,
        namespaces: Namespaces,
        lang: str,
        clock: Callable[[], float],
    ) -> None:
        self.api = ActionApi(
            api_url,
            retry=retry,
            maxlag=maxlag,
            max_response_bytes=max_response_bytes,
            namespaces=namespaces,
            lang=lang,
            clock=clock,
        )
        self.headers = {"User-Agent": user_agent(contact)}

    @property
    def endpoint(self) -> str:
        """The Action API URL."""
        return self.api.endpoint

    @property
    def namespaces(self) -> Namespaces:
        """The namespace table titles are validated with (the wiki's after ``siteinfo()``)."""
        return self.api.namespaces

    @property
    def lang(self) -> str:
        """The language given to page records (the wiki's after ``siteinfo()``)."""
        return self.api.lang


class MediaWikiSource(_Source):
    """Pages of a live MediaWiki, blocking (httpx.Client). See the module docstring.

    ``client``: an httpx.Client to use (not closed by :meth:`close`); by default one is made with
    ``timeout`` seconds. ``sleep`` and ``clock`` are injectable for tests.
    """

    def __init__(
        self,
        api_url: str = DEFAULT_SOURCE,
        *,
        contact: str | None = None,
        client: httpx.Client | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        maxlag: int | None = 5,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        namespaces: Namespaces = ENGLISH,
        lang: str = "en",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            api_url, contact, retry, maxlag, max_response_bytes, namespaces, lang, clock
        )
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True)
        self._sleep = sleep

    def fetch(self, titles: Iterable[str]) -> FetchResult:
        """Records of the pages ``titles`` lead to, with redirects, missing and invalid titles."""
        return self._run(self.api.fetch(titles))

    def last_revisions(self, titles: Iterable[str]) -> dict[str, int | None]:
        """Latest revision id of the page each title leads to; None if there is none."""
        return self._run(self.api.last_revisions(titles))

    def backlinks(
        self, title: str, namespace: int | None = 0, limit: int = 500, *, page_size: int = 500
    ) -> list[str]:
        """Up to ``limit`` titles of pages (of ``namespace``; None: any) linking to ``title``."""
        return self._run(self.api.backlinks(title, namespace, limit, page_size))

    def pages_in_namespace(
        self, namespace: int, *, batch_size: int = BATCH_SIZE
    ) -> Iterator[tuple[str, str]]:
        """``(title, wikitext)`` of every page of ``namespace``, fetched a batch at a time."""
        cont: dict[str, str] | None = {}
        while cont is not None:
            pages, cont = self._run(self.api.namespace_batch(namespace, cont, batch_size))
            yield from pages

    def resolve_redirects(self, titles: Iterable[str]) -> dict[str, str]:
        """Titles that redirect to an existing page -> that page's title (50 per request)."""
        return self._run(self.api.resolve_redirects(titles))

    def template_redirects(self, names: Iterable[str]) -> dict[str, str]:
        """Template name -> name of the template it redirects to (redirecting names only)."""
        return self._run(self.api.template_redirects(names))

    def siteinfo(self) -> SiteInfo:
        """The wiki's language and namespaces (adopted by this source)."""
        return self._run(self.api.siteinfo())

    def _run(self, plan: Plan[T]) -> T:
        outcome: Outcome = None
        while True:
            try:
                effect = plan.send(outcome)
            except StopIteration as done:
                return done.value
            if isinstance(effect, Sleep):
                self._sleep(effect.seconds)
                outcome = None
            else:
                outcome = self._send(effect)

    def _send(self, request: ApiRequest) -> Reply | httpx.RequestError:
        try:
            with self._client.stream(
                request.method, self.endpoint, headers=self.headers, **_request_args(request)
            ) as response:
                body = _Body(response, self.api.max_response_bytes)
                if not body.too_large:
                    for chunk in response.iter_bytes():
                        if not body.add(chunk):
                            break
                return body.reply()
        except httpx.RequestError as exc:
            return exc

    def close(self) -> None:
        """Close the HTTP client if this source made it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> MediaWikiSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncMediaWikiSource(_Source):
    """Pages of a live MediaWiki, for asyncio (httpx.AsyncClient); same results as
    :class:`MediaWikiSource`. ``sleep`` is an async callable."""

    def __init__(
        self,
        api_url: str = DEFAULT_SOURCE,
        *,
        contact: str | None = None,
        client: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        maxlag: int | None = 5,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        namespaces: Namespaces = ENGLISH,
        lang: str = "en",
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            api_url, contact, retry, maxlag, max_response_bytes, namespaces, lang, clock
        )
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=True)
        self._sleep = sleep

    async def fetch(self, titles: Iterable[str]) -> FetchResult:
        """Records of the pages ``titles`` lead to, with redirects, missing and invalid titles."""
        return await self._run(self.api.fetch(titles))

    async def last_revisions(self, titles: Iterable[str]) -> dict[str, int | None]:
        """Latest revision id of the page each title leads to; None if there is none."""
        return await self._run(self.api.last_revisions(titles))

    async def backlinks(
        self, title: str, namespace: int | None = 0, limit: int = 500, *, page_size: int = 500
    ) -> list[str]:
        """Up to ``limit`` titles of pages (of ``namespace``; None: any) linking to ``title``."""
        return await self._run(self.api.backlinks(title, namespace, limit, page_size))

    async def pages_in_namespace(
        self, namespace: int, *, batch_size: int = BATCH_SIZE
    ) -> AsyncIterator[tuple[str, str]]:
        """``(title, wikitext)`` of every page of ``namespace``, fetched a batch at a time."""
        cont: dict[str, str] | None = {}
        while cont is not None:
            pages, cont = await self._run(self.api.namespace_batch(namespace, cont, batch_size))
            for page in pages:
                yield page

    async def resolve_redirects(self, titles: Iterable[str]) -> dict[str, str]:
        """Titles that redirect to an existing page -> that page's title (50 per request)."""
        return await self._run(self.api.resolve_redirects(titles))

    async def template_redirects(self, names: Iterable[str]) -> dict[str, str]:
        """Template name -> name of the template it redirects to (redirecting names only)."""
        return await self._run(self.api.template_redirects(names))

    async def siteinfo(self) -> SiteInfo:
        """The wiki's language and namespaces (adopted by this source)."""
        return await self._run(self.api.siteinfo())

    async def _run(self, plan: Plan[T]) -> T:
        outcome: Outcome = None
        while True:
            try:
                effect = plan.send(outcome)
            except StopIteration as done:
                return done.value
            if isinstance(effect, Sleep):
                await self._sleep(effect.seconds)
                outcome = None
            else:
                outcome = await self._send(effect)

    async def _send(self, request: ApiRequest) -> Reply | httpx.RequestError:
        try:
            async with self._client.stream(
                request.method, self.endpoint, headers=self.headers, **_request_args(request)
            ) as response:
                body = _Body(response, self.api.max_response_bytes)
                if not body.too_large:
                    async for chunk in response.aiter_bytes():
                        if not body.add(chunk):
                            break
                return body.reply()
        except httpx.RequestError as exc:
            return exc

    async def aclose(self) -> None:
        """Close the HTTP client if this source made it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> AsyncMediaWikiSource:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
