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
from kg.model import Article
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
