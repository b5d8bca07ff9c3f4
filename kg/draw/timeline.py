"""The timeline of a pair: their events along a time axis.

One row per relation (cooperative ones on top, hostile ones at the bottom),
one marker per event: colour from conflict to cooperation (Goldstein score),
shape by CAMEO quad class, size by number of sources, and a short label
saying who did what to whom and how many articles tell it.

Empty stretches are compressed (a shaded break with "≈" and the length of
the gap shows where), so a history running from 1948 to 2023 with most
events in 2023 stays readable: each date gets a slot of its own, never
squashed by decades without events.
"""

from __future__ import annotations

import datetime as dt
import math
from itertools import pairwise

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from kg.draw.common import date_text, draw_header, goldstein_color, header, place_labels, plt, plural
from kg.errors import UsageError
from kg.gazetteer import gazetteer, require_state
from kg.graph.merge import MergedEvent
from kg.graph.store import DiplomacyGraph
from kg.query import relations
from kg.relations import RELATIONS

__all__ = ["MARKERS", "axis_positions", "draw_timeline", "event_label"]

#: Marker by CAMEO quad class.
MARKERS = {1: "o", 2: "D", 3: "^", 4: "X"}
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
GAP_YEARS = 2.0   # dates further apart than this are separated by a compressed break
BREAK = 2.2       # width of a break, in slots
SLOT_IN = 0.95    # inches per slot (one distinct date) at most


def _year_float(d: str) -> float:
    y = int(d[:4])
    if len(d) == 4:
        return y + 0.5
    m = int(d[5:7])
    day = int(d[8:10]) if len(d) == 10 else 15
    start = dt.date(y, m, 1).toordinal()
    return y + (start - dt.date(y, 1, 1).toordinal() + day - 1) / 365.25


def axis_positions(dates: list[str], gap: float = BREAK) -> tuple[dict[str, float],
                                                                 list[tuple[float, float, str, str]]]:
    """Positions on a compressed axis, and clusters as (x0, x1, first date, last date).

    Dates more than two years apart start a new cluster; clusters are laid
    side by side with a fixed break (``gap`` slots) between them.  Inside a cluster every
    distinct date gets at least one slot, a little more when months lie
    between it and the previous one, so order and rough spacing stay true.

    >>> pos, spans = axis_positions(["1948-10-12", "2023-09", "2023-10-12", "1948-10-12"])
    >>> [(round(a, 2), round(b, 2), c, d) for a, b, c, d in spans]
    [(0.0, 0.0, '1948-10-12', '1948-10-12'), (2.2, 3.71, '2023-09', '2023-10-12')]
    """
    uniq = sorted(set(dates), key=lambda d: (_year_float(d), len(d), d))
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
        x0 = x
        for i, d in enumerate(c):
            if i:
                days = max(0.0, (_year_float(d) - _year_float(c[i - 1])) * 365.25)
                x += 1.0 + min(1.0, math.log1p(days) / math.log1p(730))
            pos[d] = x
        spans.append((x0, x, c[0], c[-1]))
        x += gap
    return pos, spans


def _gap_text(years: float) -> str:
    if years >= 1.5:
        return f"{round(years)} years"
    return f"{round(years * 12)} months"


def event_label(e: MergedEvent, pair: tuple[str, str], compact: bool = False) -> str:
    """Who did it to whom (names), and how many articles tell it.

    Symmetric events between the pair itself say only "both"; events of a
    predecessor name it ("Soviet Union – North Korea").  ``compact`` (for
    crowded timelines) names only the actor of a directed event ("by North
    Korea") and writes sources as "×3", leaving out "×1".
    """
    gaz = gazetteer()
    n = e.corroboration
    if compact:
        src = f" ×{n}" if n > 1 else ""
        if e.symmetric:
            who = "both" if {e.subject, e.object} == set(pair) else f"{gaz.label(e.subject)} – {gaz.label(e.object)}"
            return who + src
        return f"by {gaz.label(e.subject)}{src}"
    src = plural(n, "source")
    if e.symmetric:
        if {e.subject, e.object} == set(pair):
            return f"both · {src}"
        return f"{gaz.label(e.subject)} – {gaz.label(e.object)} · {src}"
    return f"{gaz.label(e.subject)} → {gaz.label(e.object)} · {src}"


def draw_timeline(graph: DiplomacyGraph, a: str, b: str, since: str | None = None,
                  until: str | None = None, relation: str | None = None) -> Figure:
    """The events between two states (predecessors included) as a Figure."""
    gaz = gazetteer()
    ca, cb = require_state(a), require_state(b)
    if ca == cb:
        raise UsageError(f"a timeline needs two different states, not {gaz.label(ca)} twice")
    events = relations(graph, ca, cb, since, until, relation)
    dated = [e for e in events if e.date]
    if not dated:
        what = "events" if not events else "dated events"
        raise UsageError(f"no {what} between {gaz.label(ca)} and {gaz.label(cb)} to draw")
    pos, spans = axis_positions([e.date for e in dated])  # type: ignore[misc]

    # rows: relations present, most cooperative on top
    order = list(RELATIONS)
    rels = sorted({e.relation for e in dated}, key=lambda r: (-RELATIONS[r].goldstein, order.index(r)))
    row = {r: len(rels) - 1 - i for i, r in enumerate(rels)}
    stacks: dict[tuple[str, str], list[MergedEvent]] = {}
    for e in dated:
        stacks.setdefault((e.date, e.relation), []).append(e)  # type: ignore[arg-type]
    deepest = max(len(s) for s in stacks.values())
    step = 0.26 if deepest > 1 else 0.0

    # title and legend entries first: their size decides the figure's
    la, lb = gaz.lineage(ca), gaz.lineage(cb)
    used = {c for e in dated for c in (e.subject, e.object)}
    extra = sorted((used & (la | lb)) - {ca, cb}, key=gaz.label)
    with_ = f" (with the {', '.join(gaz.label(c) for c in extra)})" if extra else ""
    dates = [e.date for e in dated]
    first, last = date_text(min(dates)), date_text(max(dates))  # type: ignore[type-var]
    arts = {x for e in dated for x in e.articles}
    title = f"{gaz.label(ca)} and {gaz.label(cb)}{with_}"
    sub = " · ".join(x for x in [first if first == last else f"{first} – {last}", plural(len(dated), "event"),
                                 plural(len(arts), "article"),
                                 f"relation: {relation.replace('_', ' ')}" if relation else "",
                                 "empty years compressed (≈)" if len(spans) > 1 else ""] if x)
    handles = [Line2D([], [], marker=MARKERS[q], linestyle="", markersize=8, markerfacecolor="#bbbbbb",
                      markeredgecolor="#222222", label=QUADS[q]) for q in sorted({e.quad for e in dated})]
    handles += [Patch(facecolor=goldstein_color(7.0), edgecolor="#222222", label="cooperation (Goldstein > 0)"),
                Patch(facecolor=goldstein_color(0.0), edgecolor="#222222", label="neutral"),
                Patch(facecolor=goldstein_color(-7.0), edgecolor="#222222", label="conflict (Goldstein < 0)")]
    n_slots = spans[-1][1] + 1.0
    slot = max(0.3, min(SLOT_IN, 12.0 / n_slots))
    if BREAK * slot < 0.95 and len(spans) > 1:  # breaks at least 0.95 in wide, to hold their "≈ 75 years"
        pos, spans = axis_positions([e.date for e in dated], gap=0.95 / slot)  # type: ignore[misc]
        n_slots = spans[-1][1] + 1.0
    compact = slot < 0.7  # crowded: shorter labels
    most = max(e.corroboration for e in dated)
    for n in sorted({1, min(most, 5)}):
        text = plural(n, "source") if n < 5 or most == 5 else f"{n} sources or more"
        if compact:
            text = f"{text} (×{n})" if n > 1 else f"{text} (no mark)"
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=math.sqrt(_marker_area(n)),
                              markerfacecolor="white", markeredgecolor="#222222", label=text))

    # geometry in inches: row labels on the left, the legend on the right (below when the figure is wide)
    label_room = 1.2 if compact else 2.0  # inches right of the last date for its labels
    plot_w = max(4.5, n_slots * slot + label_room)
    row_h = 0.5 + 0.3 * (deepest - 1)
    plot_h = max(1.6, len(rels) * row_h)
    left = 0.45 + 0.085 * max(len(r) for r in rels)
    crowded = slot < 0.85
    ticks_h = 0.85 if crowded else 0.45
    legend_below = left + plot_w + 2.6 > 13.5
    if legend_below:
        ncol = max(1, int((left + plot_w) / 2.3))
        right, bottom = 0.3, ticks_h + 0.35 + 0.28 * math.ceil(len(handles) / ncol)
    else:
        right, bottom = 2.6, ticks_h + 0.2
    fig_w = left + plot_w + right
    title, sub, top = header(title, sub, fig_w)
    fig_h = top + plot_h + bottom
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((left / fig_w, bottom / fig_h, plot_w / fig_w, plot_h / fig_h))
    x_lo = -0.5
    ax.set_xlim(x_lo, x_lo + plot_w / slot)
    ax.set_ylim(-0.5 - (deepest - 1) * step / 2, len(rels) - 0.5 + (deepest - 1) * step / 2)

    # compressed breaks between clusters
    for (_x0, x1, _d0, d1), (nx0, _nx1, nd0, _nd1) in pairwise(spans):
        m0, m1 = x1 + 0.45, nx0 - 0.45
        ax.axvspan(m0, m1, color="#f0f0f0", zorder=0, linewidth=0)
        mid = (m0 + m1) / 2
        ax.text(mid, 0.5, f"≈\n{_gap_text(_year_float(nd0) - _year_float(d1))}", transform=ax.get_xaxis_transform(),
                ha="center", va="center", fontsize=8, color="#777777", zorder=1)

    # events
    xs, ys, radii, texts = [], [], [], []
    for (d, r), group in sorted(stacks.items(), key=lambda kv: (pos[kv[0][0]], row[kv[0][1]])):
        for k, e in enumerate(group):
            x = pos[d]
            y = row[r] + (k - (len(group) - 1) / 2) * step
            area = _marker_area(e.corroboration)
            ax.scatter([x], [y], s=area, color=goldstein_color(e.goldstein), marker=MARKERS[e.quad],
                       edgecolors="#222222", linewidths=0.8, zorder=3, label=e.relation)
            xs.append(x)
            ys.append(y)
            radii.append(math.sqrt(area) / 2)
            texts.append(event_label(e, (ca, cb), compact))
    order_idx = sorted(range(len(texts)), key=lambda i: (xs[i], -ys[i]))
    place_labels(ax, np.column_stack([xs, ys]), texts, radii, order=order_idx, fontsize=7.5, color="#222222",
                 zorder=4, gap=3.0, unambiguous=False,  # rows tie labels to their markers
                 directions=[(1.0, 0.0), (0.8, 0.6), (0.8, -0.6), (0.0, 1.0), (0.0, -1.0), (-1.0, 0.0)],
                 rings=(1.0, 1.6, 2.4))

    # axes: relation rows, one tick per date
    ax.set_yticks([row[r] for r in rels], [r.replace("_", " ") for r in rels], fontsize=9)
    ax.tick_params(axis="y", length=0)
    if len(rels) >= 4:  # say what the row order means, where there is room for it
        ax.set_ylabel("conflict  ←   relation   →  cooperation", fontsize=7.5, color="#777777")
    ticks = sorted(pos.items(), key=lambda kv: kv[1])
    ax.set_xticks([x for _d, x in ticks])
    ax.set_xticklabels([date_text(d) for d, _x in ticks], fontsize=8, rotation=40 if crowded else 0,
                       ha="right" if crowded else "center", rotation_mode="anchor" if crowded else "default")
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)

    draw_header(fig, title, sub)
    if legend_below:
        fig.legend(handles=handles, loc="upper left", ncol=ncol, fontsize=8, frameon=False,
                   bbox_to_anchor=(left / fig_w, (bottom - ticks_h - 0.1) / fig_h), borderaxespad=0)
    else:
        fig.legend(handles=handles, loc="upper left", fontsize=8, frameon=False, labelspacing=0.9,
                   bbox_to_anchor=((left + plot_w + 0.25) / fig_w, (bottom + plot_h) / fig_h), borderaxespad=0)
    if len(dated) < len(events):
        fig.text(0.12 / fig_w, 0.06 / fig_h, f"{plural(len(events) - len(dated), 'undated event')} not shown.",
                 fontsize=8, color="#555555")
    return fig


def _marker_area(sources: int) -> float:
    """Marker area (points²) for an event told by ``sources`` articles: grows up to five."""
    return 70.0 + 45.0 * (min(sources, 5) - 1)
