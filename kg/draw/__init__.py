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

__all__ = ["DIAGRAMS", "draw_network", "draw_timeline", "draw_matrix", "save_figure", "FORMATS"]

DIAGRAMS = {"network": draw_network, "timeline": draw_timeline, "matrix": draw_matrix}
