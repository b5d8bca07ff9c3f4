"""Canonical Turtle of a graph from a template per node: the bytes of the generic path, faster.

:func:`kg.rdf.convert.subject_blocks` makes a term of every triple and
:func:`kg.rdf.turtle.write_turtle_blocks` formats each one: at a million
events, minutes.  :func:`turtle_blocks` writes each kind of node (article,
event, report) from one f-string with its predicates in canonical order,
fills a chunk of nodes at a time from columns, formats repeated terms once,
and, for a big graph on two cores, lets a forked child render the last
events and the reports meanwhile.  ``tests/test_rdf.py`` compares the two
paths byte for byte on random and hostile graphs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from itertools import chain
from operator import attrgetter, itemgetter, ne
from typing import Any

from kg.gazetteer import gazetteer
from kg.graph.merge import MergedEvent, report_id
from kg.graph.store import ArticleInfo, DiplomacyGraph
from kg.model import Event, precision_of
from kg.rdf.convert import (
    DATE_TYPES,
    PRECISION_TERMS,
    P,
    _actor_triples,
    _dec_text,
    _grouped,
    _label,
    _url_term,
    article_local,
    state_iri,
    state_local,
)
from kg.rdf.turtle import Block, ChildRender, Compactor, Rendered, iri, quoted

__all__ = ["FORK_MIN_EVENTS", "turtle_blocks"]

_CHUNK = 2000  # nodes per Rendered chunk: few, big writes
KGA, KGE, KGR, KGS = P["kga"], P["kge"], P["kgr"], P["kgs"]
def _column(objects: list[Any], field: str) -> list[Any]:
    return list(map(attrgetter(field), objects))


class _Memo(dict):
    """A dict that makes and keeps a missing value: ``map(memo.__getitem__, keys)`` runs in C."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


class _Templates:
    """Chunks of articles, events and reports as Turtle, with their numbers of triples."""

    def __init__(self, graph: DiplomacyGraph) -> None:
        c = self.c = Compactor(P)
        self.locals = _Memo(state_local)
        self.states = _Memo(lambda code: c.name(KGS, self.locals[code]))
        self.articles = _Memo(lambda aid: c.name(KGA, article_local(aid)))
        self.relations = _Memo(lambda rel: c.iri(P["kgc"] + rel))
        self.strings = _Memo(quoted)
        self.dates = _Memo(lambda d: f"{quoted(d)}^^{c.iri(DATE_TYPES[len(d)])}")
        self.actors = _Memo(self._actors)
        # optional lines, "" when there is no date (or conflict)
        self.published = _Memo(lambda d: f" ;\n    dcterms:date {self.dates[d]}" if d else "")
        self.stamps = _Memo(lambda d: f"    sem:hasTimeStamp {self.dates[d]} ;\n" if d else "")
        self.precisions = _Memo(lambda d: f"    kg:datePrecision {self._precision(d)} ;\n" if d else "")
        self.reported = _Memo(lambda d: f"    kg:reportedDate {self.dates[d]} ;\n" if d else "")
        self.clashes = _Memo(lambda ds: f"    kg:conflictingDate {self._dates(ds)} ;\n" if ds else "")
        # the graph's own report ids, its keys (report_id of each report), found by identity
        self.rid_of = {id(r): rid for rid, r in graph.reports.items()}

    def _actors(self, pair: tuple[str, str]) -> str:
        return ", ".join([self.states[s] for s in sorted(set(pair), key=self.locals.__getitem__)])

    def _dates(self, dates: tuple[str, ...]) -> str:
        return ", ".join(self.dates[d] for d in sorted(set(dates)))

    def _precision(self, date: str) -> str:
        return self.c.iri(P["kg"] + PRECISION_TERMS[precision_of(date) or "day"])

    def _name(self, prefix: str, base: str, local: str) -> str:
        """``prefix:local`` at once for a hash id; anything else as the compactor writes it."""
        return f"{prefix}:{local}" if local.isalnum() and local.isascii() else self.c.name(base, local)

    def rids(self, reports: tuple[Event, ...]) -> list[str]:
        return [self.rid_of.get(id(r)) or report_id(r) for r in reports]

    def _derived(self, articles: tuple[str, ...]) -> str:
        if len(articles) == 1:
            return f"    prov:wasDerivedFrom {self.articles[articles[0]]} ;\n"
        names = [self.articles[a] for a in sorted(articles, key=article_local)]
        return f"    prov:wasDerivedFrom {', '.join(names)} ;\n" if names else ""

    def _told(self, rids: list[str]) -> str:
        if len(rids) == 1:
            return f"    kg:report {self._name('kgr', KGR, rids[0])} ;\n"
        names = [self._name("kgr", KGR, r) for r in sorted(set(rids))]
        return f"    kg:report {', '.join(names)} ;\n" if names else ""

    def _title(self, title: str) -> str:
        return f" ;\n    dcterms:title {quoted(title)}" if title else ""

    def _url(self, url: str | None) -> str:
        return f" ;\n    schema:url {self.c.term(_url_term(url))}" if url else ""

    def article_chunk(self, arts: list[ArticleInfo]) -> Rendered:
        ids, published, titles, urls = (_column(arts, f) for f in ("id", "published", "title", "url"))
        text = "".join([
            f"\n{name} a prov:Entity, schema:NewsArticle{date} ;\n    dcterms:identifier {ident}{title}{url} .\n"
            for name, date, ident, title, url in zip(  # noqa: B905 - columns of one list
                map(self.articles.__getitem__, ids), map(self.published.__getitem__, published), map(quoted, ids),
                map(self._title, titles), map(self._url, urls))])
        return Rendered(text, 3 * len(arts) + sum(map(bool, published)) + sum(map(bool, titles)) + sum(map(bool, urls)))

    def event_chunk(self, evs: list[MergedEvent], rids: list[list[str]]) -> Rendered:
        subjects, objects, dates, conflicts = (_column(evs, f) for f in ("subject", "object", "date", "conflicts"))
        articles = _column(evs, "articles")
        strings, states = self.strings.__getitem__, self.states.__getitem__
        text = "".join([
            f"\n{name} a sem:Event, kg:DiplomaticEvent ;\n"
            f"    sem:hasActor {actors} ;\n{stamp}"
            f"    rdfs:label {label}@en ;\n{derived}"
            f"    kg:cameo {cameo} ;\n"
            f'    kg:confidence "{confidence}"^^xsd:decimal ;\n{clash}'
            f'    kg:corroboration "{corroboration}"^^xsd:integer ;\n{precision}'
            f'    kg:goldstein "{goldstein}"^^xsd:decimal ;\n'
            f"    kg:object {obj} ;\n"
            f"    kg:plover {plover} ;\n"
            f'    kg:quadClass "{quad}"^^xsd:integer ;\n'
            f"    kg:relation {relation} ;\n{told}"
            f"    kg:subject {subj} .\n"
            for (name, actors, stamp, label, derived, cameo, confidence, clash, corroboration, precision, goldstein,
                 obj, plover, quad, relation, told, subj) in zip(  # noqa: B905 - columns of one list
                [self._name("kge", KGE, i) for i in _column(evs, "id")],
                map(self.actors.__getitem__, zip(subjects, objects, strict=True)), map(self.stamps.__getitem__, dates),
                map(quoted, map(_label, evs)), map(self._derived, articles), map(strings, _column(evs, "cameo")),
                map(_dec_text, _column(evs, "confidence")), map(self.clashes.__getitem__, conflicts),
                map(len, articles), map(self.precisions.__getitem__, dates), map(_dec_text, _column(evs, "goldstein")),
                map(states, objects), map(strings, _column(evs, "plover")), map(int, _column(evs, "quad")),
                map(self.relations.__getitem__, _column(evs, "relation")), map(self._told, rids),
                map(states, subjects))])
        n = (13 * len(evs) + sum(map(ne, subjects, objects)) + 2 * sum(map(bool, dates))
             + sum(map(len, map(set, conflicts))) + sum(map(len, articles)) + sum(map(len, map(set, rids))))
        return Rendered(text, n)

    def report_chunk(self, rids: list[str], reps: list[Event]) -> Rendered:
        strings, states = self.strings.__getitem__, self.states.__getitem__
        dates, spans = _column(reps, "date"), _column(reps, "span")
        text = "".join([
            f"\n{name} a prov:Entity, kg:Report ;\n"
            f"    prov:wasDerivedFrom {article} ;\n"
            f"    kg:cameo {cameo} ;\n"
            f'    kg:confidence "{confidence}"^^xsd:decimal ;\n'
            f"    kg:evidence {evidence} ;\n"
            f"    kg:object {obj} ;\n"
            f"    kg:relation {relation} ;\n{reported}"
            f'    kg:sentence "{sentence}"^^xsd:integer ;\n'
            f'    kg:spanEnd "{end}"^^xsd:integer ;\n'
            f'    kg:spanStart "{start}"^^xsd:integer ;\n'
            f"    kg:subject {subj} .\n"
            for (name, article, cameo, confidence, evidence, obj, relation, reported, sentence, end, start,
                 subj) in zip(  # noqa: B905 - columns of one list
                [self._name("kgr", KGR, r) for r in rids], map(self.articles.__getitem__, _column(reps, "article")),
                map(strings, _column(reps, "cameo")), map(_dec_text, _column(reps, "confidence")),
                map(quoted, _column(reps, "evidence")), map(states, _column(reps, "object")),
                map(self.relations.__getitem__, _column(reps, "relation")), map(self.reported.__getitem__, dates),
                map(int, _column(reps, "sentence")), map(int, map(itemgetter(1), spans)),
                map(int, map(itemgetter(0), spans)), map(states, _column(reps, "subject")))])
        return Rendered(text, 12 * len(reps) + sum(map(bool, dates)))


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _event_chunks(t: _Templates, events: list[MergedEvent]) -> Iterator[Rendered]:
    for chunk in _chunks(events):
        yield t.event_chunk(chunk, list(map(t.rids, _column(chunk, "reports"))))


def _report_chunks(t: _Templates, events: list[MergedEvent]) -> Iterator[Rendered]:
    """The reports of the events, in IRI (report id) order."""
    reports = _column(events, "reports")
    pairs = sorted(zip(chain.from_iterable(map(t.rids, reports)), chain.from_iterable(reports), strict=True),
                   key=itemgetter(0))
    del reports
    for chunk in _chunks(pairs):
        yield t.report_chunk(list(map(itemgetter(0), chunk)), list(map(itemgetter(1), chunk)))


def _state_blocks(events: list[MergedEvent]) -> Iterator[Block]:
    """Every actor, with the truthy triples of the events, and every state its successions link to."""
    truthy: dict[str, dict[str, set[str]]] = {}  # state -> relation -> states
    for e in events:
        truthy.setdefault(e.subject, {}).setdefault(e.relation, set()).add(e.object)
        if e.symmetric:
            truthy.setdefault(e.object, {}).setdefault(e.relation, set()).add(e.subject)
    actors = set(truthy).union(*(objects for rels in truthy.values() for objects in rels.values()))
    states = _Memo(state_iri)
    for code in sorted(gazetteer().linked(actors), key=state_local):
        block = _grouped((p, o) for _s, p, o in _actor_triples(code))
        for rel, objects in truthy.get(code, {}).items():
            block.setdefault(iri(P["kgp"] + rel), set()).update(map(states.__getitem__, objects))
        yield state_iri(code), block


FORK_MIN_EVENTS = 50_000  # a graph this big writes its last events and its reports in a second process


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _split(graph: DiplomacyGraph, events: int) -> int:
    """How many events this process renders when a child renders the others and the reports.

    The costs of an article, an event and a report are about 6, 22 and 8: each process gets half.
    No child in a process with threads (forking one is not safe) or with one core.
    """
    if events < FORK_MIN_EVENTS or _cpus() < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return events
    return max(0, min(events, (22 * events + 8 * len(graph.reports) - 6 * len(graph.articles)) // 44))


def turtle_blocks(graph: DiplomacyGraph) -> Iterator[Block | Rendered]:
    """The blocks of :func:`subject_blocks`, articles, events and reports rendered: the same Turtle.

    For a big graph, a forked child renders the last events and the reports
    meanwhile (see :class:`~kg.rdf.turtle.ChildRender`).
    """
    t = _Templates(graph)
    events = sorted(graph.events, key=attrgetter("id"))
    mine = _split(graph, len(events))
    child = ChildRender(lambda: chain(_event_chunks(t, events[mine:]), _report_chunks(t, events))) \
        if mine < len(events) else None
    try:
        for chunk in _chunks(sorted(graph.articles.values(), key=lambda a: article_local(a.id))):
            yield t.article_chunk(chunk)
        yield from _event_chunks(t, events[:mine])
        yield from child.chunks() if child else _report_chunks(t, events)
    finally:
        if child:
            child.close()
    yield from _state_blocks(events)
