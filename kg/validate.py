"""Check a graph against kg's SHACL shapes.

>>> from kg.validate import validate                  # doctest: +SKIP
>>> report = validate("graphs/diplomacy.ttl")
>>> report.conforms
True

The shapes (``kg/data/shapes.ttl``) say what every graph kg writes looks like:
events with one of the 20 relations, two actors, a well-typed date, scores in
range and their provenance; reports pointing at one article; articles with an
identifier; states and organisations with a code and a label; a direct
(truthy) triple beside every event and an event behind every truthy triple.

pyshacl runs the shapes with the ontology (``kg/data/ontology.ttl``) as its
ontology graph and no inference; nothing is fetched from the network.  The
SHACL-SPARQL constraints of the shapes are run by pyoxigraph, once over the
whole graph rather than once per focus node as pyshacl would (which re-parses
the query every time and is 20-30 times slower); the results are the same.

A file is checked as it is written, triple by triple: it is not rebuilt
through :class:`~kg.graph.DiplomacyGraph` first, which would repair it.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.data import data_path
from kg.errors import GraphError
from kg.graph.store import DiplomacyGraph
from kg.rdf.namespace import PREFIXES
from kg.rdf.turtle import Term, Triple

if TYPE_CHECKING:
    import rdflib

__all__ = ["ValidationReport", "Violation", "ontology_graph", "shapes_graph", "validate"]

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = PREFIXES["rdf"] + "type"
_JSONLD_SUFFIXES = {".jsonld", ".json"}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: whether the graph conforms, and every result.

    ``conforms`` is False when at least one result has severity
    ``"Violation"``; warnings and infos are listed but do not break it.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.conforms

    def __str__(self) -> str:
        head = "the graph conforms to kg's shapes" if self.conforms else "the graph does not conform to kg's shapes"
        if not self.violations:
            return head
        return "\n".join([f"{head} ({len(self.violations)} results):", *(f"  {v}" for v in self.violations)])


# ---------------------------------------------------------------------------
# The shapes and the ontology
# ---------------------------------------------------------------------------


@cache
def _parsed(name: str) -> rdflib.Graph:
    import rdflib

    g = rdflib.Graph()
    g.parse(data_path(name), format="turtle")
    return g


def shapes_graph() -> rdflib.Graph:
    """kg's SHACL shapes (``kg/data/shapes.ttl``), parsed once; do not modify it."""
    return _parsed("shapes.ttl")


def ontology_graph() -> rdflib.Graph:
    """kg's vocabulary (``kg/data/ontology.ttl``), parsed once; do not modify it."""
    return _parsed("ontology.ttl")


@cache
def _ontology_quads() -> tuple[ox.Quad, ...]:
    return tuple(ox.parse(path=str(data_path("ontology.ttl")), format=ox.RdfFormat.TURTLE))


@dataclass(frozen=True)
class _SparqlCheck:
    """A SHACL-SPARQL constraint of a node shape, run once for all its focus nodes."""

    query: str
    message: str
    severity: str


@cache
def _split_shapes() -> tuple[rdflib.Graph, tuple[_SparqlCheck, ...]]:
    """The shapes without the SPARQL constraints we run ourselves, and those constraints."""
    import rdflib

    sh = rdflib.Namespace(SH)
    shapes = shapes_graph()
    core = rdflib.Graph()
    for t in shapes:
        core.add(t)
    checks: list[_SparqlCheck] = []
    for shape, constraint in shapes.subject_objects(sh.sparql):
        targets = _targets(shapes, shape)
        select = shapes.value(constraint, sh.select)
        if (targets is None or select is None or shapes.value(shape, sh.path) is not None
                or shapes.value(constraint, sh.deactivated) == rdflib.Literal(True)
                or shapes.value(shape, sh.deactivated) == rdflib.Literal(True)):
            continue  # left to pyshacl
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(shapes, constraint))
        query = prologue + _with_targets(str(select), targets)
        severity = shapes.value(shape, sh.severity)
        checks.append(_SparqlCheck(
            query=query,
            message=" ".join(sorted(str(m) for m in shapes.objects(constraint, sh.message))),
            severity=str(severity)[len(SH):] if severity is not None else "Violation",
        ))
        core.remove((shape, sh.sparql, constraint))
    return core, tuple(checks)


def _targets(shapes: rdflib.Graph, shape: object) -> str | None:
    """A SPARQL pattern binding ?this to the shape's focus nodes (None: a target we do not translate)."""
    import rdflib

    sh = rdflib.Namespace(SH)
    kinds = {p for p, _ in shapes.predicate_objects(shape) if str(p).startswith(SH + "target")}
    if not kinds or kinds - {sh.targetClass, sh.targetNode}:
        return None
    parts = [f"{{ ?this <{RDF_TYPE}>/<{PREFIXES['rdfs']}subClassOf>* <{c}> }}"
             for c in sorted(shapes.objects(shape, sh.targetClass))]
    parts += [f"{{ BIND (<{n}> AS ?this) }}" for n in sorted(shapes.objects(shape, sh.targetNode))]
    return " UNION ".join(parts)


def _declared_prefixes(shapes: rdflib.Graph, constraint: object) -> list[tuple[str, str]]:
    import rdflib

    sh = rdflib.Namespace(SH)
    out = []
    for holder in shapes.objects(constraint, sh.prefixes):
        for decl in shapes.objects(holder, sh.declare):
            out.append((str(shapes.value(decl, sh.prefix)), str(shapes.value(decl, sh.namespace))))
    return sorted(set(out))


def _with_targets(select: str, targets: str) -> str:
    """The SELECT with the focus-node pattern first in its WHERE clause (``$this`` is ``?this``)."""
    m = re.search(r"\bWHERE\s*\{", select, re.IGNORECASE)
    if m is None:
        raise GraphError("a SPARQL constraint of kg's shapes has no WHERE clause", data_path("shapes.ttl"))
    return f"{select[:m.end()]}\n  {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n{select[m.end():]}"


# ---------------------------------------------------------------------------
# Reading the graph to check
# ---------------------------------------------------------------------------


def _from_rdflib(t: object) -> Term:
    import rdflib

    if isinstance(t, rdflib.URIRef):
        return ("i", str(t))
    if isinstance(t, rdflib.BNode):
        return ("b", str(t))
    if isinstance(t, rdflib.Literal):
        dt = str(t.datatype) if t.datatype is not None else None
        if dt == PREFIXES["xsd"] + "string":
            dt = None
        return ("l", str(t), dt, t.language)
    raise GraphError(f"unsupported RDF term {t!r}")


def _to_rdflib(t: Term) -> Any:
    import rdflib

    if t[0] == "i":
        return rdflib.URIRef(t[1])
    if t[0] == "b":
        return rdflib.BNode(t[1])
    return rdflib.Literal(t[1], datatype=t[2], lang=t[3])


def _to_ox(t: Term) -> Any:
    if t[0] == "i":
        return ox.NamedNode(t[1])
    if t[0] == "b":
        return ox.BlankNode(t[1])
    if t[3]:
        return ox.Literal(t[1], language=t[3])
    if t[2]:
        return ox.Literal(t[1], datatype=ox.NamedNode(t[2]))
    return ox.Literal(t[1])


def _remote_context(node: Any) -> bool:
    """Whether a JSON-LD document names a context to fetch (a URL, or @import)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "@import":
                return True
            if k == "@context" and (isinstance(v, str) or
                                    (isinstance(v, list) and any(isinstance(x, str) for x in v))):
                return True
            if _remote_context(v):
                return True
    elif isinstance(node, list):
        return any(_remote_context(x) for x in node)
    return False


def _read_jsonld(path: Path) -> Iterator[Triple]:
    import rdflib

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraphError("no such graph file", path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise GraphError(f"cannot read: {getattr(e, 'strerror', None) or e}", path) from None
    except json.JSONDecodeError as e:
        raise GraphError(f"not valid JSON-LD: {e}", path, e.lineno) from None
    if _remote_context(doc):
        raise GraphError("the JSON-LD names a remote context (@context URL or @import); kg fetches nothing: "
                         "embed the context (kg export --format jsonld does)", path)
    g = rdflib.Graph()
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            g.parse(path, format="json-ld")
    except FileNotFoundError:
        raise GraphError("no such graph file", path) from None
    except OSError as e:
        raise GraphError(f"cannot read: {e.strerror or e}", path) from None
    except (ValueError, TypeError, KeyError, AttributeError, json.JSONDecodeError) as e:
        raise GraphError(f"not valid JSON-LD: {e}", path) from None
    for s, p, o in g:
        yield (_from_rdflib(s), _from_rdflib(p), _from_rdflib(o))


def _triples(graph: str | Path | DiplomacyGraph | rdflib.Graph) -> Iterable[Triple]:
    if isinstance(graph, DiplomacyGraph):
        from kg.rdf.convert import to_triples

        return set(to_triples(graph))
    if isinstance(graph, str | Path):
        p = Path(graph)
        if p.is_dir():
            raise GraphError("is a folder; give the graph's .ttl file", p)
        if p.suffix.lower() in _JSONLD_SUFFIXES:
            return list(_read_jsonld(p))
        from kg.rdf.io import read_triples  # GraphError on a missing or unparsable file

        return list(read_triples(p))
    return [(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o)) for s, p, o in graph]


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


def _short_iri(value: str) -> str:
    best = max((base for base in PREFIXES.values() if value.startswith(base)), key=len, default=None)
    if best is not None and value != best:
        prefix = next(p for p, b in PREFIXES.items() if b == best)
        return f"{prefix}:{value[len(best):]}"
    return f"<{value}>"


def _show(t: Term | None) -> str | None:
    """A term as kg writes it in messages: prefixed IRI, <IRI>, or a literal in Turtle."""
    if t is None:
        return None
    if t[0] == "i":
        return _short_iri(t[1])
    if t[0] == "b":
        return f"_:{t[1]}"
    text = json.dumps(t[1], ensure_ascii=False)
    if t[3]:
        return f"{text}@{t[3]}"
    return f"{text}^^{_short_iri(t[2])}" if t[2] else text


def _from_ox(t: object) -> Term | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("i", t.value)
    if isinstance(t, ox.BlankNode):
        return ("b", t.value)
    if isinstance(t, ox.Literal):
        lang = t.language
        dt = None if lang else t.datatype.value
        return ("l", t.value, None if dt == PREFIXES["xsd"] + "string" else dt, lang)
    return ("l", str(t), None, None)


def _template_value(t: Term | None) -> str:
    """A value substituted for ``{?var}`` in a message: a literal's text, an IRI prefixed."""
    if t is None:
        return "?"
    return t[1] if t[0] == "l" else (_show(t) or "?")


def _pyshacl_results(results: rdflib.Graph) -> Iterator[Violation]:
    import rdflib

    sh = rdflib.Namespace(SH)
    for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        path = results.value(r, sh.resultPath)
        severity = results.value(r, sh.resultSeverity)
        value = results.value(r, sh.value)
        yield Violation(
            focus_node=_show(_from_rdflib(results.value(r, sh.focusNode))) or "",
            path=_show(_from_rdflib(path)) if isinstance(path, rdflib.URIRef) else (
                None if path is None else "(a complex path)"),
            message=" ".join(sorted(str(m) for m in results.objects(r, sh.resultMessage)))
            or "constraint not satisfied",
            severity=str(severity)[len(SH):] if severity is not None else "Violation",
            value=_show(_from_rdflib(value)) if value is not None else None,
        )


def _sparql_results(store: ox.Store, checks: Iterable[_SparqlCheck]) -> Iterator[Violation]:
    for check in checks:
        solutions = store.query(check.query)
        names = [v.value for v in solutions.variables]
        for sol in solutions:
            row = {n: _from_ox(sol[n]) for n in names}
            message = re.sub(r"\{[?$](\w+)\}", lambda m, row=row: _template_value(row.get(m.group(1))),
                             check.message)
            yield Violation(
                focus_node=_show(row.get("this")) or "",
                path=_show(row.get("path")),
                message=message,
                severity=check.severity,
                value=_show(row.get("value")),
            )


# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------


class _DropLexicalWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    log = logging.getLogger("rdflib.term")
    f = _DropLexicalWarnings()
    log.addFilter(f)
    try:
        yield
    finally:
        log.removeFilter(f)


def validate(graph: str | Path | DiplomacyGraph | rdflib.Graph) -> ValidationReport:
    """Check a graph against kg's SHACL shapes.

    ``graph`` is a graph file (Turtle ``.ttl``, N-Triples ``.nt`` or JSON-LD
    ``.jsonld``, checked as written), a :class:`~kg.graph.DiplomacyGraph`
    (checked in the RDF form kg writes for it) or an ``rdflib.Graph``.
    A missing, unreadable or unparsable file raises :class:`~kg.errors.GraphError`.
    """
    import rdflib
    from pyshacl import validate as shacl_validate

    triples = _triples(graph)
    store = ox.Store()
    store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in triples)
    store.extend(_ontology_quads())
    core, checks = _split_shapes()
    with _quiet_rdflib():  # an ill-typed literal is reported as a violation, not as a logged traceback
        if isinstance(graph, rdflib.Graph):
            data = graph
        else:
            data = rdflib.Graph()
            for s, p, o in triples:
                data.add((_to_rdflib(s), _to_rdflib(p), _to_rdflib(o)))
        _conforms, results, _text = shacl_validate(
            data,
            shacl_graph=core,
            ont_graph=ontology_graph(),
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
            do_owl_imports=False,
        )
    found = set(_pyshacl_results(results)) | set(_sparql_results(store, checks))
    violations = sorted(found, key=lambda v: (_SEVERITY_ORDER.get(v.severity, 3), v.focus_node, v.path or "",
                                              v.message, v.value or ""))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=conforms, violations=violations)
