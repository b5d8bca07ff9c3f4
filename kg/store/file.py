"""The default store: one Turtle (or N-Triples) file, written atomically, locked while a build runs."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from kg.errors import UsageError
from kg.graph.store import DiplomacyGraph
from kg.rdf.io import load_graph, save_graph
from kg.sparql import SparqlResult, run_query
from kg.store import GraphStore

__all__ = ["FileStore"]


class FileStore(GraphStore):
    """A graph file: ``.ttl`` (canonical Turtle) or ``.nt`` (sorted N-Triples).

    What kg has always done: :func:`kg.rdf.io.load_graph`, an atomic
    :func:`kg.rdf.io.save_graph`, SPARQL on an embedded pyoxigraph store.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.url = str(self.path)

    @classmethod
    def from_url(cls, url: str) -> FileStore:
        """A store from a path or a ``file:`` URL (``file:///abs/g.ttl``, ``file:rel/g.ttl``)."""
        if not url.lower().startswith("file:"):
            return cls(url)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise UsageError(f"file URL {url!r} names host {parts.netloc!r}; "
                             "use file:///PATH for a local file, or http://HOST:PORT for a server")
        if parts.query or parts.fragment or not parts.path:
            raise UsageError(f"file URL {url!r} is not a file path; use file:///PATH/TO/GRAPH.ttl")
        return cls(url2pathname(parts.path) if parts.path.startswith("/") else unquote(parts.path))

    def load(self, missing_ok: bool = False) -> DiplomacyGraph:
        return load_graph(self.path, missing_ok=missing_ok)

    def save(self, graph: DiplomacyGraph) -> None:
        save_graph(graph, self.path)

    def query(self, sparql: str) -> SparqlResult:
        return run_query(sparql, self.path)

    def describe(self) -> str:
        kind = "N-Triples" if self.path.suffix.lower() == ".nt" else "Turtle"
        return f"{kind} file {self.path}"

    def lock(self) -> AbstractContextManager[None]:
        from kg.api import graph_lock

        return graph_lock(self.path)
