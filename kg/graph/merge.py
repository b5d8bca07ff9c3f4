"""Merging reports into events.

A *report* is one :class:`~kg.model.Event` read from one article.  Reports of
the same pair and relation become one event when their dates agree at the
precision both know: "in 1948" corroborates "October 12, 1948"; two
different days stay two events, both visible.  The result depends only on
the set of reports, never on their order, so ingesting articles in any order
or twice gives the same graph.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kg.model import Event, precision_of
from kg.relations import RELATIONS

__all__ = ["MergedEvent", "compatible", "event_id", "event_order", "gc_paused", "merge_events", "report_id"]


#: tracked objects a paused section must have made for one full collection at its end to pay off
_COLLECT_AFTER = 200_000


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building millions of acyclic objects.

    Each collection walks the objects of its generations; a merge or load of
    a million events would otherwise trigger several full ones (a third of
    its time).  Events, reports and their tuples form no cycles, so nothing
    is left uncollected while paused.  A section that made many objects ends
    with one full collection: it moves them to the oldest generation in one
    pass, where the collector's own schedule would walk them three times
    (young, middle, then old generation) soon after.
    """
    was = gc.isenabled()
    gc.disable()
    before = gc.get_count()[0]
    try:
        yield
    finally:
        if was:
            gc.enable()
            if gc.get_count()[0] - before > _COLLECT_AFTER:
                gc.collect()


def event_id(subject: str, relation: str, object: str, date: str | None) -> str:
    """Stable id of a merged event: a hash of its identity."""
    return hashlib.sha1(f"{subject}|{relation}|{object}|{date or ''}".encode()).hexdigest()[:16]


def report_id(e: Event) -> str:
    """Stable id of a report: the article, what was read, and where."""
    raw = f"{e.article}|{e.subject}|{e.relation}|{e.object}|{e.date or ''}|{e.sentence}|{e.span[0]}|{e.span[1]}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def compatible(a: str | None, b: str | None) -> bool:
    """Two dates agree at the precision both know ("1948" and "1948-10-12" do)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """One event of the graph with every report that tells it.

    ``corroboration`` counts distinct articles; ``confidence`` combines the
    reports' confidences as independent evidence (1 - prod(1 - c)).
    ``conflicts`` lists dates of other events of the same pair and relation
    that no report reconciles (e.g. two different days), so a reader sees them.
    """

    id: str
    subject: str
    relation: str
    object: str
    date: str | None
    reports: tuple[Event, ...]
    cameo: str
    plover: str
    goldstein: float
    quad: int
    conflicts: tuple[str, ...] = ()

    @property
    def precision(self) -> str | None:
        return precision_of(self.date)

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted({r.article for r in self.reports}))

    @property
    def corroboration(self) -> int:
        return len(self.articles)

    @property
    def confidence(self) -> float:
        p = 1.0
        for r in _best_per_article(self.reports):
            p *= 1.0 - r.confidence
        return round(1.0 - p, 4)

    @property
    def symmetric(self) -> bool:
        return RELATIONS[self.relation].symmetric

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "subject": self.subject, "relation": self.relation, "object": self.object,
            "date": self.date, "precision": self.precision, "confidence": self.confidence,
            "corroboration": self.corroboration, "cameo": self.cameo, "plover": self.plover,
            "goldstein": self.goldstein, "quad": self.quad, "articles": list(self.articles),
            "evidence": [r.evidence for r in self.reports], "conflicts": list(self.conflicts),
        }


def _best_per_article(reports: Iterable[Event]) -> list[Event]:
    best: dict[str, Event] = {}
    for r in reports:
        if r.article not in best or r.confidence > best[r.article].confidence:
            best[r.article] = r
    return [best[a] for a in sorted(best)]


def _sort_key(e: Event) -> tuple:
    return (e.article, e.sentence, e.span, e.date or "", e.evidence)


def event_order(e: MergedEvent) -> str:
    """The sort key of merged events: (date or "9999", subject, relation, object, id) as one string.

    Comparing one string is several times faster than comparing tuples of five
    (sorting a million events: ~1.5 s instead of ~5 s); NUL separators keep the
    tuple's order, since no code or date contains NUL.
    """
    return f"{e.date or '9999'}\0{e.subject}\0{e.relation}\0{e.object}\0{e.id}"


def merge_events(reports: Iterable[Event]) -> list[MergedEvent]:
    """Reports -> merged events, sorted by (date, subject, relation, object).

    Per (subject, relation, object): every distinct most-precise date opens
    an event; a coarser date joins the compatible event with the most
    reports (ties: the earlier date); a date no event accepts opens its own.
    Undated reports form one undated event.
    """
    with gc_paused():
        return _merge(reports)


def _merge(reports: Iterable[Event]) -> list[MergedEvent]:
    by_key: dict[tuple[str, str, str], list[Event]] = {}
    for r in reports:
        k = (r.subject, r.relation, r.object)
        reps = by_key.get(k)
        if reps is None:
            by_key[k] = [r]
        else:
            reps.append(r)
    out: list[MergedEvent] = []
    append = out.append
    for (s, rel, o), reps in by_key.items():
        if len(reps) == 1:  # most events are told once: no clustering to do
            r = reps[0]
            append(MergedEvent(event_id(s, rel, o, r.date), s, rel, o, r.date, (r,), r.cameo,
                               r.plover, r.goldstein, r.quad, ()))
            continue
        d0 = reps[0].date
        if all(r.date == d0 for r in reps):  # one date (or none) told several times: one event
            groups: list[tuple[str | None, list[Event]]] = [(d0, reps)]
        else:
            groups = _cluster(reps)
        all_dates = tuple(sorted(d for d, _ in groups if d)) if len(groups) > 1 else ()
        for d, rs in groups:
            rs = sorted(rs, key=_sort_key)
            first = rs[0]
            c0 = first.cameo
            if all(r.cameo == c0 for r in rs):
                cameo_code = c0
            else:
                cameo = Counter(r.cameo for r in rs).most_common()
                cameo_code = sorted(cameo, key=lambda x: (-x[1], x[0]))[0][0]
            conflicts = tuple(x for x in all_dates if d and x != d and not compatible(x, d))
            append(MergedEvent(event_id(s, rel, o, d), s, rel, o, d, tuple(rs), cameo_code,
                               first.plover, first.goldstein, first.quad, conflicts))
    out.sort(key=event_order)
    return out


def _cluster(reps: list[Event]) -> list[tuple[str | None, list[Event]]]:
    """The date clusters of one (subject, relation, object)'s reports of several dates (undated last)."""
    dates = sorted({r.date for r in reps if r.date}, key=lambda d: (-len(d), d))
    clusters: dict[str, list[Event]] = {}
    for d in dates:
        finer = [c for c in clusters if len(c) > len(d) and compatible(c, d)]
        if not finer:
            clusters[d] = []
    for r in reps:
        if r.date and r.date in clusters:
            clusters[r.date].append(r)
    for r in sorted((r for r in reps if r.date and r.date not in clusters), key=_sort_key):
        date = r.date
        fits = [c for c in clusters if compatible(c, date)]
        target = max(fits, key=lambda c: (sum(len(x.date or "") == len(c) for x in clusters[c]),
                                          [-ord(ch) for ch in c]))
        clusters[target].append(r)
    undated = [r for r in reps if not r.date]
    groups: list[tuple[str | None, list[Event]]] = list(clusters.items())
    if undated:
        groups.append((None, undated))
    return groups
