"""A DumpSource behind the core's asynchronous page-source interface (offline use, tests)."""

from __future__ import annotations

from collections.abc import Iterable

from dbod.sources.dump import DumpSource
from dbod.sources.mediawiki import TEMPLATE_NAMESPACE, FetchResult, template_title
from extractors.titles import InvalidTitle, parse_title


class DumpPages:
    """Answers the core's questions from an XML dump: the same results a wiki would give."""

    def __init__(self, dump: DumpSource) -> None:
        self.dump = dump

    async def fetch(self, titles: Iterable[str]) -> FetchResult:
        """Records of the pages the titles lead to, with redirects, missing and invalid ones."""
        result = FetchResult()
        for title in titles:
            try:
                canonical = self.dump.canonical(title)
                record = self.dump.get(title)
            except InvalidTitle as exc:
                result.invalid[title] = str(exc)
                continue
            if canonical != title:
                result.normalized[title] = canonical
            if record is None or record.redirect:
                result.missing.append(title)
                continue
            if record.title != canonical:
                result.redirects.append((canonical, record.title))
            result.pages[title] = record
        return result

    async def last_revisions(self, titles: Iterable[str]) -> dict[str, int | None]:
        """The revision each title's page has in the dump."""
        revisions: dict[str, int | None] = {}
        for title in titles:
            try:
                record = self.dump.get(title)
            except InvalidTitle:
                record = None
            revisions[title] = record.revision_id if record and not record.redirect else None
        return revisions

    async def backlinks(self, title: str, namespace: int | None = 0, limit: int = 500) -> list[str]:
        """A dump has no link table: no backlinks are known."""
        return []

    async def template_redirects(self, names: Iterable[str]) -> dict[str, str]:
        """Template names that redirect (within the dump) to another template."""
        targets: dict[str, str] = {}
        namespaces = self.dump.namespaces
        for name in names:
            try:
                title = self.dump.canonical(template_title(name, namespaces))
                target = self.dump.resolve(title)
                if target is None or target == title:
                    continue
                if parse_title(target, namespaces).namespace == TEMPLATE_NAMESPACE:
                    targets[name] = target.partition(":")[2]
            except InvalidTitle:
                continue
        return targets

    async def resolve_redirects(self, titles: Iterable[str]) -> dict[str, str]:
        """Redirecting titles mapped to their final targets."""
        targets: dict[str, str] = {}
        for title in titles:
            try:
                target = self.dump.resolve(title)
            except InvalidTitle:
                continue
            if target is not None and target != self.dump.canonical(title):
                targets[title] = target
        return targets
