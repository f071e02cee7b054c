"""Join order for a basic graph pattern, by estimated selectivity.

Each triple pattern is estimated once, by the Dataset, with its constants bound and its
variables as wildcards. Patterns are then picked greedily. A pattern estimated to match nothing
goes first (the join is empty). Otherwise, among the patterns sharing a variable with what is
already bound (any pattern, if none does, so cartesian products come last), the one with the
lowest cost, where a variable bound by an earlier step divides the estimate as a constant
would: by 1000 in the subject position (one resource's statements), by 10 in the object
position, by 2 in the predicate position. Ties keep the written order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib.term import Variable

from .algebra import TriplePattern
from .dataset import Dataset

_DIVISORS = (1000.0, 2.0, 10.0)


def order_patterns(
    triples: Sequence[TriplePattern], dataset: Dataset, bound: Iterable[Variable] = ()
) -> list[TriplePattern]:
    """The triple patterns in the order the executor should join them."""
    if len(triples) < 2:
        return list(triples)
    estimates = [
        dataset.estimate(*(None if isinstance(term, Variable) else term for term in triple))
        for triple in triples
    ]
    bound_now = set(bound)
    remaining = list(range(len(triples)))
    order: list[TriplePattern] = []
    while remaining:
        empty = [i for i in remaining if estimates[i] == 0]
        connected = [i for i in remaining if triples[i].variables & bound_now]
        candidates = empty or connected or remaining
        best = min(candidates, key=lambda i: (_cost(triples[i], estimates[i], bound_now), i))
        remaining.remove(best)
        order.append(triples[best])
        bound_now |= triples[best].variables
    return order


def _cost(triple: TriplePattern, estimate: int, bound: set[Variable]) -> float:
    cost = float(estimate)
    for term, divisor in zip(triple, _DIVISORS, strict=True):
        if isinstance(term, Variable) and term in bound:
            cost /= divisor
    return cost
