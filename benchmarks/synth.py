"""Synthetic graphs for the RDF, merge and query benchmarks, made directly from kg.model.Event.

Events between random pairs of real states (kg's gazetteer), with random
relations and dates (70% day, 20% month, 10% year precision); each event is
told by one to three reports from different articles, as a merged graph of
real news is.  Deterministic with a seed; no extraction involved.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from kg.graph.store import ArticleInfo, DiplomacyGraph
from kg.model import Event

__all__ = ["synth_graph", "synth_reports"]

_VERBS = {"meet": "met", "visit": "visited", "recognize": "recognized", "sign_agreement": "signed a treaty with"}


def synth_reports(n_events: int, seed: int = 0) -> tuple[list[ArticleInfo], list[Event]]:
    """Articles and reports for about ``n_events`` merged events (1.4 reports per event)."""
    from kg.gazetteer import gazetteer
    from kg.relations import RELATIONS

    gaz = gazetteer()
    rng = random.Random(f"kg-synth:{seed}")
    states = sorted(c for c, s in gaz.states.items() if not s.dissolved)
    rels = list(RELATIONS)
    n_articles = max(1, n_events // 2)
    day0 = dt.date(1990, 1, 1).toordinal()
    span = dt.date(2024, 12, 31).toordinal() - day0
    articles = []
    for i in range(n_articles):
        pub = dt.date.fromordinal(day0 + rng.randrange(span))
        articles.append(ArticleInfo(f"syn-{seed}-{i:07d}", f"Synthetic article {i}", pub.isoformat(),
                                    f"https://example.org/news/{seed}/{i}"))
    reports: list[Event] = []
    for _ in range(n_events):
        s, o = rng.sample(states, 2)
        rel = rng.choice(rels)
        d = dt.date.fromordinal(day0 + rng.randrange(span)).isoformat()
        r = rng.random()
        date = d if r < 0.7 else d[:7] if r < 0.9 else d[:4]
        k = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
        for a in rng.sample(range(n_articles), min(k, n_articles)):
            start = rng.randrange(2000)
            verb = _VERBS.get(rel, rel.replace("_", " "))
            evidence = f"{gaz.label(s)} {verb} {gaz.label(o)}"
            reports.append(Event.make(articles[a].id, s, rel, o, date=date, sentence=rng.randrange(30),
                                      span=(start, start + len(evidence)), evidence=evidence,
                                      confidence=round(rng.uniform(0.4, 0.95), 3)))
    return articles, reports


def synth_graph(n_events: int, seed: int = 0) -> DiplomacyGraph:
    """A DiplomacyGraph of about ``n_events`` merged events."""
    articles, reports = synth_reports(n_events, seed)
    by_article: dict[str, list[Event]] = defaultdict(list)
    for r in reports:
        by_article[r.article].append(r)
    g = DiplomacyGraph()
    for a in articles:
        g.add(a, by_article.get(a.id, []))
    return g
