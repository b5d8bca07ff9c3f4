"""The network of states: who deals with whom, and how friendly.

One node per state (size: its number of events), one edge per pair (colour:
mean Goldstein score from conflict to cooperation; width: number of events).
Layout is seeded, so the same graph draws the same picture.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure

from kg.draw.common import CMAP, NORM, goldstein_color, period_text, plt
from kg.errors import UsageError
from kg.gazetteer import gazetteer, require_state
from kg.graph.store import DiplomacyGraph
from kg.query import in_period

__all__ = ["draw_network", "pair_stats"]


def pair_stats(graph: DiplomacyGraph, since: str | None = None, until: str | None = None,
               relation: str | None = None, focus: str | None = None) -> dict[tuple[str, str], list]:
    """(a, b) -> [number of events, mean Goldstein, articles] for state pairs."""
    gaz = gazetteer()
    lineage = gaz.lineage(require_state(focus)) if focus else None
    acc: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0.0, set()])
    for e in graph.events:
        if not (gaz.is_state(e.subject) and gaz.is_state(e.object)):
            continue
        if (relation and e.relation != relation) or not in_period(e.date, since, until):
            continue
        if lineage is not None and e.subject not in lineage and e.object not in lineage:
            continue
        key = tuple(sorted((e.subject, e.object)))
        a = acc[key]  # type: ignore[index]
        a[0] += 1
        a[1] += e.goldstein
        a[2].update(e.articles)
    return {k: [v[0], v[1] / v[0], v[2]] for k, v in acc.items()}


def draw_network(graph: DiplomacyGraph, since: str | None = None, until: str | None = None,
                 relation: str | None = None, focus: str | None = None, min_events: int = 1,
                 title: str | None = None) -> Figure:
    """The network of states as a matplotlib Figure."""
    gaz = gazetteer()
    stats = {k: v for k, v in pair_stats(graph, since, until, relation, focus).items() if v[0] >= min_events}
    if not stats:
        raise UsageError("no events between states to draw (check --since/--until/--relation/--min-events)")
    g = nx.Graph()
    for (a, b), (n, mean, _arts) in sorted(stats.items()):
        g.add_edge(a, b, n=n, mean=mean)
    degree = {v: sum(d["n"] for *_e, d in g.edges(v, data=True)) for v in g}
    nodes = sorted(g)
    size = len(nodes)
    if size <= 2:
        pos = {v: np.array([i * 1.0, 0.0]) for i, v in enumerate(nodes)}
    elif size <= 40:
        start = nx.circular_layout(nodes)
        pos = nx.spring_layout(g, pos=start, seed=7, k=1.8 / math.sqrt(size), iterations=300)
    else:
        pos = nx.spring_layout(g, seed=7, k=2.2 / math.sqrt(size), iterations=200)
    side = 7 + min(size, 150) * 0.06
    fig = plt.figure(figsize=(side + 1.8, side))
    ax = fig.add_axes((0.02, 0.04, 0.80, 0.86))
    ax.set_axis_off()
    max_n = max(d["n"] for *_e, d in g.edges(data=True))
    edges = sorted(g.edges(data=True), key=lambda e: e[2]["n"])
    for a, b, d in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        w = 0.8 + 5.0 * math.log1p(d["n"]) / math.log1p(max_n) if max_n > 1 else 2.0
        ax.plot([x1, x2], [y1, y2], color=goldstein_color(d["mean"]), linewidth=w, alpha=0.85,
                solid_capstyle="round", zorder=1, gid=f"edge-{a}-{b}")
    max_deg = max(degree.values())
    font = 11 if size <= 20 else 9 if size <= 60 else 7
    for v in nodes:
        x, y = pos[v]
        s = 120 + 900 * math.sqrt(degree[v] / max_deg)
        ax.scatter([x], [y], s=s, color="#fdfdfd", edgecolors="#444444", linewidths=1.2, zorder=2)
        ax.annotate(gaz.label(v), (x, y), xytext=(0, math.sqrt(s) / 2 + 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=font, zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    padx = (max(xs) - min(xs)) * 0.12 + 0.3
    pady = (max(ys) - min(ys)) * 0.12 + 0.3
    ax.set_xlim(min(xs) - padx, max(xs) + padx)
    ax.set_ylim(min(ys) - pady, max(ys) + pady)
    cax = fig.add_axes((0.85, 0.15, 0.025, 0.6))
    cb = fig.colorbar(ScalarMappable(norm=NORM, cmap=CMAP), cax=cax)
    cb.set_label("mean Goldstein score of the pair's events")
    cb.set_ticks([-10, -5, 0, 5, 10])
    cb.set_ticklabels(["-10 conflict", "-5", "0", "5", "10 cooperation"])
    articles = set().union(*(v[2] for v in stats.values()))
    dates = [e.date for e in graph.events if e.date and in_period(e.date, since, until)
             and (relation is None or e.relation == relation)]
    n_events = sum(v[0] for v in stats.values())
    head = title or ("Diplomatic relations" + (f" of {gaz.label(require_state(focus))}" if focus else ""))
    fig.suptitle(f"{head}\n{period_text(dates)} · {len(nodes)} states · {n_events} events · "
                 f"{len(articles)} article{'' if len(articles) == 1 else 's'}", fontsize=13, y=0.97)
    fig.text(0.02, 0.01, "Edge width: number of events. Colour: mean Goldstein score (CAMEO scale).",
             fontsize=8, color="#555555")
    return fig
