"""DiplomacyGraph: the reports and articles kg knows, and the events merged from them.

The graph keeps what was read (reports with provenance, article metadata);
everything else (merged events, the networkx view, RDF) is derived from it,
so adding the same article twice or in another order changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from kg.gazetteer import gazetteer
from kg.graph.merge import MergedEvent, merge_events, report_id
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
        if info.id in self.articles:
            for rid in index.pop(info.id, ()):
                self.reports.pop(rid, None)
        self.articles[info.id] = info
        ids = index.setdefault(info.id, [])
        for e in events:
            rid = report_id(e)
            if rid not in self.reports:
                ids.append(rid)
            self.reports[rid] = e
        self.__dict__["_indexed"] = len(self.reports)
        self.__dict__.pop("events", None)
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

    @cached_property
    def events(self) -> list[MergedEvent]:
        """Merged events, sorted by date then pair and relation."""
        return merge_events(self.reports.values())

    @cached_property
    def by_pair(self) -> dict[frozenset[str], list[MergedEvent]]:
        """Events indexed by their unordered pair of actors (for fast pair queries)."""
        out: dict[frozenset[str], list[MergedEvent]] = {}
        for e in self.events:
            out.setdefault(frozenset((e.subject, e.object)), []).append(e)
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
