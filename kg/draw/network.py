"""The network of states: who deals with whom, and how friendly.

One node per state (size: its number of events), one edge per pair (colour:
mean Goldstein score from conflict to cooperation; width: number of events).
Each connected group of states is laid out on its own (seeded force layout,
numpy only) and the groups are packed side by side, so small groups do not
drift to the corners; labels are placed where they cover no other label or
node.  The same graph draws the same picture, byte for byte.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kg.draw.common import (
    CMAP,
    NORM,
    draw_header,
    goldstein_colorbar,
    header,
    period_text,
    place_labels,
    plt,
    plural,
    wrap,
)
from kg.errors import UsageError
from kg.gazetteer import gazetteer, require_state
from kg.graph.store import DiplomacyGraph
from kg.query import in_period
from kg.relations import RELATIONS

__all__ = ["Selection", "draw_network", "layout", "pair_stats", "select"]

SEED = 7
NODE_FILL = "#f7f7f7"
FORMER_FILL = "#d4d4d4"  # states that no longer exist (Soviet Union, Yugoslavia), also dashed


@dataclass
class Selection:
    """The events between states that a diagram shows, aggregated by pair.

    ``pairs``: (a, b) with a < b -> [number of events, sum of Goldstein scores].
    """

    pairs: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None

    @property
    def events(self) -> int:
        return int(sum(v[0] for v in self.pairs.values()))

    def mean(self, pair: tuple[str, str]) -> float:
        n, total = self.pairs[pair]
        return total / n

    def states(self) -> dict[str, int]:
        """State -> number of its events, busiest first (ties by code)."""
        busy: dict[str, int] = {}
        for (a, b), (n, _t) in self.pairs.items():
            busy[a] = busy.get(a, 0) + int(n)
            busy[b] = busy.get(b, 0) + int(n)
        return dict(sorted(busy.items(), key=lambda kv: (-kv[1], kv[0])))


def select(graph: DiplomacyGraph, since: str | None = None, until: str | None = None,
           relation: str | None = None, focus: str | None = None, min_events: int = 1) -> Selection:
    """Aggregate the graph's state-to-state events by pair, in one pass.

    ``focus``: only events of this state (with its predecessors); pairs with
    fewer than ``min_events`` events are left out.
    """
    if relation is not None and relation not in RELATIONS:
        raise UsageError(f"unknown relation {relation!r}; valid: {', '.join(RELATIONS)}")
    gaz = gazetteer()
    states = gaz.states
    lineage = gaz.lineage(require_state(focus)) if focus else None
    period = since is not None or until is not None
    acc: dict[tuple[str, str], list] = {}
    for e in graph.events:
        s, o = e.subject, e.object
        if s not in states or o not in states or s == o:
            continue
        if relation is not None and e.relation != relation:
            continue
        if period and not in_period(e.date, since, until):
            continue
        if lineage is not None and s not in lineage and o not in lineage:
            continue
        key = (s, o) if s < o else (o, s)
        a = acc.get(key)
        if a is None:
            a = acc[key] = [0, 0.0, set(), None, None]
        a[0] += 1
        a[1] += e.goldstein
        for r in e.reports:
            a[2].add(r.article)
        d = e.date
        if d:
            if a[3] is None or d < a[3]:
                a[3] = d
            if a[4] is None or d > a[4]:
                a[4] = d
    sel = Selection()
    firsts, lasts = [], []
    for key in sorted(acc):
        n, total, arts, first, last = acc[key]
        if n < min_events:
            continue
        sel.pairs[key] = [n, total]
        sel.articles |= arts
        if first:
            firsts.append(first)
            lasts.append(last)
    sel.first = min(firsts) if firsts else None
    sel.last = max(lasts) if lasts else None
    return sel


def pair_stats(graph: DiplomacyGraph, since: str | None = None, until: str | None = None,
               relation: str | None = None, focus: str | None = None) -> dict[tuple[str, str], list]:
    """(a, b) -> [number of events, mean Goldstein score] for state pairs (a < b)."""
    sel = select(graph, since, until, relation, focus)
    return {k: [int(n), t / n] for k, (n, t) in sel.pairs.items()}


# -- layout -------------------------------------------------------------------

def _normalise(p: np.ndarray) -> np.ndarray:
    """Centre the points and scale them so the median nearest-neighbour distance is 1."""
    p = p - p.mean(axis=0)
    if len(p) < 2:
        return p
    d = np.sqrt(((p[:, None, :] - p[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    nn = float(np.median(d.min(axis=1)))
    return p / nn if nn > 1e-9 else p


def _spread(p: np.ndarray, min_dist: float, rounds: int = 60) -> np.ndarray:
    """Push apart points closer than ``min_dist`` (nodes must not sit on each other)."""
    p = p.copy()
    n = len(p)
    if n < 2:
        return p
    for _ in range(rounds):
        diff = p[:, None, :] - p[None, :, :]
        d = np.sqrt((diff ** 2).sum(-1))
        np.fill_diagonal(d, min_dist * 10)
        close = d < min_dist
        if not close.any():
            break
        d = np.where(d < 1e-9, 1e-9, d)
        push = np.where(close, (min_dist - d) / d * 0.5, 0.0)
        p += (diff * push[:, :, None]).sum(axis=1) * 0.5
    return p


def _component_layout(g: nx.Graph, nodes: list[str], seed: int) -> np.ndarray:
    if len(nodes) == 1:
        return np.zeros((1, 2))
    if len(nodes) == 2:
        return np.array([[-0.65, 0.0], [0.65, 0.0]])
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_edges_from((a, b, {"w": g[a][b].get("w", 1.0)}) for a, b in sorted(g.subgraph(nodes).edges()))
    if len(nodes) <= 40:  # small groups: start on a circle, as a reader would draw them
        start = {v: np.array([math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes))])
                 for i, v in enumerate(nodes)}
        pos = nx.spring_layout(h, pos=start, seed=seed, iterations=300, weight="w", method="force")
    else:
        pos = nx.spring_layout(h, seed=seed, iterations=200, weight="w", method="force")
    p = np.array([pos[v] for v in nodes], dtype=float)
    if len(nodes) >= 25:
        p = _even_out(p)
    return _spread(_normalise(p), 0.85)


def _even_out(p: np.ndarray) -> np.ndarray:
    """Spread a big component evenly over a disc, keeping each node's direction and rank from the centre.

    A force layout of a core-periphery network crams the busy core and flings
    the periphery far out; scaled to a page, the core's labels would pile up.
    Here the i-th nearest node to the centre goes to radius sqrt(i / n): an
    even density in which busy states stay in the middle.
    """
    c = p - np.median(p, axis=0)
    r = np.sqrt((c ** 2).sum(axis=1))
    order = np.argsort(r, kind="stable")
    rank = np.empty(len(p))
    rank[order] = np.arange(len(p))
    target = np.sqrt((rank + 0.5) / len(p))
    unit = c / np.where(r > 1e-12, r, 1.0)[:, None]
    return unit * target[:, None]


def layout(g: nx.Graph, seed: int = SEED) -> dict[str, np.ndarray]:
    """Positions for every node: each connected component laid out, then the components packed.

    Components are ordered by size (largest first, ties by their states'
    codes), so the picture does not depend on the order edges were added.
    Units: the median distance between a state and its nearest neighbour is
    about 1.
    """
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    pieces = []
    for comp in comps:
        p = _component_layout(g, comp, seed)
        lo, hi = p.min(axis=0), p.max(axis=0)
        pieces.append((comp, p - lo, hi - lo))
    return _pack(pieces)


def _pack(pieces: list[tuple[list[str], np.ndarray, np.ndarray]], aspect: float = 1.35,
          margin: tuple[float, float] = (1.5, 1.2)) -> dict[str, np.ndarray]:
    """Place components' boxes without overlap, keeping the whole near ``aspect`` (width/height).

    Greedy bottom-left fill: each box (largest first) goes to the free corner
    next to an already placed box that keeps the bounding box smallest.
    """
    mx, my = margin
    placed: list[tuple[float, float, float, float]] = []  # x0, y0, x1, y1 (y down), margins included
    where: list[tuple[float, float]] = []
    for _comp, _p, size in pieces:
        w, h = float(size[0]) + mx, float(size[1]) + my
        if not placed:
            spot = (0.0, 0.0)
        else:
            cands = {(0.0, 0.0)} | {(b[2], b[1]) for b in placed} | {(b[0], b[3]) for b in placed}
            W = max(b[2] for b in placed)
            H = max(b[3] for b in placed)
            best = None
            for x, y in sorted(cands):
                if any(x < b[2] - 1e-9 and b[0] < x + w - 1e-9 and y < b[3] - 1e-9 and b[1] < y + h - 1e-9
                       for b in placed):
                    continue
                nw, nh = max(W, x + w), max(H, y + h)
                key = (max(nw / aspect, nh), y, x)
                if best is None or key < best[0]:
                    best = (key, (x, y))
            spot = best[1]  # type: ignore[index]
        placed.append((spot[0], spot[1], spot[0] + w, spot[1] + h))
        where.append(spot)
    out: dict[str, np.ndarray] = {}
    for (comp, p, size), (x, y) in zip(pieces, where, strict=True):
        for v, q in zip(comp, p, strict=True):
            out[v] = np.array([x + q[0], -(y + float(size[1]) - q[1])])
    return out


# -- drawing ------------------------------------------------------------------

def _nice_counts(max_n: int) -> list[int]:
    """Up to three round event counts for the width legend: 1, a middle one, the largest."""
    steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    if max_n <= 1:
        return [1]
    mid = [s for s in steps if 1 < s < max_n and s * s <= max_n * 2]
    return [1, *mid[-1:], max_n]


def edge_width(n: float | np.ndarray, max_n: int) -> np.ndarray:
    """Line width in points for pairs of ``n`` events: logarithmic, 0.8 to 7."""
    n = np.asarray(n, dtype=float)
    if max_n <= 1:
        return np.full_like(n, 2.0)
    return 0.8 + 6.2 * np.log1p(n - 1) / math.log1p(max_n - 1)


def edge_alpha(n: np.ndarray, max_n: int, n_pairs: int) -> np.ndarray:
    """Opacity of edges: all solid in a sparse network; in a dense one, pairs with few events fade.

    Up to 150 pairs every edge is shown at 0.9; beyond, the floor drops with
    the number of pairs so thousands of one-event pairs make a light haze
    under the busy pairs rather than a smear over them.
    """
    n = np.asarray(n, dtype=float)
    if n_pairs <= 150 or max_n <= 1:
        return np.full_like(n, 0.9)
    floor = max(0.07, 0.9 * math.sqrt(150 / n_pairs))
    return floor + (0.95 - floor) * (np.log1p(n - 1) / math.log1p(max_n - 1)) ** 1.5


def draw_network(graph: DiplomacyGraph, since: str | None = None, until: str | None = None,
                 relation: str | None = None, focus: str | None = None, min_events: int = 1,
                 title: str | None = None) -> Figure:
    """The network of states as a matplotlib Figure (see the module's docstring)."""
    gaz = gazetteer()
    sel = select(graph, since, until, relation, focus, min_events)
    if not sel.pairs:
        raise UsageError("no events between states to draw (check --since/--until/--relation/--focus/--min-events)")
    busy = sel.states()
    nodes = sorted(busy)
    g = nx.Graph()
    g.add_nodes_from(nodes)
    for (a, b), (n, _t) in sel.pairs.items():
        g.add_edge(a, b, w=1.0 + math.log(n))
    pos = layout(g)
    xy = np.array([pos[v] for v in nodes])

    # geometry: a fixed scale (inches per layout unit) within bounds, legends in a panel on the right
    longest = max(len(gaz.label(v)) for v in nodes) * 0.072  # inches, roughly, at 9 pt
    pad = np.array([max(1.1, 0.55 * longest / 0.68 + 0.2), 0.7])  # room for labels at the sides
    lo, hi = xy.min(axis=0) - pad, xy.max(axis=0) + pad
    span = hi - lo
    # 0.68 in per unit; small networks may grow up to 1.1 to fill a 5 x 3.6 in map, big ones shrink to fit 13 x 11
    unit = min(max(0.68, min(1.1, 5.2 / span[0], 3.6 / span[1])), 13.0 / span[0], 11.0 / span[1])
    map_w, map_h = max(5.2, span[0] * unit), max(3.6, span[1] * unit)
    centre = (lo + hi) / 2
    lo, hi = centre - np.array([map_w, map_h]) / unit / 2, centre + np.array([map_w, map_h]) / unit / 2
    head = title or (f"Diplomatic relations: {gaz.label(require_state(focus))} and its partners" if focus else
                     "Diplomatic relations between states")
    filters = [f"relation: {relation.replace('_', ' ')}" if relation else "",
               f"pairs with ≥ {min_events} events" if min_events > 1 else ""]
    sub = " · ".join(x for x in [period_text([sel.first, sel.last]), plural(len(nodes), "state"),
                                 plural(sel.events, "event"), plural(len(sel.articles), "article"), *filters] if x)
    panel, bottom = 2.5, 0.5
    head, sub, top = header(head, sub, map_w + panel)
    former = np.array([bool(gaz.states[v].dissolved) for v in nodes])
    counts_legend = _nice_counts(int(max(n for n, _t in sel.pairs.values())))
    bar_h = min(4.0, max(2.2, 0.55 * map_h))
    legend_h = 0.3 + 0.24 * (len(counts_legend) + int(former.any()))
    block = bar_h + 0.45 + legend_h
    body = max(map_h, block)
    fig_w, fig_h = map_w + panel, body + top + bottom
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((0.1 / fig_w, (bottom + (body - map_h) / 2) / fig_h, map_w / fig_w, map_h / fig_h))
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    # edges: one LineCollection, the busiest pairs drawn last (on top)
    pairs = sorted(sel.pairs, key=lambda k: (sel.pairs[k][0], abs(sel.mean(k)), k))
    counts = np.array([sel.pairs[k][0] for k in pairs], dtype=float)
    means = np.array([sel.mean(k) for k in pairs])
    max_n = int(counts.max())
    segs = np.array([[pos[a], pos[b]] for a, b in pairs])
    colors = CMAP(NORM(means))
    colors[:, 3] = edge_alpha(counts, max_n, len(pairs))
    widths = edge_width(counts, max_n)
    ax.add_collection(LineCollection(segs, colors=colors, linewidths=widths, capstyle="round", zorder=1,
                                     label="pairs"))

    # nodes: area by the state's number of events; former states dashed
    max_busy = max(busy.values())
    r_max = min(15.0, 0.3 * unit * 72)
    r_min = max(3.0, r_max * 0.3)
    radii = np.array([r_min + (r_max - r_min) * math.sqrt(busy[v] / max_busy) for v in nodes])
    for mask, fill, style in ((~former, NODE_FILL, "solid"), (former, FORMER_FILL, (0, (2, 1.5)))):
        if mask.any():
            ax.scatter(xy[mask, 0], xy[mask, 1], s=(2 * radii[mask]) ** 2, c=fill, edgecolors="#333333",
                       linewidths=1.0, linestyles=style, zorder=2)

    # labels: busiest states placed first
    size = len(nodes)
    font = 10 if size <= 12 else 9 if size <= 40 else 8 if size <= 90 else 7
    order = sorted(range(size), key=lambda i: (-busy[nodes[i]], nodes[i]))
    place_labels(ax, xy, [gaz.label(v) for v in nodes], radii, order=order, fontsize=font, zorder=3,
                 color="#111111", bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.8})

    # legends on the right: colour bar, then edge widths and former states
    bar_top = bottom + (body + block) / 2
    cax = fig.add_axes(((map_w + 0.45) / fig_w, (bar_top - bar_h) / fig_h, 0.18 / fig_w, bar_h / fig_h))
    goldstein_colorbar(fig, cax, label="mean Goldstein score of the pair")
    handles = [Line2D([], [], color="#777777", linewidth=float(edge_width(c, max_n)), solid_capstyle="round",
                      label=plural(c, "event")) for c in counts_legend]
    if former.any():
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=FORMER_FILL,
                              markeredgecolor="#333333", label="former state"))
    fig.legend(handles=handles, title="edge width", loc="upper left", fontsize=8, title_fontsize=8,
               bbox_to_anchor=((map_w + 0.2) / fig_w, (bar_top - bar_h - 0.4) / fig_h),
               frameon=False, alignment="left")

    note = ("Node size: the state's events. Edge width: the pair's events; colour: their mean Goldstein "
            "score (CAMEO/GDELT scale, −10 conflict to +10 cooperation).")
    draw_header(fig, head, sub)
    fig.text(0.1 / fig_w, 0.08 / fig_h, wrap(note, int(fig_w * 72 / 4.3)), fontsize=7.5, color="#555555",
             va="bottom")
    return fig

