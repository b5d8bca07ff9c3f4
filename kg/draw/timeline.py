"""The timeline of a pair: their events along a time axis.

Empty stretches are compressed (a break mark shows where), so a history
running from 1948 to 2023 with most events in 2023 stays readable: each
cluster of events gets room by its number of events, not by its duration.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kg.draw.common import goldstein_color, plt
from kg.errors import UsageError
from kg.gazetteer import gazetteer, require_state
from kg.graph.store import DiplomacyGraph
from kg.query import relations
from kg.relations import RELATIONS

__all__ = ["axis_positions", "draw_timeline"]

MARKERS = {1: "o", 2: "D", 3: "^", 4: "X"}  # by quad class
GAP_YEARS = 2.0


def _year_float(d: str) -> float:
    y = int(d[:4])
    if len(d) == 4:
        return y + 0.5
    m = int(d[5:7])
    day = int(d[8:10]) if len(d) == 10 else 15
    start = dt.date(y, m, 1).toordinal()
    return y + (start - dt.date(y, 1, 1).toordinal() + day - 1) / 365.25


def axis_positions(dates: list[str]) -> tuple[dict[str, float], list[tuple[float, float, str, str]]]:
    """Positions on a compressed axis, and clusters as (x0, x1, first date, last date).

    Dates more than two years apart start a new cluster; clusters are laid
    side by side with a fixed gap, each as wide as its number of distinct dates.
    """
    uniq = sorted(set(dates), key=_year_float)
    clusters: list[list[str]] = []
    for d in uniq:
        if clusters and _year_float(d) - _year_float(clusters[-1][-1]) <= GAP_YEARS:
            clusters[-1].append(d)
        else:
            clusters.append([d])
    pos: dict[str, float] = {}
    spans = []
    x = 0.0
    for c in clusters:
        width = max(1.0, len(c) * 1.0)
        t0, t1 = _year_float(c[0]), _year_float(c[-1])
        for i, d in enumerate(c):
            if t1 > t0:
                # keep time order, but never squash: mix true time with even spacing
                frac = 0.5 * (_year_float(d) - t0) / (t1 - t0) + 0.5 * (i / max(1, len(c) - 1))
            else:
                frac = 0.5 if len(c) == 1 else i / (len(c) - 1)
            pos[d] = x + frac * width
        spans.append((x, x + width, c[0], c[-1]))
        x += width + 1.2
    return pos, spans


def draw_timeline(graph: DiplomacyGraph, a: str, b: str, since: str | None = None,
                  until: str | None = None, relation: str | None = None) -> Figure:
    """The events between two states (predecessors included) as a Figure."""
    gaz = gazetteer()
    ca, cb = require_state(a), require_state(b)
    events = relations(graph, ca, cb, since, until, relation)
    dated = [e for e in events if e.date]
    if not dated:
        raise UsageError(f"no dated events between {gaz.label(ca)} and {gaz.label(cb)} to draw")
    pos, spans = axis_positions([e.date for e in dated])  # type: ignore[misc]
    rels = [r for r in RELATIONS if any(e.relation == r for e in dated)]
    row = {r: i for i, r in enumerate(rels)}
    width = max(8.0, min(22.0, 3 + spans[-1][1] * 0.9))
    fig, ax = plt.subplots(figsize=(width, 1.6 + 0.55 * len(rels) + 1.2))
    stack: dict[tuple[str, str], int] = {}
    for e in dated:
        x = pos[e.date]  # type: ignore[index]
        k = (e.date, e.relation)
        off = stack.get(k, 0)  # type: ignore[arg-type]
        stack[k] = off + 1  # type: ignore[index]
        y = row[e.relation] + off * 0.18
        n = e.corroboration
        ax.scatter([x], [y], s=60 + 40 * min(n, 6), color=goldstein_color(e.goldstein), marker=MARKERS[e.quad],
                   edgecolors="#333333", linewidths=0.8, zorder=3)
        arrow = "–" if e.symmetric else "→"
        label = f"{gaz.label(e.subject)} {arrow} {gaz.label(e.object)}" if e.subject not in (ca, cb) or \
            e.object not in (ca, cb) else f"{e.subject}{arrow}{e.object}"
        src = f" ({n} sources)" if n > 1 else ""
        ax.annotate(f"{label}{src}", (x, y), xytext=(7, 5), textcoords="offset points", fontsize=7.5,
                    rotation=20, color="#222222", zorder=4)
    ax.set_yticks(range(len(rels)))
    ax.set_yticklabels([r.replace("_", " ") for r in rels])
    ax.set_ylim(-0.7, len(rels) - 0.3 + 0.6)
    ticks, labels = [], []
    for x0, x1, d0, d1 in spans:
        if d0 == d1:
            ticks.append((x0 + x1) / 2)
            labels.append(d0)
        else:
            ticks += [x0 + (pos[d0] - x0), pos[d1]]
            labels += [d0, d1]
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    for (_x0, x1, _d0, _d1), nxt in pairwise(spans):
        mid = (x1 + nxt[0]) / 2
        ax.axvline(mid, color="#999999", linestyle=(0, (2, 3)), linewidth=1)
        ax.text(mid, len(rels) - 0.2, "≈", ha="center", va="bottom", fontsize=12, color="#777777")
    ax.set_xlim(-0.6, spans[-1][1] + 1.5)
    ax.grid(axis="y", color="#eeeeee")
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    dates = [e.date for e in dated]
    ax.set_title(f"{gaz.label(ca)} and {gaz.label(cb)}: {len(dated)} events, "
                 f"{min(dates)} to {max(dates)}", fontsize=12)  # type: ignore[type-var]
    handles = [Line2D([], [], marker=MARKERS[q], linestyle="", color="#888888", label=lab)
               for q, lab in ((1, "verbal cooperation"), (2, "material cooperation"),
                              (3, "verbal conflict"), (4, "material conflict"))
               if any(e.quad == q for e in dated)]
    handles += [Line2D([], [], marker="s", linestyle="", color=goldstein_color(v), label=lab)
                for v, lab in ((8, "cooperative (Goldstein > 0)"), (-8, "hostile (Goldstein < 0)"))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    if len(dated) < len(events):
        fig.text(0.01, 0.01, f"{len(events) - len(dated)} undated events not shown", fontsize=8, color="#555555")
    fig.tight_layout()
    return fig
