"""An embedded store for big graphs: one SQLite file of reports and articles.

Turtle stays the interchange file (``kg export --format turtle``); this
store is for graphs that grow over years of news.  It keeps what the graph
is made of -- every report with its provenance, every article's metadata --
in two indexed tables, so reopening a graph reads rows instead of parsing
tens of millions of triples, and a build rewrites the tables in one
transaction: a crash leaves the previous graph, never half of the new one
(SQLite's journal makes the commit atomic).  Named by a path ending in
``.sqlite`` or ``.db``:

>>> from kg.store import open_store                      # doctest: +SKIP
>>> store = open_store("graphs/diplomacy.sqlite")
>>> g = store.load(missing_ok=True)
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager, closing
from pathlib import Path

from kg.errors import GraphError
from kg.graph.merge import report_id
from kg.graph.store import ArticleInfo, DiplomacyGraph
from kg.model import Event, precision_of
from kg.relations import RELATIONS
from kg.sparql import SparqlResult, run_query
from kg.store import GraphStore

__all__ = ["SUFFIXES", "SqliteStore"]

#: file suffixes that name an SQLite store
SUFFIXES = (".sqlite", ".sqlite3", ".db")
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, published TEXT, url TEXT);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY, article TEXT NOT NULL, subject TEXT NOT NULL, relation TEXT NOT NULL,
    object TEXT NOT NULL, date TEXT, sentence INTEGER NOT NULL, span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL, evidence TEXT NOT NULL, confidence REAL NOT NULL, cameo TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reports_pair ON reports (subject, object);
"""


class SqliteStore(GraphStore):
    """A graph kept in an SQLite file (reports and articles; events are merged on load)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.url = str(self.path)

    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            return con
        except sqlite3.Error as e:
            raise GraphError(f"cannot open the SQLite graph: {e}", self.path) from None

    def load(self, missing_ok: bool = False) -> DiplomacyGraph:
        if not self.path.exists():
            if missing_ok:
                return DiplomacyGraph()
            raise GraphError("no such graph file; build one with 'kg build SOURCES --graph FILE'", self.path)
        g = DiplomacyGraph()
        try:
            with closing(self._connect()) as con:
                version = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if version is None or version[0] != SCHEMA_VERSION:
                    raise GraphError(f"not a kg graph of schema {SCHEMA_VERSION}", self.path)
                for aid, title, published, url in con.execute("SELECT id, title, published, url FROM articles"):
                    g.articles[aid] = ArticleInfo(aid, title, published, url)
                reports = g.reports
                for row in con.execute("SELECT id, article, subject, relation, object, date, sentence, span_start,"
                                       " span_end, evidence, confidence, cameo FROM reports"):
                    rid, art, s, rel, o, date, sno, a, b, ev, conf, cameo = row
                    r = RELATIONS[rel]
                    reports[rid] = Event(art, s, rel, o, date, precision_of(date), sno, (a, b), ev, conf, cameo,
                                         r.plover, r.goldstein, r.quad)
        except sqlite3.DatabaseError as e:
            raise GraphError(f"not a readable SQLite graph ({e}); was it written by kg?", self.path) from None
        except KeyError as e:
            raise GraphError(f"unknown relation {e} in the graph; was it written by a newer kg?", self.path) from None
        return g

    def save(self, graph: DiplomacyGraph) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with closing(self._connect()) as con:
                con.executescript(_SCHEMA)
                con.execute("BEGIN IMMEDIATE")
                try:
                    con.execute("DELETE FROM articles")
                    con.execute("DELETE FROM reports")
                    con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?)",
                                    ((a.id, a.title, a.published, a.url) for a in graph.articles.values()))
                    con.executemany(
                        "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        ((report_id(r), r.article, r.subject, r.relation, r.object, r.date, r.sentence,
                          r.span[0], r.span[1], r.evidence, r.confidence, r.cameo) for r in graph.reports.values()))
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
        except sqlite3.Error as e:
            raise GraphError(f"cannot write the SQLite graph: {e}", self.path) from None

    def query(self, sparql: str) -> SparqlResult:
        return run_query(sparql, self.load())

    def describe(self) -> str:
        return f"SQLite graph {self.path}"

    def lock(self) -> AbstractContextManager[None]:
        from kg.api import graph_lock

        return graph_lock(self.path)
