"""Graph stores: the Turtle file and a real Oxigraph server (SPARQL 1.1 Protocol + Graph Store Protocol).

Each test that needs a server starts ``oxigraph serve`` (the ``oxigraph``
package of the ``test`` extra) in its own temporary folder on a free port
of 127.0.0.1, and stops it at the end.  The same articles are built into
the server and into a Turtle file: loading, kg's queries and SPARQL must
answer the same from both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from kg import api, query
from kg.errors import GraphError, UsageError
from kg.graph.store import DiplomacyGraph
from kg.rdf.io import serialize
from kg.store import GraphStore, open_store, store_schemes
from kg.store.file import FileStore
from kg.store.server import SparqlServerStore

ARTICLES = {
    "kim-putin-letters.md": """---
title: Kim and Putin exchange letters
published: 2023-10-12
---
North Korean leader Kim Jong Un and Russian President Vladimir Putin exchanged letters on Thursday.
The Soviet Union recognized North Korea on October 12, 1948.
""",
    "aachen-treaty.md": """---
title: France and Germany sign a treaty in Aachen
published: 2019-01-22
---
France and Germany signed a treaty of friendship in Aachen on Tuesday.
German Chancellor Angela Merkel met French President Emmanuel Macron.
""",
    "riyadh-tehran.md": """---
title: Saudi Arabia and Iran restore ties
published: 2023-03-10
---
Saudi Arabia and Iran agreed on Friday to restore diplomatic relations.
Saudi Arabia severed relations with Iran in 2016. China praised the agreement.
""",
    "palestine-recognition.txt": """Brazil recognized Palestine as an independent state in December 2010.
Argentina recognized Palestine a few days later. Egypt and Israel signed a peace treaty in March 1979.
""",
}

PAIRS = [("Russia", "North Korea"), ("France", "Germany"), ("Saudi Arabia", "Iran"), ("Egypt", "Israel")]

RECOGNIZED_PALESTINE = """
SELECT ?state ?label WHERE { ?state kgp:recognize kgs:PSE ; rdfs:label ?label } ORDER BY ?state
"""
EVENTS_BY_RELATION = """
SELECT ?relation (COUNT(?e) AS ?n) WHERE { ?e a kg:DiplomaticEvent ; kg:relation ?relation }
GROUP BY ?relation ORDER BY ?relation
"""
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


# -- the server -------------------------------------------------------------------------------------------


def _oxigraph_binary() -> str:
    """The ``oxigraph`` server binary of the installed package; skip if the package is not installed."""
    try:
        dist = metadata.distribution("oxigraph")
    except metadata.PackageNotFoundError:
        pytest.skip("the 'oxigraph' package (server binary) is not installed: pip install -e '.[test]'")
    candidates = [Path(sys.executable).with_name("oxigraph"), shutil.which("oxigraph")]
    candidates += [dist.locate_file(f) for f in dist.files or () if Path(str(f)).name in ("oxigraph", "oxigraph.exe")]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(c)
    pytest.fail(f"the 'oxigraph' package {dist.version} is installed but its binary is not found")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/store?default", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # something answers HTTP
    except OSError:
        return False


@pytest.fixture(scope="module")
def oxigraph_bin() -> str:
    return _oxigraph_binary()


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to the test server go straight to 127.0.0.1 even where an HTTP proxy is configured."""
    for var in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(var, ",".join(filter(None, [os.environ.get(var), "127.0.0.1", "localhost"])))


@pytest.fixture
def server(oxigraph_bin: str, tmp_path: Path) -> Iterator[str]:
    """The base URL of a fresh ``oxigraph serve`` with its data in a temporary folder."""
    log_path = tmp_path / "oxigraph.log"
    for _attempt in range(3):  # the free port may be taken between finding it and binding it
        url = f"http://127.0.0.1:{_free_port()}"
        with log_path.open("wb") as log:
            proc = subprocess.Popen([oxigraph_bin, "serve", "--location", str(tmp_path / "oxigraph-data"),
                                     "--bind", url.removeprefix("http://")],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline and not _answers(url):
            time.sleep(0.05)
        if proc.poll() is None and _answers(url):
            break
        proc.kill()
        proc.wait()
    else:
        pytest.fail(f"oxigraph serve did not start: {log_path.read_text(errors='replace')[-2000:]}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- building the same articles into both stores ----------------------------------------------------------


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_into(store: GraphStore, paths: Iterable[Path]) -> DiplomacyGraph:
    """What ``kg build`` does, on any store: load, add every article, save, under the store's lock."""
    with store.lock():
        g = store.load(missing_ok=True)
        for art, events in api.extract(paths):
            g.add(art, events)
        store.save(g)
    return g


@pytest.fixture(scope="module")
def file_graph(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded store, built by ``kg.api.build`` as the command line does."""
    path = tmp_path_factory.mktemp("embedded") / "diplomacy.ttl"
    api.build([articles], graph=path, diagrams=False)
    return path


def rows(store: GraphStore, sparql: str) -> list[list[str | None]]:
    res = store.query(sparql)
    assert res.kind == "select"
    return res.rows


# -- tests ------------------------------------------------------------------------------------------------


def test_server_graph_is_the_file_graph(server: str, articles: Path, file_graph: Path) -> None:
    store = open_store(server)
    assert isinstance(store, SparqlServerStore)
    built = build_into(store, [articles])
    assert len(built.events) >= 8

    embedded = open_store(file_graph).load()
    loaded = store.load()
    assert [e.to_dict() for e in loaded.events] == [e.to_dict() for e in embedded.events]
    assert loaded.articles == embedded.articles
    assert serialize(loaded, "nt") == serialize(embedded, "nt")

    for a, b in PAIRS:
        here = [e.to_dict() for e in query.relations(loaded, a, b)]
        assert here, (a, b)
        assert here == [e.to_dict() for e in query.relations(embedded, a, b)]
        assert here == [e.to_dict() for e in api.relations(a, b, graph=file_graph)]
    # predecessors count: the Soviet recognition of 1948 is among Russia's relations
    assert ("SUN", "recognize", "PRK", "1948-10-12") in {
        (e.subject, e.relation, e.object, e.date) for e in query.relations(loaded, "Russia", "North Korea")}


def test_sparql_answers_the_same_on_server_and_file(server: str, articles: Path, file_graph: Path) -> None:
    store, embedded = open_store(server), open_store(file_graph)
    build_into(store, [articles])

    recognized = rows(store, RECOGNIZED_PALESTINE)
    assert recognized == rows(embedded, RECOGNIZED_PALESTINE) == api.sparql(RECOGNIZED_PALESTINE, file_graph).rows
    assert recognized == [["https://w3id.org/kg-diplomacy/id/state/ARG", "Argentina"],
                          ["https://w3id.org/kg-diplomacy/id/state/BRA", "Brazil"]]

    by_relation = store.query(EVENTS_BY_RELATION)
    assert by_relation.variables == ["relation", "n"]
    assert by_relation.rows == rows(embedded, EVENTS_BY_RELATION)

    ask = "ASK { kgs:SAU kgp:sever_relations kgs:IRN }"
    assert store.query(ask).kind == "ask"
    assert store.query(ask).boolean is True and embedded.query(ask).boolean is True
    assert store.query("ASK { kgs:IRN kgp:recognize kgs:SAU }").boolean is False

    construct = "CONSTRUCT { ?a kgp:recognize ?b } WHERE { ?a kgp:recognize ?b }"
    assert store.query(construct).kind == "construct"
    assert store.query(construct).triples == embedded.query(construct).triples
    assert store.query(construct).triples.count("\n") == 3  # SUN-PRK, BRA-PSE, ARG-PSE

    # the user's query is sent verbatim: a malformed one is a usage error, as embedded
    with pytest.raises(UsageError, match="SPARQL syntax error"):
        store.query("SELEC ?s WHERE { ?s ?p ?o }")
    with pytest.raises(UsageError, match="SPARQL syntax error"):
        embedded.query("SELEC ?s WHERE { ?s ?p ?o }")


def test_saving_twice_leaves_the_same_triples(server: str, articles: Path, file_graph: Path) -> None:
    store = open_store(server)
    g = build_into(store, [articles])
    first = store.query(ALL_TRIPLES).triples
    assert first == open_store(file_graph).query(ALL_TRIPLES).triples
    store.save(g)
    assert store.query(ALL_TRIPLES).triples == first
    build_into(store, [articles])  # building the same articles again changes nothing
    assert store.query(ALL_TRIPLES).triples == first

    # save replaces the graph, it does not add to it
    smaller = DiplomacyGraph()
    smaller.update(g)
    smaller.add(smaller.articles["palestine-recognition"], [])
    store.save(smaller)
    assert rows(store, RECOGNIZED_PALESTINE) == []
    assert store.load().articles == smaller.articles
    assert [e.to_dict() for e in store.load().events] == [e.to_dict() for e in smaller.events]


def test_empty_server(server: str) -> None:
    store = open_store(server)
    with pytest.raises(GraphError, match=r"empty; build into it with 'kg build SOURCES --graph http://127"):
        store.load()
    assert store.load(missing_ok=True).events == []
    assert rows(store, "SELECT ?s WHERE { ?s ?p ?o }") == []


def test_wrong_path_on_a_live_server_names_the_endpoints(server: str) -> None:
    store = open_store(server + "/nothing/")
    assert store.url == server + "/nothing"
    with pytest.raises(GraphError) as err:
        store.load()
    msg = str(err.value)
    assert msg.startswith(server + "/nothing: ") and "404" in msg and "base URL" in msg and "\n" not in msg


def test_server_down_is_a_graph_error_naming_the_url() -> None:
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    store = open_store(url)
    for call in (store.load, lambda: store.save(DiplomacyGraph()), lambda: store.query("ASK {}")):
        with pytest.raises(GraphError) as err:
            call()
        msg = str(err.value)
        assert msg.startswith(url + ": ") and "cannot reach the server" in msg and "oxigraph serve" in msg
        assert "\n" not in msg


def test_unknown_scheme_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError) as err:
        open_store("ftp://example.org/diplomacy.ttl")
    msg = str(err.value)
    assert "ftp:" in msg and "file path" in msg
    assert all(f"{s}:" in msg for s in ("file", "http", "https"))
    assert store_schemes() == ["file", "http", "https"]
    with pytest.raises(UsageError, match=r"\*\*\*@db"):  # no password in messages
        open_store("postgres://kg:secret@db/graph")


def test_bad_server_urls_are_graph_errors() -> None:
    for url in ("http://", "http://127.0.0.1:notaport", "http://127.0.0.1:7878/?graph=x"):
        with pytest.raises(GraphError, match="http://"):
            open_store(url)


def test_paths_and_file_urls_are_the_file_store(file_graph: Path) -> None:
    for name in (file_graph, str(file_graph), file_graph.as_uri()):
        store = open_store(name)
        assert isinstance(store, FileStore) and store.path == file_graph
        assert store.describe() == f"Turtle file {file_graph}"
    assert open_store("notes:v2.ttl").path == Path("notes:v2.ttl")  # a colon does not make a URL
    store = open_store(file_graph)
    assert open_store(store) is store
    assert [e.to_dict() for e in store.load().events] == [e.to_dict() for e in api.open_graph(file_graph).events]


def test_credentials_go_in_a_header_not_in_messages() -> None:
    store = open_store("https://alice:s%40cret@kg.example.org:8443/oxigraph/")
    assert isinstance(store, SparqlServerStore)
    assert store.url == "https://kg.example.org:8443/oxigraph"
    assert "cret" not in store.describe() and "alice" not in store.describe()
    assert store.query_url == "https://kg.example.org:8443/oxigraph/query"
    assert store.store_url == "https://kg.example.org:8443/oxigraph/store"
    assert store._headers["Authorization"] == "Basic YWxpY2U6c0BjcmV0"  # alice:s@cret


def test_a_server_that_does_not_answer_times_out() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # connections are accepted by the kernel, and never answered
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        store = SparqlServerStore(url, timeout=0.3)
        start = time.monotonic()
        with pytest.raises(GraphError, match=r"no answer within 0\.3 s") as err:
            store.load()
        assert time.monotonic() - start < 5
        assert str(err.value).startswith(url + ": cannot read the graph (GET " + url + "/store?default)")
