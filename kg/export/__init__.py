"""Exporters, keyed by format name.

>>> sorted(EXPORTERS)
['csv', 'gexf', 'graphml', 'jsonl', 'jsonld', 'nt', 'turtle']

Each exporter writes a :class:`~kg.graph.DiplomacyGraph` to a path; an
unknown name is answered with the list of valid ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.errors import UsageError
from kg.export.networks import write_gexf, write_graphml
from kg.export.rdf import write_jsonld, write_nt, write_ttl
from kg.export.tables import write_csv, write_jsonl
from kg.graph.store import DiplomacyGraph

__all__ = ["EXPORTERS", "export_graph", "exporter"]

Exporter = Callable[[DiplomacyGraph, Path], None]

EXPORTERS: dict[str, Exporter] = {
    "turtle": write_ttl,
    "nt": write_nt,
    "jsonld": write_jsonld,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "graphml": write_graphml,
    "gexf": write_gexf,
}
ALIASES = {"ttl": "turtle", "ntriples": "nt", "json-ld": "jsonld"}


def exporter(fmt: str) -> Exporter:
    """The exporter for a format name (see :data:`EXPORTERS`)."""
    name = ALIASES.get(fmt, fmt)
    try:
        return EXPORTERS[name]
    except KeyError:
        raise UsageError(f"unknown export format {fmt!r}; valid: {', '.join(sorted(EXPORTERS))}") from None


def export_graph(graph: DiplomacyGraph, fmt: str, out: str | Path) -> None:
    """Write ``graph`` in format ``fmt`` to ``out`` (atomically)."""
    exporter(fmt)(graph, Path(out))
