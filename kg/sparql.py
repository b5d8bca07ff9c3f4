"""SPARQL over a graph: the file is loaded into an in-memory pyoxigraph store.

The standard prefixes of :data:`kg.rdf.namespace.PREFIXES` are declared for
the query, so ``kgp:recognize`` works without a PREFIX line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import GraphError, UsageError
from kg.graph.store import DiplomacyGraph
from kg.rdf.io import serialize
from kg.rdf.namespace import PREFIXES

__all__ = ["SparqlResult", "load_store", "run_query"]


@dataclass
class SparqlResult:
    """Rows of a SELECT (``variables`` + ``rows``), a boolean for ASK, N-Triples for CONSTRUCT."""

    kind: str
    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None
    triples: str | None = None


def load_store(graph: str | Path | DiplomacyGraph) -> ox.Store:
    store = ox.Store()
    if isinstance(graph, DiplomacyGraph):
        store.load(serialize(graph, "nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store
    p = Path(graph)
    if not p.exists():
        raise GraphError("no such graph file; build one with 'kg build SOURCES --graph FILE'", p)
    fmt = ox.RdfFormat.N_TRIPLES if p.suffix.lower() == ".nt" else ox.RdfFormat.TURTLE
    try:
        store.bulk_load(path=str(p), format=fmt)
    except SyntaxError as e:
        raise GraphError(f"not valid RDF: {str(e).splitlines()[0]}", p) from None
    return store


def _text(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


# strings, IRIs and comments, which may mention "service" harmlessly
_LITERALS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                       r"|<[^<>\s]*>|#[^\n]*")
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)


def check_local(query: str) -> None:
    """Refuse federated queries: kg's embedded engine must fetch nothing from the network."""
    if _SERVICE.search(_LITERALS.sub(" ", query)):
        raise UsageError("SERVICE (federated query) is not allowed: kg queries only its own graph")


def run_query(query: str, graph: str | Path | DiplomacyGraph) -> SparqlResult:
    """Run a SPARQL 1.1 query; a malformed query is a UsageError naming the problem.

    Federated ``SERVICE`` clauses are refused: the embedded engine would fetch
    from any URL a query names.
    """
    check_local(query)
    store = load_store(graph)
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    try:
        res = store.query(prologue + query)
    except SyntaxError as e:
        raise UsageError(f"SPARQL syntax error: {str(e).splitlines()[0]}") from None
    if isinstance(res, bool):
        return SparqlResult("ask", [], [], boolean=res)
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = [[_text(sol[v]) for v in variables] for sol in res]
        return SparqlResult("select", variables, rows)
    if isinstance(res, ox.QueryBoolean):
        return SparqlResult("ask", [], [], boolean=bool(res))
    lines = sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in res)
    return SparqlResult("construct", [], [], triples="".join(lines))
