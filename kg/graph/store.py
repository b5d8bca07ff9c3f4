"""DiplomacyGraph: the reports and articles kg knows, and the events merged from them.

The graph keeps what was read (reports with provenance, article metadata);
everything else (merged events, the networkx view, RDF) is derived from it,
so adding the same article twice or in another order changes nothing.
"""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.gazetteer import gazetteer
from kg.graph.merge import MergedEvent, event_order, gc_paused, merge_events, report_id
from kg.model import Article, Event

__all__ = ["ArticleInfo", "DiplomacyGraph"]


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the graph keeps of an article: its metadata, not its text."""

    id: str
    title: str = ""
    published: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, a: Article) -> ArticleInfo:
        return cls(a.id, a.title, a.published.isoformat() if a.published else None, a.url)


@dataclass
class DiplomacyGraph:
    """A growing graph of diplomatic events.

    >>> g = DiplomacyGraph()
    >>> g.add(Article("a1", "..."), [Event.make("a1", "SUN", "recognize", "PRK", date="1948-10-12")])
    >>> [(e.subject, e.relation, e.object, e.date) for e in g.events]
    [('SUN', 'recognize', 'PRK', '1948-10-12')]
    """

    articles: dict[str, ArticleInfo] = field(default_factory=dict)
    reports: dict[str, Event] = field(default_factory=dict)

    def add(self, article: Article | ArticleInfo, events: Iterable[Event]) -> None:
        """Add (or replace) one article and the events read from it."""
        info = article if isinstance(article, ArticleInfo) else ArticleInfo.of(article)
        index = self._article_index()
        merged = "_events" in self.__dict__
        touched: set[tuple[str, str, str]] = set()
        if info.id in self.articles:
            for rid in index.pop(info.id, ()):
                old = self.reports.pop(rid, None)
                if old is not None and merged:
                    touched.add((old.subject, old.relation, old.object))
        self.articles[info.id] = info
        ids = index.setdefault(info.id, [])
        for e in events:
            rid = report_id(e)
            if rid not in self.reports:
                ids.append(rid)
            self.reports[rid] = e
            if merged:
                touched.add((e.subject, e.relation, e.object))
        self.__dict__["_indexed"] = len(self.reports)
        if touched:
            self.__dict__.setdefault("_stale", set()).update(touched)
        self.__dict__.pop("by_pair", None)

    def _article_index(self) -> dict[str, list[str]]:
        """article id -> its report ids, built once (reports may have been filled directly)."""
        index = self.__dict__.get("_by_article")
        if index is None or self.__dict__.get("_indexed") != len(self.reports):
            index = {}
            for rid, r in self.reports.items():
                index.setdefault(r.article, []).append(rid)
            self.__dict__["_by_article"] = index
        return index

    def update(self, other: DiplomacyGraph) -> None:
        """Merge another graph into this one (its articles replace same-id ones here)."""
        by_article: dict[str, list[Event]] = {}
        for r in other.reports.values():
            by_article.setdefault(r.article, []).append(r)
        for aid, info in other.articles.items():
            self.add(info, by_article.get(aid, []))

    @property
    def events(self) -> list[MergedEvent]:
        """Merged events, sorted by date then pair and relation.

        Merged once, then kept: after :meth:`add`, only the (subject,
        relation, object) keys the added or replaced reports touch are merged
        again (merging is per key), so adding a few articles to a big graph
        does not redo the whole merge.
        """
        d = self.__dict__
        events: list[MergedEvent] | None = d.get("_events")
        stale: set[tuple[str, str, str]] | None = d.pop("_stale", None)
        if events is None:
            events = merge_events(self.reports.values())
        elif stale:
            events = _remerge(events, stale, self.reports.values())
        else:
            return events
        d["_events"] = events
        d.pop("by_pair", None)
        return events

    def preload_events(self, events: list[MergedEvent]) -> None:
        """Take ``events`` as this graph's merged events, as a store that kept them does on load.

        They must be exactly what :func:`~kg.graph.merge.merge_events` makes of
        ``self.reports`` (the store saved them from such a graph); later adds
        re-merge incrementally from there.
        """
        self.__dict__["_events"] = events
        self.__dict__.pop("_stale", None)
        self.__dict__.pop("by_pair", None)

    @property
    def by_pair(self) -> dict[frozenset[str], list[MergedEvent]]:
        """Events indexed by their unordered pair of actors (for fast pair queries)."""
        events = self.events  # first: a re-merge drops the index
        out: dict[frozenset[str], list[MergedEvent]] | None = self.__dict__.get("by_pair")
        if out is None:
            out = {}
            for e in events:
                out.setdefault(frozenset((e.subject, e.object)), []).append(e)
            self.__dict__["by_pair"] = out
        return out

    def __len__(self) -> int:
        return len(self.events)

    def actors(self) -> list[str]:
        """Codes of every actor that takes part in an event, sorted."""
        return sorted({c for e in self.events for c in (e.subject, e.object)})

    def to_networkx(self) -> nx.MultiDiGraph:
        """A networkx view: one node per actor, one edge per merged event.

        Node attributes: ``label``, ``kind`` (state/organisation), ``qid``.
        Edge attributes: the event's fields; symmetric events point from the
        first to the second code and carry ``symmetric=True``.
        """
        gaz = gazetteer()
        g = nx.MultiDiGraph()
        for code in self.actors():
            st = gaz.states.get(code)
            g.add_node(code, label=gaz.label(code), kind="state" if st else "organisation",
                       qid=(st.qid if st else None) or "")
        for e in self.events:
            g.add_edge(e.subject, e.object, key=e.id, relation=e.relation, date=e.date or "",
                       precision=e.precision or "", confidence=e.confidence,
                       corroboration=e.corroboration, goldstein=e.goldstein, cameo=e.cameo,
                       plover=e.plover, quad=e.quad, symmetric=e.symmetric,
                       articles=" ".join(e.articles))
        return g

    def article_dates(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(a.published) for a in self.articles.values() if a.published)


def _remerge(events: list[MergedEvent], stale: set[tuple[str, str, str]],
             reports: Iterable[Event]) -> list[MergedEvent]:
    """``events`` with the events of the ``stale`` keys merged again from ``reports``, in order."""
    with gc_paused():
        kept = [e for e in events if (e.subject, e.relation, e.object) not in stale]
        fresh = merge_events([r for r in reports if (r.subject, r.relation, r.object) in stale])
        if len(fresh) <= 64:  # a few articles added: insert in place
            for e in fresh:
                insort(kept, e, key=event_order)
        else:
            kept.extend(fresh)
            kept.sort(key=event_order)  # two sorted runs: one merge pass
    return kept
