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
from itertools import repeat
from typing import Protocol

from rdflib.term import Identifier

from .terms import rdf11  # also this module's public name for it, as the docstring says

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


#: From this many matches on, a lookup is a zip over its snapshot (C speed per triple); below
#: it, a generator (quicker to set up).
_ZIP_FROM = 16


def _with_objects(
    subject: Identifier, predicate: Identifier, objects: Collection[Identifier]
) -> Iterator[Triple]:
    snapshot = tuple(objects)
    if len(snapshot) < _ZIP_FROM:
        return ((subject, predicate, o) for o in snapshot)
    return zip(repeat(subject), repeat(predicate), snapshot)


def _with_subjects(
    subjects: Collection[Identifier], predicate: Identifier, object: Identifier
) -> Iterator[Triple]:
    snapshot = tuple(subjects)
    if len(snapshot) < _ZIP_FROM:
        return ((s, predicate, object) for s in snapshot)
    return zip(snapshot, repeat(predicate), repeat(object))


class InMemoryDataset:
    """A Dataset over triples held in three hash indexes (subject, predicate and object first),
    with exact estimates. Build it from any iterable of triples, e.g. an rdflib Graph."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._spo: dict[Identifier, dict[Identifier, set[Identifier]]] = {}
        self._pos: dict[Identifier, dict[Identifier, set[Identifier]]] = {}
        self._osp: dict[Identifier, dict[Identifier, set[Identifier]]] = {}
        self._predicate_counts: dict[Identifier, int] = {}
        self._terms: dict[Identifier, Identifier] = {}
        self._size = 0
        for subject, predicate, object_ in triples:
            self.add(subject, predicate, object_)

    def __len__(self) -> int:
        return self._size

    def add(self, subject: Identifier, predicate: Identifier, object: Identifier) -> None:
        # One object per term across the indexes: dict lookups then match by identity.
        terms = self._terms
        subject = terms.setdefault(subject, subject)
        predicate = terms.setdefault(predicate, predicate)
        object = rdf11(object)
        object = terms.setdefault(object, object)
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
        # Every lookup reads a snapshot of the index entries it needs, so adding triples while
        # a query iterates (as an on-demand Dataset does) is safe.
        if subject is not None:
            by_predicate = self._spo.get(subject)
            if by_predicate is None:
                return iter(())
            if predicate is not None:
                objects = by_predicate.get(predicate, ())
                if object is not None:
                    return iter(((subject, predicate, object),) if object in objects else ())
                return _with_objects(subject, predicate, objects)
            if object is not None:
                predicates = tuple(self._osp.get(object, {}).get(subject, ()))
                return ((subject, p, object) for p in predicates)
            pairs = [(p, tuple(objects)) for p, objects in by_predicate.items()]
            return ((subject, p, o) for p, objects in pairs for o in objects)
        if predicate is not None:
            by_object = self._pos.get(predicate)
            if by_object is None:
                return iter(())
            if object is not None:
                return _with_subjects(by_object.get(object, ()), predicate, object)
            pairs = [(o, tuple(subjects)) for o, subjects in by_object.items()]
            return ((s, predicate, o) for o, subjects in pairs for s in subjects)
        if object is not None:
            pairs = [(s, tuple(ps)) for s, ps in self._osp.get(object, {}).items()]
            return ((s, p, object) for s, predicates in pairs for p in predicates)
        return (
            (s, p, o)
            for s, by_predicate in list(self._spo.items())
            for p, objects in list(by_predicate.items())
            for o in tuple(objects)
        )

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
