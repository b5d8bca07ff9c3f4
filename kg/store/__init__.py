"""Where a graph lives: a Turtle file (the default) or a SPARQL server shared by a team.

A store is named by a path or a URL and opened with :func:`open_store`:

>>> open_store("graphs/diplomacy.ttl").describe()          # doctest: +SKIP
'Turtle file graphs/diplomacy.ttl'
>>> open_store("http://127.0.0.1:7878").describe()         # doctest: +SKIP
'SPARQL server http://127.0.0.1:7878 (default graph; query http://127.0.0.1:7878/query, ...)'

Every store answers the same four calls: :meth:`GraphStore.load` (the
DiplomacyGraph), :meth:`GraphStore.save` (replace the stored graph, all or
nothing), :meth:`GraphStore.query` (SPARQL 1.1 with kg's prefixes, the same
:class:`kg.sparql.SparqlResult` as the embedded engine) and
:meth:`GraphStore.describe`.  Stores are chosen by URL scheme from
:data:`STORES`; a plain path, or a ``file:`` URL, is the Turtle file store.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.graph.store import DiplomacyGraph
    from kg.sparql import SparqlResult

__all__ = ["STORES", "GraphStore", "is_url", "open_store", "register_store", "store_schemes"]


class GraphStore(ABC):
    """A place a DiplomacyGraph is kept: load it, replace it, query it.

    ``url`` names the store for messages (never with a password in it);
    ``path`` is the local file for stores that are one, else None (diagrams
    and locks go beside a file; a server has neither).
    """

    url: str
    path: Path | None = None

    @abstractmethod
    def load(self, missing_ok: bool = False) -> DiplomacyGraph:
        """The stored graph; with ``missing_ok``, an empty graph when nothing is stored yet."""

    @abstractmethod
    def save(self, graph: DiplomacyGraph) -> None:
        """Replace the stored graph with ``graph``, atomically: readers see the old or the new one."""

    @abstractmethod
    def query(self, sparql: str) -> SparqlResult:
        """Run a SPARQL 1.1 query (kg's prefixes predeclared), given verbatim by the user."""

    @abstractmethod
    def describe(self) -> str:
        """One line saying what and where the store is."""

    def lock(self) -> AbstractContextManager[None]:
        """Held around load-modify-save (``kg build``) so that concurrent writers wait their turn.

        The default does nothing: a server has no lock a client can take, and
        the last save wins.
        """
        return nullcontext()

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


#: A store class or function, called with the path or URL the user gave.
StoreFactory = Callable[[str], GraphStore]


def _file_store(url: str) -> GraphStore:
    from kg.store.file import FileStore
    from kg.store.sqlite import SUFFIXES, SqliteStore

    store = FileStore.from_url(url)
    if store.path is not None and store.path.suffix.lower() in SUFFIXES:
        return SqliteStore(store.path)  # an embedded database for big graphs
    return store


def _server_store(url: str) -> GraphStore:
    from kg.store.server import SparqlServerStore

    return SparqlServerStore(url)


#: URL scheme -> store factory.  A plain path is ``file``.
STORES: dict[str, StoreFactory] = {
    "file": _file_store,
    "http": _server_store,
    "https": _server_store,
}

# "scheme://..." or "file:...": anything else is a path, so "notes:v2.ttl" and "C:\\g.ttl" stay files
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://|^(file):", re.IGNORECASE)


def register_store(scheme: str, factory: StoreFactory) -> None:
    """Make ``scheme://...`` URLs open with ``factory`` (e.g. a store for another server's protocol)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]+", scheme):
        raise UsageError(f"not a URL scheme: {scheme!r}")
    STORES[scheme.lower()] = factory


def store_schemes() -> list[str]:
    """The URL schemes a graph can be stored under, sorted."""
    return sorted(STORES)


def is_url(name: str | Path) -> bool:
    """Whether ``name`` is a URL (``scheme://...`` or ``file:...``) rather than a file path."""
    return isinstance(name, str) and _URL.match(name) is not None


def open_store(url_or_path: str | Path | GraphStore) -> GraphStore:
    """The store a path or URL names (a GraphStore is returned as given).

    ``graphs/diplomacy.ttl``, ``file:///srv/kg/diplomacy.ttl``: the Turtle
    (or ``.nt`` N-Triples) file.  ``http://HOST:PORT``, ``https://...``: a
    SPARQL 1.1 Protocol + Graph Store Protocol server such as ``oxigraph
    serve`` (endpoints ``/query`` and ``/store`` under that URL).  Any other
    scheme is a UsageError listing the valid ones.
    """
    if isinstance(url_or_path, GraphStore):
        return url_or_path
    if isinstance(url_or_path, Path):
        return _file_store(str(url_or_path))
    name = str(url_or_path)
    if not name.strip():
        raise UsageError("no graph named; give a file path or a server URL such as http://127.0.0.1:7878")
    m = _URL.match(name)
    if m is None:
        return _file_store(name)
    scheme = (m.group(1) or m.group(2)).lower()
    factory = STORES.get(scheme)
    if factory is None:
        valid = ", ".join(f"{s}:" for s in store_schemes())
        raise UsageError(f"unknown graph store {scheme}: in {_redact(name)!r}; valid: a file path, {valid}")
    return factory(name)


def _redact(url: str) -> str:
    """The URL without a password in it, for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1***@", url)
