"""What the diagrams share: colours, the Goldstein scale, dates, label placement, saving.

>>> date_text("1948-10-12"), date_text("2023-09"), date_text("1992")
('12 Oct 1948', 'Sep 2023', '1992')
>>> period_text(["2023-10-12", "1948-10-12", None, "2023-09"])
'Oct 1948 – Oct 2023'
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from kg.errors import UsageError
from kg.rdf.io import atomic_write

__all__ = [
    "CMAP",
    "FORMATS",
    "NORM",
    "date_text",
    "goldstein_color",
    "goldstein_colorbar",
    "period_text",
    "place_labels",
    "plt",
    "save_figure",
    "wrap",
]

#: Conflict (red) -> neutral (grey) -> cooperation (blue): readable by the
#: colour-blind, unlike red-green.  The neutral grey is dark enough to show
#: a thin line on white.
CMAP = LinearSegmentedColormap.from_list(
    "kg_goldstein", ["#b2182b", "#e0785a", "#b8b8b8", "#5fa2ce", "#2166ac"])
#: Goldstein scores run from -10 (conflict) to +10 (cooperation), 0 neutral.
NORM = Normalize(vmin=-10.0, vmax=10.0)
FORMATS = (".png", ".svg", ".pdf")
PNG_DPI = 150

plt.rcParams.update({
    "font.family": "DejaVu Sans",  # shipped with matplotlib; has Côte d'Ivoire, Türkiye, São Tomé
    "svg.hashsalt": "kg",          # stable ids in SVG output
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.dpi": 150,             # = PNG_DPI: labels are measured at the resolution they are saved at
    "axes.unicode_minus": True,
})

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def goldstein_color(value: float) -> tuple[float, float, float, float]:
    """RGBA colour of a Goldstein score on the conflict-cooperation scale."""
    return CMAP(NORM(value))


def date_text(d: str) -> str:
    """An ISO date of any precision as a reader writes it: ``12 Oct 1948``, ``Sep 2023``, ``1992``."""
    if len(d) >= 7 and d[5:7].isdigit() and 1 <= int(d[5:7]) <= 12:
        month = _MONTHS[int(d[5:7]) - 1]
        return f"{int(d[8:10])} {month} {d[:4]}" if len(d) >= 10 else f"{month} {d[:4]}"
    return d[:4]


def period_text(dates: Sequence[str | None]) -> str:
    """The span of some dates, to the month: ``Oct 1948 – Oct 2023``; ``undated`` when none."""
    ds = sorted(d for d in dates if d)
    if not ds:
        return "undated"
    first, last = date_text(ds[0][:7]), date_text(ds[-1][:7])
    return first if first == last else f"{first} – {last}"


def plural(n: int, word: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def wrap(text: str, width: int) -> str:
    """Wrap at spaces to lines of at most ``width`` characters (titles of narrow figures)."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "\n".join(lines)


def header(head: str, sub: str, width: float) -> tuple[str, str, float]:
    """Title and subtitle wrapped to a figure ``width`` inches wide, and the height they need (inches)."""
    h = wrap(head, max(20, int(width * 72 / 8.8)))
    s = wrap(sub, max(30, int(width * 72 / 6.0)))
    return h, s, 0.15 + 0.27 * (h.count("\n") + 1) + 0.1 + 0.19 * (s.count("\n") + 1) + 0.3


def draw_header(fig: Figure, head: str, sub: str) -> None:
    """Draw a title and subtitle made by :func:`header` at the figure's top left."""
    w, h = fig.get_size_inches()
    fig.text(0.12 / w, 1 - 0.15 / h, head, fontsize=14, weight="bold", va="top")
    y = 0.15 + 0.27 * (head.count("\n") + 1) + 0.1
    fig.text(0.12 / w, 1 - y / h, sub, fontsize=10, va="top", color="#333333")


def goldstein_colorbar(fig: Figure, cax: Axes, orientation: str = "vertical", label: str | None = None):
    """The conflict-cooperation colour bar, with words at its ends."""
    from matplotlib.cm import ScalarMappable

    cb = fig.colorbar(ScalarMappable(norm=NORM, cmap=CMAP), cax=cax, orientation=orientation)
    cb.set_ticks([-10, -5, 0, 5, 10])
    ends = ["−10\nconflict", "−5", "0", "+5", "+10\ncooperation"] if orientation == "horizontal" else \
        ["−10 conflict", "−5", "0 neutral", "+5", "+10 cooperation"]
    cb.set_ticklabels(ends)
    cb.ax.tick_params(labelsize=8)
    cb.outline.set_linewidth(0.5)
    if label:
        cb.set_label(label, fontsize=9)
    return cb


# -- label placement ----------------------------------------------------------

#: Directions tried around a point, best first: above, below, right, left, then the diagonals.
_DIRECTIONS = [(0.0, 1.0), (0.0, -1.0), (1.0, 0.0), (-1.0, 0.0),
               (0.7071, 0.7071), (-0.7071, 0.7071), (0.7071, -0.7071), (-0.7071, -0.7071)]
_RINGS = (1.0, 1.9, 3.0, 4.4)
#: Further directions tried once the first ring is full.
_MORE_DIRECTIONS = [(math.cos(a), math.sin(a)) for a in np.radians([22.5, 67.5, 112.5, 157.5, 202.5, 247.5,
                                                                     292.5, 337.5])]


def _overlap(box: np.ndarray, boxes: np.ndarray) -> float:
    """Total overlap area of one box (x0, y0, x1, y1) with many."""
    if not len(boxes):
        return 0.0
    w = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    h = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return float(np.sum(np.clip(w, 0, None) * np.clip(h, 0, None)))


def place_labels(ax: Axes, xy: np.ndarray, texts: Sequence[str], radii: Sequence[float], *,
                 order: Sequence[int] | None = None, directions: Sequence[tuple[float, float]] | None = None,
                 rings: Sequence[float] = _RINGS, gap: float = 2.0, pad: float = 1.0,
                 obstacles: np.ndarray | None = None, unambiguous: bool = True,
                 leader_color: str = "#777777", **text_kw) -> list[Annotation]:
    """Label points so that labels overlap neither each other nor the points.

    ``xy``: data coordinates (n, 2); ``radii``: each point's marker radius in
    points.  Labels are placed greedily in ``order`` (most important first):
    for each, the first candidate position around its point (``directions``
    at growing distances, ``rings``) that overlaps nothing already placed,
    no marker, stays inside the axes and (``unambiguous``) has its centre
    nearer its own point than any other, so nobody reads it as another's;
    failing that, the least bad one.  A
    label pushed away from its point gets a thin leader line.  The axes'
    limits and position must be final: placement is done in display space.
    ``gap``: points between a marker and its label; ``pad``: points of room
    kept around each label.  ``obstacles``: more boxes to avoid, in display
    pixels (x0, y0, x1, y1).
    """
    fig = ax.figure
    n = len(texts)
    if n == 0:
        return []
    renderer = fig.canvas.get_renderer()
    px = fig.dpi / 72.0  # pixels per point
    pts = ax.transData.transform(np.asarray(xy, dtype=float))
    r = np.asarray(radii, dtype=float) * px
    markers = np.column_stack([pts[:, 0] - r, pts[:, 1] - r, pts[:, 0] + r, pts[:, 1] + r])
    if obstacles is not None and len(obstacles):
        markers = np.vstack([markers, np.asarray(obstacles, dtype=float)])
    frame = ax.get_window_extent(renderer)
    dirs = list(directions or _DIRECTIONS)
    anns: list[Annotation] = [None] * n  # type: ignore[list-item]
    placed = np.zeros((n, 4))
    n_placed = 0
    for i in (order if order is not None else range(n)):
        probe = ax.annotate(texts[i], xy[i], xytext=(0, 0), textcoords="offset points", ha="center",
                            va="center", annotation_clip=False, **text_kw)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        w, h = ext.width * 1.05 + 2 * pad * px, ext.height + 2 * pad * px  # vector fonts run a little wider
        x, y = pts[i]
        others = np.delete(markers, i, axis=0)
        centres = np.delete(pts, i, axis=0)
        best, best_score = None, math.inf
        for k, ring in enumerate(rings):
            for dx, dy in (dirs if k == 0 else dirs + _MORE_DIRECTIONS):
                dist = (r[i] + gap * px) * ring + (ring - 1.0) * 4 * px
                cx = x + dx * dist + dx * w / 2
                cy = y + dy * dist + dy * h / 2
                box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                score = _overlap(box, placed[:n_placed]) * 4 + _overlap(box, others)
                outside = (max(0.0, frame.x0 - box[0]) + max(0.0, box[2] - frame.x1)) * h + \
                    (max(0.0, frame.y0 - box[1]) + max(0.0, box[3] - frame.y1)) * w
                score += outside * 8 + ring * 1e-6  # nearer wins ties
                if unambiguous and len(centres):  # a label whose centre is nearer another point than its own is misread
                    own = (cx - x) ** 2 + (cy - y) ** 2
                    if float(np.min((centres[:, 0] - cx) ** 2 + (centres[:, 1] - cy) ** 2)) < own:
                        score += 0.3 * w * h
                if score < best_score:
                    best, best_score = (cx, cy, box, ring), score
                if score < 1e-3:
                    break
            if best_score < 1e-3:
                break
        cx, cy, box, ring = best  # type: ignore[misc]
        arrow = {"arrowstyle": "-", "color": leader_color, "lw": 0.6, "shrinkA": 0, "shrinkB": r[i] / px} \
            if ring > rings[0] else None
        ann = ax.annotate(texts[i], xy[i], xytext=((cx - x) / px, (cy - y) / px), textcoords="offset points",
                          ha="center", va="center", annotation_clip=False, arrowprops=arrow, **text_kw)
        placed[n_placed] = box
        n_placed += 1
        anns[i] = ann
    return anns


# -- saving -------------------------------------------------------------------

def save_figure(fig: Figure, out: str | Path) -> Path:
    """Save as PNG, SVG or PDF (by extension), atomically and without timestamps.

    The same figure gives the same bytes: no dates in the metadata, SVG ids
    salted with a constant.
    """
    p = Path(out)
    ext = p.suffix.lower()
    if ext not in FORMATS:
        raise UsageError(f"cannot draw to {p.name!r}: use a file ending in {', '.join(FORMATS)}")
    buf = io.BytesIO()
    meta = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
    try:
        fig.savefig(buf, format=ext[1:], metadata=meta[ext[1:]], bbox_inches="tight", pad_inches=0.15,
                    dpi=PNG_DPI if ext == ".png" else None)
    finally:
        plt.close(fig)
    atomic_write(p, buf.getvalue())
    return p
