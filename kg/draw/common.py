"""What the diagrams share: colours, the Goldstein scale, saving figures."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure

from kg.errors import UsageError
from kg.rdf.io import atomic_write

__all__ = ["CMAP", "FORMATS", "NORM", "goldstein_color", "period_text", "plt", "save_figure"]

#: Conflict (red) -> neutral (grey) -> cooperation (blue): readable by the
#: colour-blind, unlike red-green.
CMAP = LinearSegmentedColormap.from_list(
    "kg_goldstein", ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"])
NORM = TwoSlopeNorm(vmin=-10.0, vcenter=0.0, vmax=10.0)
FORMATS = (".png", ".svg", ".pdf")

plt.rcParams.update({
    "font.family": "DejaVu Sans",  # shipped with matplotlib; has Côte d'Ivoire and Türkiye
    "svg.hashsalt": "kg",
    "figure.dpi": 100,
})


def goldstein_color(value: float) -> tuple[float, float, float, float]:
    return CMAP(NORM(value))


def period_text(dates: list[str]) -> str:
    ds = sorted(d for d in dates if d)
    if not ds:
        return "undated"
    return ds[0] if ds[0][:4] == ds[-1][:4] and ds[0] == ds[-1] else f"{ds[0][:7]} to {ds[-1][:7]}"


def save_figure(fig: Figure, out: str | Path) -> Path:
    """Save as PNG, SVG or PDF (by extension), atomically and without timestamps."""
    p = Path(out)
    ext = p.suffix.lower()
    if ext not in FORMATS:
        raise UsageError(f"cannot draw to {p.name!r}: use a file ending in {', '.join(FORMATS)}")
    buf = io.BytesIO()
    meta = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
    fig.savefig(buf, format=ext[1:], metadata=meta[ext[1:]], bbox_inches="tight", dpi=150 if ext == ".png" else None)
    plt.close(fig)
    atomic_write(p, buf.getvalue())
    return p
