"""Relationship diagrams: a network of states, a timeline of a pair, a matrix.

>>> sorted(DIAGRAMS)
['matrix', 'network', 'timeline']

Each drawer takes a graph and options and returns a matplotlib Figure;
:func:`save_figure` writes PNG, SVG or PDF by the file's extension.
"""

from __future__ import annotations

from kg.draw.common import FORMATS, save_figure
from kg.draw.matrix import draw_matrix
from kg.draw.network import draw_network
from kg.draw.timeline import draw_timeline

__all__ = ["DIAGRAMS", "FORMATS", "draw_matrix", "draw_network", "draw_timeline", "save_figure"]

DIAGRAMS = {"network": draw_network, "timeline": draw_timeline, "matrix": draw_matrix}
