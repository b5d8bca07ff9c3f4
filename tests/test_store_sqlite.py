"""The embedded SQLite store: same graph as the Turtle file, atomic writes, CLI."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import GraphError
from kg.extract.pipeline import get_extractor
from kg.graph import DiplomacyGraph
from kg.graph.merge import report_id
from kg.graph.store import ArticleInfo
from kg.model import Article, Event
from kg.rdf.io import serialize
from kg.store import open_store
from kg.store.sqlite import SqliteStore

ARTICLES = [
    Article("w1", "Norway recognized Palestine on Tuesday. Israel recalled its ambassador from Norway on "
            "Wednesday.", title="Recognition", published=dt.date(2024, 5, 23)),
    Article("w2", "The Soviet Union established diplomatic relations with North Korea on October 12, 1948.",
            published=dt.date(2018, 10, 12), url="https://example.org/w2"),
]


def graph() -> DiplomacyGraph:
    g = DiplomacyGraph()
    for a in ARTICLES:
        g.add(a, get_extractor().extract(a))
    return g


def test_open_store_by_suffix(tmp_path: Path) -> None:
    assert isinstance(open_store(tmp_path / "g.sqlite"), SqliteStore)
    assert isinstance(open_store(str(tmp_path / "g.db")), SqliteStore)
    assert not isinstance(open_store(tmp_path / "g.ttl"), SqliteStore)


def test_roundtrip_gives_the_same_graph(tmp_path: Path) -> None:
    g = graph()
    store = SqliteStore(tmp_path / "g.sqlite")
    store.save(g)
    back = store.load()
    assert [e.to_dict() for e in back.events] == [e.to_dict() for e in g.events]
    assert back.articles == g.articles
    assert serialize(back) == serialize(g)  # the Turtle written from either is byte-identical
    store.save(back)
    assert serialize(store.load()) == serialize(g)


def test_a_failed_save_keeps_the_previous_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqliteStore(tmp_path / "g.sqlite")
    store.save(graph())
    before = serialize(store.load())
    bigger = graph()
    bigger.add(Article("w3", "Chile and Indonesia signed an agreement on Monday.", published=dt.date(2024, 5, 1)),
               [])

    import kg.store.sqlite as mod

    def broken(_e):  # fails while the rows are being written
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mod, "report_id", broken)
    with pytest.raises(RuntimeError):
        store.save(bigger)
    monkeypatch.undo()
    assert serialize(store.load()) == before


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="no such graph file"):
        SqliteStore(tmp_path / "none.sqlite").load()
    assert len(SqliteStore(tmp_path / "none.sqlite").load(missing_ok=True)) == 0
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(GraphError, match="written by kg"):
        SqliteStore(other).load()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GraphError, match=r"junk\.db"):
        SqliteStore(junk).load()


def test_cli_build_query_and_export(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    kg = [sys.executable, "-m", "kg.cli"]
    db = tmp_path / "g.sqlite"
    r = subprocess.run([*kg, "build", str(root / "sources"), "--graph", str(db), "--no-diagrams"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*kg, "relations", "Russia", "North Korea", "--graph", str(db), "--format", "csv"],
                       capture_output=True, text=True, timeout=300)
    assert "1948-10-12" in r.stdout and "Soviet Union" in r.stdout
    ttl = tmp_path / "g.ttl"
    r = subprocess.run([*kg, "export", "--graph", str(db), "--format", "turtle", "-o", str(ttl)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    direct = tmp_path / "direct.ttl"
    subprocess.run([*kg, "build", str(root / "sources"), "--graph", str(direct), "--no-diagrams"],
                   capture_output=True, text=True, timeout=300, check=True)
    assert ttl.read_bytes() == direct.read_bytes()


# ---------------------------------------------------------------------------------- schema 2: merged events kept


def _same_graph(a: DiplomacyGraph, b: DiplomacyGraph) -> None:
    """Same articles, reports, and events with the same sources, dates, reports (in order) and conflicts."""
    assert a.articles == b.articles and list(a.articles) == list(b.articles)
    assert a.reports == b.reports
    assert [(e.to_dict(), e.reports) for e in a.events] == [(e.to_dict(), e.reports) for e in b.events]


def synthetic() -> DiplomacyGraph:
    from benchmarks.synth import synth_graph

    g = synth_graph(400, seed=5)
    extra = DiplomacyGraph()  # coarser and conflicting dates, undated reports, an article kg has no metadata of
    extra.add(ArticleInfo("x1", "X", "2001-02-03"), [Event.make("x1", "FRA", "meet", "DEU", date="1999"),
                                                      Event.make("x1", "FRA", "meet", "DEU", date="1999-05-01",
                                                                 sentence=1, cameo="999"),
                                                      Event.make("x1", "FRA", "meet", "DEU", date=None, sentence=2)])
    extra.add(ArticleInfo("x2"), [Event.make("x2", "FRA", "meet", "DEU", date="1999-06-07"),
                                  Event.make("x2", "FRA", "meet", "DEU", date="1999-05")])
    g.update(extra)
    orphan = Event.make("no-such-article", "CHL", "visit", "IDN", date="2020-01-02")
    g.reports[report_id(orphan)] = orphan
    return g


def test_reopen_gives_the_same_graph_without_merging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    g = synthetic()
    assert any(e.conflicts for e in g.events) and any(e.date is None for e in g.events)
    store = SqliteStore(tmp_path / "g.sqlite")
    store.save(g)

    import kg.graph.store as graph_store

    def no_merge(_reports):
        raise AssertionError("the stored graph was merged again")

    monkeypatch.setattr(graph_store, "merge_events", no_merge)
    back = store.load()
    _same_graph(back, g)
    assert any(r.article == "no-such-article" for r in back.reports.values())
    monkeypatch.undo()
    assert serialize(back) == serialize(g)


def test_adding_to_a_reopened_graph_merges_only_what_changed(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "g.sqlite")
    store.save(synthetic())
    g = store.load()
    fresh = synthetic()
    for graph in (g, fresh):
        graph.add(ArticleInfo("x1", "X again"), [Event.make("x1", "FRA", "meet", "DEU", date="1999-05-01")])
        graph.add(ArticleInfo("n1"), [Event.make("n1", "CHL", "visit", "IDN", date="2020-01")])
    rebuilt = DiplomacyGraph(dict(fresh.articles), dict(fresh.reports))  # merged from scratch
    _same_graph(g, rebuilt)
    store.save(g)
    _same_graph(store.load(), rebuilt)


def test_schema_1_files_are_still_read_and_upgraded_on_save(tmp_path: Path) -> None:
    g = graph()
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, published TEXT, url TEXT);
        CREATE TABLE reports (
            id TEXT PRIMARY KEY, article TEXT NOT NULL, subject TEXT NOT NULL, relation TEXT NOT NULL,
            object TEXT NOT NULL, date TEXT, sentence INTEGER NOT NULL, span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL, evidence TEXT NOT NULL, confidence REAL NOT NULL, cameo TEXT NOT NULL);
        CREATE INDEX reports_pair ON reports (subject, object);
        INSERT INTO meta VALUES ('schema', '1');
    """)
    con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?)",
                    [(a.id, a.title, a.published, a.url) for a in g.articles.values()])
    con.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(report_id(r), r.article, r.subject, r.relation, r.object, r.date, r.sentence, r.span[0],
                      r.span[1], r.evidence, r.confidence, r.cameo) for r in g.reports.values()])
    con.commit()
    con.close()
    store = SqliteStore(path)
    _same_graph(store.load(), g)
    store.save(store.load())
    assert sqlite3.connect(path).execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("2",)
    _same_graph(store.load(), g)


@pytest.mark.parametrize(("damage", "message"), [
    ("UPDATE meta SET value='3' WHERE key='schema'", r"not a kg graph of schema 2 \(schema '3'\)"),
    ("DELETE FROM meta", "no kg schema"),
    ("DELETE FROM events WHERE seq = 1", "damaged kg graph: a report of event 1"),
    ("DELETE FROM reports WHERE event = 0", "damaged kg graph: event 0 has no reports"),
    ("UPDATE reports SET article = 99 WHERE rowid = 1", "damaged kg graph: a report of an article"),
    ("UPDATE events SET relation = 'befriend' WHERE seq = 0", "unknown relation 'befriend'"),
    ("ALTER TABLE reports DROP COLUMN cameo", "not a readable SQLite graph"),
    ("DROP TABLE events", "not a readable SQLite graph"),
])
def test_a_damaged_or_foreign_schema_file_is_one_clear_line(tmp_path: Path, damage: str, message: str) -> None:
    path = tmp_path / "g.sqlite"
    SqliteStore(path).save(graph())
    con = sqlite3.connect(path)
    con.execute(damage)
    con.commit()
    con.close()
    with pytest.raises(GraphError, match=message) as err:
        SqliteStore(path).load()
    assert "\n" not in str(err.value) and str(err.value).startswith(str(path))


def test_a_failed_save_of_schema_2_keeps_the_previous_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqliteStore(tmp_path / "g.sqlite")
    store.save(graph())
    before = store.load()
    bigger = synthetic()

    import kg.store.sqlite as mod

    calls = 0

    def late(e):  # fails after the tables were dropped, recreated and half filled
        nonlocal calls
        calls += 1
        if calls > 500:
            raise RuntimeError("disk on fire")
        return report_id(e)

    monkeypatch.setattr(mod, "report_id", late)
    with pytest.raises(RuntimeError):
        store.save(bigger)
    monkeypatch.undo()
    _same_graph(store.load(), before)
