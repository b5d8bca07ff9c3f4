"""Check a graph against kg's SHACL shapes.

>>> from kg.validate import validate                  # doctest: +SKIP
>>> report = validate("graphs/diplomacy.ttl")
>>> report.conforms
True

The shapes (``kg/data/shapes.ttl``) say what every graph kg writes looks like:
events with one of the 20 relations, two actors, a well-typed date, scores in
range and their provenance; reports pointing at one article; articles with an
identifier; states and organisations with a code and a label; and a
direct (truthy) triple for every event and an event for every truthy triple.
pyshacl runs them with the ontology (``kg/data/ontology.ttl``) mixed in and no
inference; nothing is fetched from the network.

A file is checked as it is written, triple by triple (it is not rebuilt
through :class:`~kg.graph.DiplomacyGraph` first, which would repair it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.data import data_path
from kg.errors import GraphError
from kg.graph.store import DiplomacyGraph
from kg.rdf.namespace import PREFIXES

if TYPE_CHECKING:
    import rdflib

__all__ = ["Violation", "ValidationReport", "validate", "shapes_graph", "ontology_graph"]

SH = "http://www.w3.org/ns/shacl#"
_JSONLD_SUFFIXES = {".jsonld", ".json"}


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong.

    ``focus_node`` and ``path`` are written with kg's prefixes where one fits
    (``kge:0289...``, ``kg:confidence``); ``path`` is None for a constraint on
    the node itself; ``severity`` is ``"Violation"``, ``"Warning"`` or
    ``"Info"``; ``value`` is the offending value when SHACL names one.
    """

    focus_node: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        where = self.focus_node + (f" {self.path}" if self.path else "")
        got = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.message}{got}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of :func:`validate`: whether the graph conforms and why not."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.conforms

    def __str__(self) -> str:
        if self.conforms and not self.violations:
            return "the graph conforms to kg's shapes"
        head = "the graph conforms to kg's shapes" if self.conforms else "the graph does not conform to kg's shapes"
        return "\n".join([f"{head} ({len(self.violations)} results):", *(f"  {v}" for v in self.violations)])


@cache
def _parsed(name: str) -> rdflib.Graph:
    import rdflib

    g = rdflib.Graph()
    g.parse(data_path(name), format="turtle")
    return g


def shapes_graph() -> rdflib.Graph:
    """kg's SHACL shapes (``kg/data/shapes.ttl``), parsed once."""
    return _parsed("shapes.ttl")


def ontology_graph() -> rdflib.Graph:
    """kg's vocabulary (``kg/data/ontology.ttl``), parsed once."""
    return _parsed("ontology.ttl")


def _rdflib_term(t: tuple):
    import rdflib

    if t[0] == "i":
        return rdflib.URIRef(t[1])
    if t[0] == "b":
        return rdflib.BNode(t[1])
    return rdflib.Literal(t[1], datatype=t[2], lang=t[3])


def _read_file(path: Path) -> rdflib.Graph:
    """The triples of a graph file as they are (Turtle, N-Triples or JSON-LD)."""
    import rdflib

    if path.is_dir():
        raise GraphError("is a folder; give the graph's .ttl file", path)
    g = rdflib.Graph()
    if path.suffix.lower() in _JSONLD_SUFFIXES:
        try:
            g.parse(path, format="json-ld")
        except FileNotFoundError:
            raise GraphError("no such graph file", path) from None
        except OSError as e:
            raise GraphError(f"cannot read: {e.strerror or e}", path) from None
        except (ValueError, TypeError, KeyError, json.JSONDecodeError) as e:
            raise GraphError(f"not valid JSON-LD: {e}", path) from None
        return g
    from kg.rdf.io import read_triples  # GraphError on a missing or unparsable file

    for s, p, o in read_triples(path):
        g.add((_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)))
    return g


def _data_graph(graph: str | Path | DiplomacyGraph | rdflib.Graph) -> rdflib.Graph:
    import rdflib

    if isinstance(graph, rdflib.Graph):
        return graph
    if isinstance(graph, DiplomacyGraph):
        from kg.export.rdf import to_rdflib

        return to_rdflib(graph)
    return _read_file(Path(graph))


def _short(term: object) -> str | None:
    """A term as kg writes it in messages: prefixed IRI, <IRI>, or the literal's text."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        best = max((base for base in PREFIXES.values() if str(term).startswith(base)), key=len, default=None)
        if best is not None:
            prefix = next(p for p, b in PREFIXES.items() if b == best)
            return f"{prefix}:{str(term)[len(best):]}"
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return str(term)


def _violations(results: rdflib.Graph) -> list[Violation]:
    import rdflib

    sh = rdflib.Namespace(SH)
    out: set[Violation] = set()
    for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        messages = sorted(str(m) for m in results.objects(r, sh.resultMessage)) or ["constraint not satisfied"]
        path = results.value(r, sh.resultPath)
        severity = results.value(r, sh.resultSeverity)
        out.add(Violation(
            focus_node=_short(results.value(r, sh.focusNode)) or "",
            path=_short(path) if isinstance(path, rdflib.URIRef) else (str(path) if path is not None else None),
            message=" ".join(messages),
            severity=str(severity)[len(SH):] if severity is not None else "Violation",
            value=_short(results.value(r, sh.value)),
        ))
    return sorted(out, key=lambda v: (v.severity != "Violation", v.focus_node, v.path or "", v.message, v.value or ""))


def validate(graph: str | Path | DiplomacyGraph | rdflib.Graph) -> ValidationReport:
    """Check a graph against kg's SHACL shapes.

    ``graph`` is a graph file (Turtle ``.ttl``, N-Triples ``.nt`` or JSON-LD
    ``.jsonld``, checked as written), a :class:`~kg.graph.DiplomacyGraph`
    (checked in the RDF form kg would write) or an ``rdflib.Graph``.
    A missing or unparsable file raises :class:`~kg.errors.GraphError`.
    """
    from pyshacl import validate as shacl_validate

    data = _data_graph(graph)
    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        do_owl_imports=False,
    )
    return ValidationReport(conforms=bool(conforms), violations=_violations(results))
