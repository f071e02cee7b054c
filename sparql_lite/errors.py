"""The three ways a query can fail, each naming what went wrong for the HTTP layer to report.

- :class:`QuerySyntaxError`: the text is not a legal SPARQL 1.1 query (protocol status 400).
- :class:`UnsupportedFeature`: the query is legal but outside the subset this engine evaluates.
- :class:`LimitExceeded`: evaluation passed one of its limits (wall time, results, or a limit
  the Dataset keeps, such as resources fetched). Limits are errors, never partial results.
"""

from __future__ import annotations


class SparqlError(Exception):
    """Base class of the errors sparql_lite raises for a query."""


class QuerySyntaxError(SparqlError):
    """An illegal query; ``line`` and ``column`` (1-based) locate the offending text."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


class UnsupportedFeature(SparqlError):
    """A legal query that uses ``feature``, which this engine does not evaluate."""

    def __init__(self, feature: str) -> None:
        super().__init__(f"unsupported SPARQL feature: {feature}")
        self.feature = feature


class LimitExceeded(SparqlError):
    """Evaluation stopped at ``limit`` (e.g. ``"wall_time"``), whose configured value is ``value``.

    Datasets raise it for the limits they keep (``"resources_fetched"``); the executor lets it
    propagate unchanged and raises it itself for ``"wall_time"`` (seconds) and ``"results"``.
    """

    def __init__(self, limit: str, value: float) -> None:
        super().__init__(f"query exceeded the {limit} limit ({value:g})")
        self.limit = limit
        self.value = value
