"""SELECT results as rows of rdflib terms, and the incremental reader of the XML results format."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from rdflib.query import ResultRow
from rdflib.term import Identifier, Variable

from dbod.client.errors import DbodError
from sparql_lite.result_parsers import SRX, srx_term


@dataclass(frozen=True)
class Results:
    """The answer to a SELECT query: ``vars`` and ``rows`` (rdflib ``ResultRow`` tuples, None
    where unbound, also readable as ``row.name`` or ``row["name"]``).

    ``cache_only`` says patterns anchored on no resource were answered from the cache only;
    ``backlinks_truncated`` that a resource had more linking pages than the service reads for
    one; either way the answer may be incomplete.
    """

    vars: tuple[Variable, ...]
    rows: tuple[ResultRow, ...]
    cache_only: bool = False
    backlinks_truncated: bool = False

    def __iter__(self) -> Iterator[ResultRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> ResultRow:
        return self.rows[index]

    def to_dicts(self) -> list[dict[str, Identifier]]:
        """Each row as a dict of its bound variables (names without ``?``)."""
        return [row.asdict() for row in self.rows]


def result_row(
    variables: tuple[Variable, ...], terms: Mapping[Variable, Identifier | None]
) -> ResultRow:
    """A row of ``variables`` from their terms (missing or None: unbound)."""
    return ResultRow(terms, list(variables))


class SrxReader:
    """SPARQL Query Results XML, read as it arrives: ``feed`` bytes, get the rows completed so
    far; ``close`` at the end. ``variables`` are known once the head is read; ``boolean`` is
    set for an ASK answer."""

    def __init__(self) -> None:
        self._parser = XMLPullParser(events=("start", "end"))
        self._names: list[Variable] = []
        self._results: Element | None = None
        self.variables: tuple[Variable, ...] = ()
        self.boolean: bool | None = None

    def feed(self, chunk: bytes) -> list[ResultRow]:
        """The rows completed by ``chunk``."""
        try:
            self._parser.feed(chunk)
        except ParseError as exc:
            raise DbodError(f"malformed SPARQL XML results: {exc}") from exc
        return self._rows()

    def close(self) -> list[ResultRow]:
        """The last rows; DbodError if the document is incomplete."""
        try:
            self._parser.close()
        except ParseError as exc:
            raise DbodError(f"malformed SPARQL XML results: {exc}") from exc
        return self._rows()

    def _rows(self) -> list[ResultRow]:
        rows = []
        for event, element in self._parser.read_events():
            tag = element.tag
            if event == "start":
                if tag == SRX + "results":
                    self._results = element
            elif tag == SRX + "variable":
                self._names.append(Variable(element.get("name", "")))
            elif tag == SRX + "head":
                self.variables = tuple(self._names)
            elif tag == SRX + "result" and self._results is not None:
                terms = {Variable(b.get("name", "")): srx_term(b[0]) for b in element if len(b)}
                rows.append(result_row(self.variables, terms))
                self._results.remove(element)  # a row read is a row forgotten
            elif tag == SRX + "boolean":
                self.boolean = (element.text or "").strip() == "true"
        return rows
