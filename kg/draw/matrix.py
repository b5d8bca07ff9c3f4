"""The matrix of states by states: cell colour = mean Goldstein score of the pair."""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure

from kg.draw.common import CMAP, NORM, plt
from kg.draw.network import pair_stats
from kg.errors import UsageError
from kg.gazetteer import gazetteer

__all__ = ["draw_matrix"]


def draw_matrix(graph, since: str | None = None, until: str | None = None, relation: str | None = None,
                focus: str | None = None, min_events: int = 1, limit: int = 60) -> Figure:
    """States (the ``limit`` busiest) by states; blank where a pair has no events."""
    gaz = gazetteer()
    stats = {k: v for k, v in pair_stats(graph, since, until, relation, focus).items() if v[0] >= min_events}
    if not stats:
        raise UsageError("no events between states to draw")
    busy: dict[str, int] = {}
    for (a, b), (n, _m, _x) in stats.items():
        busy[a] = busy.get(a, 0) + n
        busy[b] = busy.get(b, 0) + n
    states = sorted(busy, key=lambda s: (-busy[s], s))[:limit]
    states.sort(key=lambda s: gaz.label(s))
    idx = {s: i for i, s in enumerate(states)}
    m = np.full((len(states), len(states)), np.nan)
    counts = np.zeros_like(m)
    for (a, b), (n, mean, _x) in stats.items():
        if a in idx and b in idx:
            m[idx[a], idx[b]] = m[idx[b], idx[a]] = mean
            counts[idx[a], idx[b]] = counts[idx[b], idx[a]] = n
    side = 3 + 0.32 * len(states)
    fig, ax = plt.subplots(figsize=(side + 1.5, side))
    ax.imshow(np.ma.masked_invalid(m), cmap=CMAP, norm=NORM)
    labels = [gaz.label(s) for s in states]
    ax.set_xticks(range(len(states)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(states)), labels, fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(states)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(states)), minor=True)
    ax.grid(which="minor", color="#eeeeee", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    if len(states) <= 25:
        for i in range(len(states)):
            for j in range(len(states)):
                if counts[i, j]:
                    ax.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=7, color="#111111")
    cb = fig.colorbar(ScalarMappable(norm=NORM, cmap=CMAP), ax=ax, shrink=0.7)
    cb.set_label("mean Goldstein score (conflict -10 ... +10 cooperation)")
    n_events = sum(v[0] for v in stats.values())
    ax.set_title(f"Relations between {len(states)} states ({n_events} events); numbers: events per pair")
    fig.tight_layout()
    return fig
