"""RDF exports: Turtle, N-Triples (canonical) and JSON-LD (through rdflib)."""

from __future__ import annotations

import json
from pathlib import Path

from kg.data import data_path
from kg.graph.store import DiplomacyGraph
from kg.rdf.io import atomic_write, serialize

__all__ = ["jsonld_context", "to_rdflib", "write_jsonld", "write_nt", "write_ttl"]


def write_ttl(graph: DiplomacyGraph, out: Path) -> None:
    atomic_write(out, serialize(graph, "turtle").encode("utf-8"))


def write_nt(graph: DiplomacyGraph, out: Path) -> None:
    atomic_write(out, serialize(graph, "nt").encode("utf-8"))


def jsonld_context() -> dict:
    """kg's JSON-LD context (shipped as ``kg/data/context.jsonld``), as a dict: nothing is fetched."""
    with data_path("context.jsonld").open(encoding="utf-8") as f:
        return json.load(f)["@context"]


def to_rdflib(graph: DiplomacyGraph):
    """The graph as an ``rdflib.Graph`` (the public interop type)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=serialize(graph, "nt"), format="nt")
    from kg.rdf.namespace import PREFIXES

    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True)
    return g


def write_jsonld(graph: DiplomacyGraph, out: Path) -> None:
    """JSON-LD compacted with kg's own context (embedded, so readers fetch nothing)."""
    g = to_rdflib(graph)
    ctx = jsonld_context()
    text = g.serialize(format="json-ld", context=ctx, sort_keys=True, indent=1)
    atomic_write(out, text.encode("utf-8"))
