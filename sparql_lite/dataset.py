"""The Dataset protocol the executor evaluates queries against, and an in-memory Dataset.

A Dataset answers triple patterns (None is a wildcard), estimates how many triples a pattern
matches (the planner orders joins by these estimates), and takes prefetch hints: before each
join step the executor calls ``prefetch`` once with every subject that step will look up, and
every object it will look up with the subject unbound, so that a Dataset that loads resources
from elsewhere can load all of them in one batch.

Terms are rdflib terms in RDF 1.1 form: a Dataset returns ``"x"`` for ``"x"^^xsd:string``
(use :func:`rdf11` when storing). A Dataset that limits what a query may cost (resources
fetched, say) raises :class:`~sparql_lite.errors.LimitExceeded` from any of its methods; the
executor lets it propagate to the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Protocol

from rdflib.namespace import XSD
from rdflib.term import Identifier, Literal

Triple = tuple[Identifier, Identifier, Identifier]


class Dataset(Protocol):
    def triples(
        self,
        subject: Identifier | None,
        predicate: Identifier | None,
        object: Identifier | None,
    ) -> Iterator[Triple]:
        """The triples matching a pattern; None matches any term."""
        ...

    def estimate(
        self,
        subject: Identifier | None,
        predicate: Identifier | None,
        object: Identifier | None,
    ) -> int:
        """About how many triples match (0 only if none does)."""
        ...

    def prefetch(
        self, subjects: Collection[Identifier] = (), objects: Collection[Identifier] = ()
    ) -> None:
        """A hint: patterns with these subjects, and with these objects (subject unbound),
        are about to be asked for."""
        ...


def rdf11(term: Identifier) -> Identifier:
    """The RDF 1.1 form of a term: an xsd:string literal becomes a simple literal."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


class InMemoryDataset:
    """A Dataset over triples held in three hash indexes (subject, predicate and object first),
    with exact estimates. Build it from any iterable of triples, e.g. an rdflib Graph."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._spo: dict[Identifier, dict[Identifier, set[Identifier]]] = {}
        self._pos: dict[Identifier, dict[Identifier, set[Identifier]]] = {}
        self._osp: dict[Identifier, dict[Identifier, set[Identifier]]] = {}
        self._predicate_counts: dict[Identifier, int] = {}
        self._size = 0
        for subject, predicate, object_ in triples:
            self.add(subject, predicate, object_)

    def __len__(self) -> int:
        return self._size

    def add(self, subject: Identifier, predicate: Identifier, object: Identifier) -> None:
        object = rdf11(object)
        objects = self._spo.setdefault(subject, {}).setdefault(predicate, set())
        if object in objects:
            return
        objects.add(object)
        self._pos.setdefault(predicate, {}).setdefault(object, set()).add(subject)
        self._osp.setdefault(object, {}).setdefault(subject, set()).add(predicate)
        self._predicate_counts[predicate] = self._predicate_counts.get(predicate, 0) + 1
        self._size += 1

    def triples(
        self,
        subject: Identifier | None,
        predicate: Identifier | None,
        object: Identifier | None,
    ) -> Iterator[Triple]:
        if subject is not None:
            by_predicate = self._spo.get(subject)
            if by_predicate is None:
                return
            if predicate is not None:
                objects = by_predicate.get(predicate, ())
                if object is not None:
                    if object in objects:
                        yield subject, predicate, object
                    return
                for o in objects:
                    yield subject, predicate, o
                return
            if object is not None:
                for p in self._osp.get(object, {}).get(subject, ()):
                    yield subject, p, object
                return
            for p, objects in by_predicate.items():
                for o in objects:
                    yield subject, p, o
            return
        if predicate is not None:
            by_object = self._pos.get(predicate)
            if by_object is None:
                return
            if object is not None:
                for s in by_object.get(object, ()):
                    yield s, predicate, object
                return
            for o, subjects in by_object.items():
                for s in subjects:
                    yield s, predicate, o
            return
        if object is not None:
            for s, predicates in self._osp.get(object, {}).items():
                for p in predicates:
                    yield s, p, object
            return
        for s, by_predicate in self._spo.items():
            for p, objects in by_predicate.items():
                for o in objects:
                    yield s, p, o

    def estimate(
        self,
        subject: Identifier | None,
        predicate: Identifier | None,
        object: Identifier | None,
    ) -> int:
        if subject is not None:
            by_predicate = self._spo.get(subject, {})
            if predicate is not None:
                objects = by_predicate.get(predicate, ())
                return int(object in objects) if object is not None else len(objects)
            if object is not None:
                return len(self._osp.get(object, {}).get(subject, ()))
            return sum(map(len, by_predicate.values()))
        if predicate is not None:
            if object is not None:
                return len(self._pos.get(predicate, {}).get(object, ()))
            return self._predicate_counts.get(predicate, 0)
        if object is not None:
            return sum(map(len, self._osp.get(object, {}).values()))
        return self._size

    def prefetch(
        self, subjects: Collection[Identifier] = (), objects: Collection[Identifier] = ()
    ) -> None:
        """Everything is in memory already."""
