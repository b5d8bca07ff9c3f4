"""The matrix of states by states: cell colour = mean Goldstein score of the pair.

Rows and columns are the busiest states (``limit``), in alphabetical order so
a reader finds a state as in an index; the matrix is symmetric (a pair is
a pair, whoever acted).  When the cells are big enough, each shows its
number of events.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from kg.draw.common import CMAP, NORM, draw_header, goldstein_colorbar, header, period_text, plt, plural
from kg.draw.network import select
from kg.errors import UsageError
from kg.gazetteer import gazetteer, require_state

__all__ = ["draw_matrix"]


def draw_matrix(graph, since: str | None = None, until: str | None = None, relation: str | None = None,
                focus: str | None = None, min_events: int = 1, limit: int = 60) -> Figure:
    """States (the ``limit`` busiest) by states; blank where a pair has no events."""
    gaz = gazetteer()
    sel = select(graph, since, until, relation, focus, min_events)
    if not sel.pairs:
        raise UsageError("no events between states to draw (check --since/--until/--relation/--focus/--min-events)")
    busy = sel.states()
    states = list(busy)[:limit]
    states.sort(key=lambda s: (gaz.label(s).casefold(), s))
    idx = {s: i for i, s in enumerate(states)}
    k = len(states)
    m = np.full((k, k), np.nan)
    counts = np.zeros((k, k), dtype=int)
    for (a, b), (n, total) in sel.pairs.items():
        if a in idx and b in idx:
            m[idx[a], idx[b]] = m[idx[b], idx[a]] = total / n
            counts[idx[a], idx[b]] = counts[idx[b], idx[a]] = int(n)
    shown = int(counts.sum() // 2)

    labels = [gaz.label(s) for s in states]
    cell = 0.42 if k <= 12 else 0.3 if k <= 30 else 0.25 if k <= 45 else 0.2
    font = 9 if k <= 25 else 8 if k <= 45 else 7
    numbers = k <= 45
    name_in = 0.075 * max(len(x) for x in labels) * font / 8 + 0.15
    grid = k * cell
    bar_h = max(2.2, min(grid, 5.0))
    left, right, bottom = name_in + 0.15, 2.0, name_in + 0.2
    fig_w = max(left + grid + right, 6.0)
    head = f"Relations: {gaz.label(require_state(focus))} and its partners" if focus else "Relations between states"
    extra = [f"relation: {relation.replace('_', ' ')}" if relation else "",
             f"pairs with ≥ {min_events} events" if min_events > 1 else "",
             f"the {k} busiest of {len(busy)} states" if len(busy) > k else plural(k, "state"),
             "numbers: events of the pair" if numbers else ""]
    sub = " · ".join(x for x in [period_text([sel.first, sel.last]), plural(shown, "event"),
                                 plural(len(sel.articles), "article"), *extra] if x)
    head, sub, top = header(head, sub, fig_w)
    fig_h = top + max(grid, bar_h) + bottom
    fig = plt.figure(figsize=(fig_w, fig_h))
    y0 = bottom + max(0.0, bar_h - grid) / 2
    ax = fig.add_axes((left / fig_w, y0 / fig_h, grid / fig_w, grid / fig_h))
    ax.imshow(np.ma.masked_invalid(m), cmap=CMAP, norm=NORM, interpolation="nearest", aspect="equal")
    diag = np.where(np.eye(k, dtype=bool), 1.0, np.nan)
    ax.imshow(np.ma.masked_invalid(diag), cmap="Greys", vmin=0, vmax=8, interpolation="nearest", aspect="equal")
    ax.set_xticks(range(k), labels, rotation=90, fontsize=font)
    ax.set_yticks(range(k), labels, fontsize=font)
    ax.tick_params(length=2)
    ax.set_xticks(np.arange(-0.5, k), minor=True)
    ax.set_yticks(np.arange(-0.5, k), minor=True)
    ax.grid(which="minor", color="#e4e4e4", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    for s in ax.spines.values():
        s.set_color("#999999")
        s.set_linewidth(0.6)
    if numbers:
        for i, j in zip(*np.nonzero(counts), strict=True):
            dark = abs(m[i, j]) > 5.5
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=max(6.0, font - 2),
                    color="white" if dark else "#111111")
    cax = fig.add_axes(((left + grid + 0.3) / fig_w, (bottom + max(0.0, grid - bar_h) / 2) / fig_h,
                        0.16 / fig_w, bar_h / fig_h))
    goldstein_colorbar(fig, cax, label="mean Goldstein score of the pair")

    draw_header(fig, head, sub)
    return fig
