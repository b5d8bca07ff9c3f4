"""The library behind every CLI command: one function per command, same name.

>>> from kg.api import build, relations          # doctest: +SKIP
>>> build(["sources/"], graph="graphs/diplomacy.ttl")
>>> for e in relations("Russia", "North Korea"):
...     print(e.date, e.subject, e.relation, e.object)
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ReadError, UsageError
from kg.graph.merge import MergedEvent
from kg.graph.store import DiplomacyGraph
from kg.model import Article, Event
from kg.parallel import extract_stream
from kg.readers import read_paths
from kg.store import GraphStore, open_store

__all__ = [
    "DEFAULT_GRAPH",
    "BuildReport",
    "build",
    "default_diagrams",
    "draw",
    "evaluate",
    "export",
    "extract",
    "graph_lock",
    "open_graph",
    "partners",
    "relations",
    "sparql",
    "status",
    "timeline",
    "validate",
    "who",
]

log = logging.getLogger(__name__)

DEFAULT_GRAPH = Path("graphs/diplomacy.ttl")


def open_graph(graph: str | Path | DiplomacyGraph | GraphStore | None = None) -> DiplomacyGraph:
    """A graph object from a store: a file path (default ``graphs/diplomacy.ttl``; ``.sqlite``
    for big graphs), a server URL (``http://127.0.0.1:7878``), or a graph as given."""
    if isinstance(graph, DiplomacyGraph):
        return graph
    return open_store(graph if graph else DEFAULT_GRAPH).load()


def check_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The paths a user named, all of which must exist (a typo is an error, not a skip)."""
    out = [Path(p) for p in paths]
    for p in out:
        if not p.exists():
            raise ReadError("no such file or folder", p)
    return out


def extract(paths: Iterable[str | Path], jobs: int = 1,
            on_error: Callable[[ReadError], None] | None = None,
            dask: str | None = None) -> Iterator[tuple[Article, list[Event]]]:
    """Articles under ``paths`` and the events read from each, in order, streaming.

    Every named path must exist (ReadError otherwise, before anything is read);
    articles that cannot be read inside them go to ``on_error`` and are skipped.
    """
    articles = read_paths(check_paths(paths), on_error=on_error)
    if dask:
        if jobs > 1:
            raise UsageError("use either --jobs or --dask, not both")
        from kg.distributed import extract_dask  # dask stays optional

        return extract_dask(articles, dask, on_error=on_error)
    return extract_stream(articles, jobs=jobs, on_error=on_error)


_HELD_LOCKS: set[int] = set()


def _forget_locks_in_child() -> None:
    # a forked worker shares the lock's open file; it must not keep the graph locked if the parent dies
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def graph_lock(path: str | Path) -> Iterator[None]:
    """An exclusive lock beside the graph file: concurrent builds wait their turn."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    lock = p.with_name(p.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _HELD_LOCKS.add(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        _HELD_LOCKS.discard(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@dataclass
class BuildReport:
    """What a build did."""

    graph: str
    articles: int = 0
    reports: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)
    diagrams: list[Path] = field(default_factory=list)


def build(paths: Iterable[str | Path], graph: str | Path | GraphStore = DEFAULT_GRAPH, jobs: int = 1,
          diagrams: bool = True, on_error: Callable[[ReadError], None] | None = None,
          progress: Callable[[Article], None] | None = None, dask: str | None = None) -> BuildReport:
    """Extract events from the articles and merge them into the graph.

    The graph in ``graph`` (a file, or a server URL; see :mod:`kg.store`) is
    loaded (or started), every article replaces its earlier reports, and the
    result is written atomically; running the same build twice leaves a file
    byte-identical.  With ``diagrams``, the network and the timelines of the
    busiest pairs are drawn beside a graph file.
    """
    store = open_store(graph)
    paths = check_paths(paths)
    report = BuildReport(str(store))

    def skip(err: ReadError) -> None:
        report.skipped.append(str(err))
        if on_error is not None:
            on_error(err)

    with store.lock():
        g = store.load(missing_ok=True)
        for art, events in extract(paths, jobs=jobs, on_error=skip, dask=dask):
            g.add(art, events)
            report.articles += 1
            report.reports += len(events)
            if progress is not None:
                progress(art)
        store.save(g)
        report.events = len(g.events)
    if diagrams and report.events and store.path is not None:
        report.diagrams = default_diagrams(g, store.path.parent, store.path.stem)
    return report


def default_diagrams(g: DiplomacyGraph, folder: Path, stem: str, pairs: int = 3) -> list[Path]:
    """The network of all states and the timelines of the busiest pairs, as PNGs."""
    from collections import Counter

    from kg.draw import draw_network, draw_timeline, save_figure
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    out: list[Path] = []
    try:
        out.append(save_figure(draw_network(g), folder / f"{stem}-network.png"))
    except UsageError as e:
        log.info("no network drawn: %s", e)
    busy: Counter[tuple[str, str]] = Counter()
    for e in g.events:
        if e.date and gaz.is_state(e.subject) and gaz.is_state(e.object):
            # count predecessors under their successor's name: Soviet events belong to Russia's timeline
            a, b = (_current(e.subject), _current(e.object))
            if a != b:
                busy[tuple(sorted((a, b)))] += 1  # type: ignore[index]
    for (a, b), _n in sorted(busy.items(), key=lambda kv: (-kv[1], kv[0]))[:pairs]:
        name = f"{stem}-timeline-{a}-{b}.png"
        out.append(save_figure(draw_timeline(g, a, b), folder / name))
    return out


def _current(code: str) -> str:
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    seen = set()
    while code in gaz.states and gaz.states[code].dissolved and gaz.states[code].successors and code not in seen:
        seen.add(code)
        code = gaz.states[code].successors[0]
    return code


def relations(a: str, b: str, graph: str | Path | DiplomacyGraph | None = None, since: str | None = None,
              until: str | None = None, relation: str | None = None) -> list[MergedEvent]:
    """Events between two states, predecessors included (see :func:`kg.query.relations`)."""
    from kg import query
    from kg.gazetteer import require_state

    require_state(a)  # name errors before any file is read
    require_state(b)
    query.check_date(since, "--since")
    query.check_date(until, "--until")
    return query.relations(open_graph(graph), a, b, since, until, relation)


def timeline(a: str, graph: str | Path | DiplomacyGraph | None = None, since: str | None = None,
             until: str | None = None, relation: str | None = None) -> list[MergedEvent]:
    """Every event of one state, predecessors included, in date order (see :func:`kg.query.timeline`)."""
    from kg import query
    from kg.gazetteer import require_state

    require_state(a)
    query.check_date(since, "--since")
    query.check_date(until, "--until")
    return query.timeline(open_graph(graph), a, since, until, relation)


def partners(a: str, graph: str | Path | DiplomacyGraph | None = None, relation: str | None = None,
             since: str | None = None, until: str | None = None) -> list[tuple[str, int]]:
    """A state's partners with their number of events (see :func:`kg.query.partners`)."""
    from kg import query
    from kg.gazetteer import require_state

    require_state(a)
    query.check_date(since, "--since")
    query.check_date(until, "--until")
    return query.partners(open_graph(graph), a, relation, since, until)


def who(relation: str, target: str, graph: str | Path | DiplomacyGraph | None = None, since: str | None = None,
        until: str | None = None) -> list[MergedEvent]:
    """Who did RELATION to TARGET, e.g. who recognized Kosovo (see :func:`kg.query.who`)."""
    from kg import query
    from kg.gazetteer import require_state

    require_state(target)
    query.check_date(since, "--since")
    query.check_date(until, "--until")
    return query.who(open_graph(graph), relation, target, since, until)


def status(a: str, b: str, graph: str | Path | DiplomacyGraph | None = None, at: str | None = None):
    """Diplomatic status of a pair at a date (see :func:`kg.query.status`)."""
    from kg import query
    from kg.gazetteer import require_state

    require_state(a)
    require_state(b)
    query.check_date(at, "--at")
    return query.status(open_graph(graph), a, b, at)


def export(fmt: str, out: str | Path, graph: str | Path | DiplomacyGraph | None = None) -> Path:
    """Write the graph in another format (see :data:`kg.export.EXPORTERS`)."""
    from kg.export import export_graph, exporter

    exporter(fmt)  # fail on a bad format before loading anything
    export_graph(open_graph(graph), fmt, out)
    return Path(out)


def draw(kind: str, out: str | Path, graph: str | Path | DiplomacyGraph | None = None,
         **options: object) -> Path:
    """Render a diagram (network, timeline, matrix) to PNG, SVG or PDF."""
    from kg.draw import DIAGRAMS, FORMATS, save_figure

    if kind not in DIAGRAMS:
        raise UsageError(f"unknown diagram {kind!r}; valid: {', '.join(sorted(DIAGRAMS))}")
    if Path(out).suffix.lower() not in FORMATS:
        raise UsageError(f"cannot draw to {Path(out).name!r}: use a file ending in {', '.join(FORMATS)}")
    fig = DIAGRAMS[kind](open_graph(graph), **options)  # type: ignore[operator]
    return save_figure(fig, out)


def evaluate(gold: str | Path, pred: str | Path | None = None):
    """Score predictions (or kg's own extraction) against a gold file; see :mod:`kg.evaluate`."""
    from kg.evaluate import evaluate as _evaluate

    return _evaluate(gold, pred)


def validate(graph: str | Path | DiplomacyGraph | None = None):
    """Check a graph against kg's SHACL shapes; see :func:`kg.validate.validate`."""
    from kg.store import is_url
    from kg.validate import validate as _validate

    target = graph if graph is not None else DEFAULT_GRAPH
    if isinstance(target, str | Path) and (is_url(str(target)) or
                                           Path(target).suffix.lower() not in (".ttl", ".nt", ".jsonld")):
        target = open_graph(target)  # a server or database: check the graph kg reads from it
    return _validate(target)


def sparql(query: str, graph: str | Path | DiplomacyGraph | None = None):
    """Run a SPARQL query on the graph; see :func:`kg.sparql.run_query`."""
    from kg.sparql import run_query

    if isinstance(graph, DiplomacyGraph):
        return run_query(query, graph)
    return open_store(graph if graph is not None else DEFAULT_GRAPH).query(query)



