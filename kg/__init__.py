"""kg: a knowledge graph of diplomatic relations between states, read from news.

Read articles, extract dated subject-relation-object events, merge them into
a graph with provenance, query it, export RDF and draw diagrams.

>>> import kg                                      # doctest: +SKIP
>>> kg.build(["sources/"])
>>> kg.relations("Russia", "North Korea")
"""

from kg.api import build, draw, export, extract, relations, sparql, status
from kg.errors import GraphError, KgError, ReadError, UsageError
from kg.graph import DiplomacyGraph, MergedEvent, merge_events
from kg.model import Article, Event
from kg.rdf.io import load_graph, save_graph
from kg.relations import RELATIONS

__version__ = "0.1.0"

__all__ = [
    "RELATIONS",
    "Article",
    "DiplomacyGraph",
    "Event",
    "GraphError",
    "KgError",
    "MergedEvent",
    "ReadError",
    "UsageError",
    "__version__",
    "build",
    "draw",
    "export",
    "extract",
    "load_graph",
    "merge_events",
    "relations",
    "save_graph",
    "sparql",
    "status",
]
