"""Network files for Gephi and friends: GraphML and GEXF (with dates Gephi's timeline reads)."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from kg.graph.store import DiplomacyGraph
from kg.rdf.io import atomic_write

__all__ = ["write_gexf", "write_graphml"]


def write_graphml(graph: DiplomacyGraph, out: Path) -> None:
    """One node per actor, one edge per event, attributes as GraphML keys."""
    buf = io.BytesIO()
    nx.write_graphml(graph.to_networkx(), buf, encoding="utf-8", prettyprint=True)
    atomic_write(out, buf.getvalue())


def _gexf_date(d: str) -> str:
    return d + ("-01-01" if len(d) == 4 else "-01" if len(d) == 7 else "")


def write_gexf(graph: DiplomacyGraph, out: Path) -> None:
    """GEXF 1.2 with each edge's ``start`` date, so Gephi's timeline can play the graph."""
    g = graph.to_networkx()
    for _u, _v, _k, data in g.edges(keys=True, data=True):
        if data.get("date"):
            data["start"] = _gexf_date(data["date"])
    g.graph["mode"] = "dynamic"
    g.graph["timeformat"] = "date"
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    atomic_write(out, buf.getvalue())
