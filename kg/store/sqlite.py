"""An embedded store for big graphs: one SQLite file of articles, merged events and their reports.

Turtle stays the interchange file (``kg export --format turtle``); this
store is for graphs that grow over years of news.  It keeps the graph as it
is in memory -- every article's metadata, every merged event, and every
report with its provenance, filed under its event -- so reopening a graph
reads rows instead of parsing tens of millions of triples, and does not merge
the reports again (a million events reopen in seconds).  A build rewrites the
tables in one transaction: a crash leaves the previous graph, never half of
the new one (SQLite's journal makes the commit atomic).  Named by a path
ending in ``.sqlite`` or ``.db``:

>>> from kg.store import open_store                      # doctest: +SKIP
>>> store = open_store("graphs/diplomacy.sqlite")
>>> g = store.load(missing_ok=True)

Schema 2 (this one): ``events`` in the graph's order (``seq``), ``reports``
in their event's order, each naming its event's ``seq``.  Files of schema 1
(reports only) are still read, merging on load, and are rewritten as
schema 2 by the next save.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager, closing
from pathlib import Path

from kg.errors import GraphError
from kg.graph.merge import MergedEvent, gc_paused, report_id
from kg.graph.store import ArticleInfo, DiplomacyGraph
from kg.model import Event, precision_of
from kg.relations import RELATIONS
from kg.sparql import SparqlResult, run_query
from kg.store import GraphStore

__all__ = ["SUFFIXES", "SqliteStore", "create_tables"]

#: file suffixes that name an SQLite store
SUFFIXES = (".sqlite", ".sqlite3", ".db")
SCHEMA_VERSION = "2"
#: older schemas this store still reads
_READABLE = ("1", SCHEMA_VERSION)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
DROP TABLE IF EXISTS reports;
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS articles;
CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, published TEXT,
    url TEXT);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, subject TEXT NOT NULL, relation TEXT NOT NULL,
    object TEXT NOT NULL, date TEXT, cameo TEXT NOT NULL, conflicts TEXT NOT NULL);
CREATE TABLE reports (
    event INTEGER NOT NULL, id TEXT NOT NULL, article NOT NULL, date TEXT, sentence INTEGER NOT NULL,
    span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, evidence TEXT NOT NULL, confidence REAL NOT NULL,
    cameo TEXT NOT NULL);
"""
# reports.article is the article's seq (or its id, for a report of an article the graph has no metadata of);
# no index beyond the keys: loads scan the tables in order, and every index slows each save


class SqliteStore(GraphStore):
    """A graph kept in an SQLite file (articles, merged events, reports; nothing is re-merged on load)."""

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
        try:
            with closing(self._connect()) as con, gc_paused():
                try:
                    version = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                except sqlite3.OperationalError:  # no meta table: some other program's database
                    version = None
                if version is None or version[0] not in _READABLE:
                    found = f"schema {version[0]!r}" if version else "no kg schema"
                    raise GraphError(f"not a kg graph of schema {SCHEMA_VERSION} ({found}); was it written by kg, "
                                     "or by a newer version?", self.path)
                g = DiplomacyGraph()
                order = "" if version[0] == "1" else " ORDER BY seq"  # schema 1 has no seq
                for aid, title, published, url in con.execute(f"SELECT id, title, published, url FROM articles{order}"):
                    g.articles[aid] = ArticleInfo(aid, title, published, url)
                if version[0] == "1":
                    _load_reports_v1(con, g)
                else:
                    g.preload_events(_load_events(con, g))
        except sqlite3.DatabaseError as e:
            raise GraphError(f"not a readable SQLite graph ({e}); was it written by kg?", self.path) from None
        except KeyError as e:
            raise GraphError(f"unknown relation {e} in the graph; was it written by a newer kg?", self.path) from None
        except IndexError:
            raise GraphError("a damaged kg graph: a report of an article that is not in it", self.path) from None
        except _Corrupt as e:
            raise GraphError(f"a damaged kg graph: {e}", self.path) from None
        return g

    def save(self, graph: DiplomacyGraph) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        events = graph.events  # merged before the transaction starts: the lock is held only to write
        try:
            with closing(self._connect()) as con:
                con.execute("BEGIN IMMEDIATE")
                try:
                    create_tables(con)
                    seq = {aid: i for i, aid in enumerate(graph.articles)}
                    con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?)",
                                    ((i, a.id, a.title, a.published, a.url)
                                     for i, a in enumerate(graph.articles.values())))
                    con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    ((i, e.id, e.subject, e.relation, e.object, e.date, e.cameo,
                                      " ".join(e.conflicts)) for i, e in enumerate(events)))
                    con.executemany(
                        "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        ((i, report_id(r), seq.get(r.article, r.article), r.date, r.sentence, r.span[0], r.span[1],
                          r.evidence, r.confidence, r.cameo) for i, e in enumerate(events) for r in e.reports))
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


def create_tables(con: sqlite3.Connection) -> None:
    """(Re)create the tables of the current schema inside the caller's transaction
    (``executescript`` would commit it first)."""
    for stmt in _SCHEMA.split(";"):
        if stmt.strip():
            con.execute(stmt)


class _Corrupt(Exception):
    """Rows that no save writes (reports without their event, events without reports)."""


def _load_events(con: sqlite3.Connection, g: DiplomacyGraph) -> list[MergedEvent]:
    """The merged events of a schema-2 file, their reports filed into ``g.reports`` on the way."""
    reports = g.reports
    article = list(g.articles)  # seq -> id, one string per article shared by its reports
    rows = con.execute("SELECT event, id, article, date, sentence, span_start, span_end, evidence, confidence,"
                       " cameo FROM reports ORDER BY rowid")
    pending = next(rows, None)
    events: list[MergedEvent] = []
    append = events.append
    for seq, eid, s, rel, o, date, cameo, conflicts in con.execute(
            "SELECT seq, id, subject, relation, object, date, cameo, conflicts FROM events ORDER BY seq"):
        r = RELATIONS[rel]
        plover, goldstein, quad = r.plover, r.goldstein, r.quad
        precision = precision_of(date)
        rs: list[Event] = []
        while pending is not None and pending[0] == seq:
            _, rid, art, rdate, sno, a, b, ev, conf, rcameo = pending
            e = Event(article[art] if art.__class__ is int else art, s, rel, o, rdate,
                      precision if rdate == date else precision_of(rdate), sno, (a, b), ev, conf, rcameo,
                      plover, goldstein, quad)
            reports[rid] = e
            rs.append(e)
            pending = next(rows, None)
        if not rs:
            if pending is not None and pending[0] < seq:
                break  # a report of a missing event: said below
            raise _Corrupt(f"event {seq} has no reports (or the reports are out of order)")
        append(MergedEvent(eid, s, rel, o, date, tuple(rs), cameo, plover, goldstein, quad,
                           tuple(conflicts.split()) if conflicts else ()))
    if pending is not None:
        raise _Corrupt(f"a report of event {pending[0]}, which is not in the graph")
    return events


def _load_reports_v1(con: sqlite3.Connection, g: DiplomacyGraph) -> None:
    """The reports of a schema-1 file (no merged events: they are merged when first asked for)."""
    reports = g.reports
    for row in con.execute("SELECT id, article, subject, relation, object, date, sentence, span_start,"
                           " span_end, evidence, confidence, cameo FROM reports"):
        rid, art, s, rel, o, date, sno, a, b, ev, conf, cameo = row
        r = RELATIONS[rel]
        reports[rid] = Event(art, s, rel, o, date, precision_of(date), sno, (a, b), ev, conf, cameo,
                             r.plover, r.goldstein, r.quad)
