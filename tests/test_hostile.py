"""Hostile text: user input never reaches SPARQL, a file path or the network unescaped.

- article ids, titles and URLs full of quotes, braces, angle brackets,
  newlines and ``../`` are built into a graph by the real ``kg build``,
  exported to Turtle, N-Triples and JSON-LD and read back unchanged by rdflib
  and pyoxigraph, and no file is written outside the graph's folder;
- state names that look like SPARQL are usage errors;
- ``kg sparql`` runs no update, loads nothing and calls no remote service;
- JSON-LD export and import, and HTML parsing, fetch nothing (``socket``
  connections are refused in-process, and a local listener catches anything
  that connects from native code, which Python's ``socket`` does not see);
- arbitrary events survive Turtle and JSON-LD (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls
from rdflib.compare import isomorphic

from kg import api
from kg.errors import GraphError, KgError, UsageError
from kg.export.rdf import to_rdflib, write_jsonld
from kg.gazetteer import gazetteer
from kg.graph import DiplomacyGraph
from kg.model import Article, Event
from kg.rdf.convert import from_triples
from kg.rdf.io import _term, load_graph, save_graph, serialize
from kg.rdf.namespace import PREFIXES
from kg.readers import read_paths
from kg.relations import RELATIONS
from kg.sparql import run_query

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
_SCRIPT = Path(sys.executable).with_name("kg")
KG_COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kg.cli"]

# rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

DC = rdflib.Namespace(PREFIXES["dcterms"])
SCHEMA_URL = rdflib.URIRef(PREFIXES["schema"] + "url")

TEXTS = [
    "Russia and France signed a trade agreement in Paris on 3 May 2021.",
    "Chile recalled its ambassador from Peru after a row over fishing rights in the Pacific.",
    "Kenya and Tanzania signed an agreement on Monday to settle a dispute over their shared border.",
    "Japan condemned North Korea on 4 May 2021 after a missile test over the sea.",
    "India and Brazil signed a trade agreement in Delhi on 5 May 2021.",
]

#: (id, title, url): every character that means something to Turtle, SPARQL, JSON-LD, a shell or a path.
HOSTILE = [
    ("../../etc/x", 'He said """ } { <b> \n\r\t \\ end', 'http://x/"> <y'),
    ('q"}<>\n{;DROP', "'; DROP GRAPH <urn:x> ; -- @prefix x: <http://evil/> . # \x00\x07 \u2028 done",
     "https://example.org/q?a=1&b={x}|^`\\"),
    ("/abs/path/../../x", "\u202eevil\u202c 🇺🇳 ''' \"\"\" ''", "https://example.org/p/ä ö"),
    ("_:b0", "@id", "https://example.org/%E2%9C%93"),
    ("C:\\Windows\\..\\x", "@context", None),
]


def graph_ids(g: DiplomacyGraph) -> set[str]:
    return set(g.articles)


# -- a hostile corpus through the real kg build --------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build the hostile corpus with the real ``kg build``, run from deep inside a sandbox folder."""
    root = tmp_path_factory.mktemp("hostile")
    cwd = root / "work" / "deep"
    src = cwd / "src"
    src.mkdir(parents=True)
    with (src / "hostile.jsonl").open("w", encoding="utf-8") as f:
        for (aid, title, url), text in zip(HOSTILE, TEXTS, strict=True):
            f.write(json.dumps({"id": aid, "title": title, "url": url, "published": "2021-05-06", "text": text}) + "\n")
    odd = 'x"} <y>\n;{..'  # a file name is an article id too (a .txt article's id is its stem)
    (src / f"{odd}.txt").write_text(TEXTS[0] + "\n", encoding="utf-8")
    before = {p.relative_to(root) for p in root.rglob("*")}
    proc = subprocess.run([*KG_COMMAND, "build", "src", "--graph", "out/g.ttl"], cwd=cwd, env=ENV,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    created = {p.relative_to(root) for p in root.rglob("*")} - before
    return {"root": root, "cwd": cwd, "graph": cwd / "out" / "g.ttl", "created": created,
            "ids": {h[0] for h in HOSTILE} | {odd}, "titles": {h[1] for h in HOSTILE},
            "urls": {h[2] for h in HOSTILE if h[2]}}


def test_hostile_ids_write_no_file_outside_the_graph_folder(hostile: dict) -> None:
    out = Path("work/deep/out")
    assert out in hostile["created"]
    stray = {p for p in hostile["created"] if p != out and p.parent != out}
    assert not stray, f"files written outside the graph folder: {stray}"
    names = {p.name for p in hostile["created"] if p.parent == out}
    assert {"g.ttl", "g.ttl.lock", "g-network.png"} <= names
    # diagrams are named by state codes, never by anything read from an article
    drawn = {n for n in names if n not in ("g.ttl", "g.ttl.lock")}
    assert all(n.startswith(("g-network", "g-timeline-")) and n.endswith(".png") and n.isascii() for n in drawn), names
    assert not (hostile["root"] / "etc").exists()


def test_hostile_articles_are_all_kept_with_their_events(hostile: dict) -> None:
    g = load_graph(hostile["graph"])
    assert graph_ids(g) == hostile["ids"]
    assert {a.title for a in g.articles.values()} >= hostile["titles"]
    with_events = {r.article for r in g.reports.values()}
    assert with_events <= hostile["ids"] and len(with_events) >= 3  # hostile metadata costs no event


def _iri_form(url: str) -> str:
    """A URL as kg writes it into an IRI: characters IRIs forbid are percent-encoded, nothing else."""
    return "".join(quote(c, safe="") if c in '<>"{}|^`\\ ' or ord(c) <= 0x20 else c for c in url)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_hostile_text_survives_every_rdf_export(hostile: dict, tmp_path: Path, fmt: str) -> None:
    """Exported, then read by rdflib and pyoxigraph: same triples, same ids, titles and URLs."""
    out = tmp_path / f"g.{fmt}"
    api.export(fmt, out, graph=hostile["graph"])
    reference = to_rdflib(load_graph(hostile["graph"]))
    rd = rdflib.Graph().parse(out, format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert isomorphic(rd, reference)
    assert {str(o) for o in rd.objects(None, DC.identifier)} == hostile["ids"]
    assert {str(o) for o in rd.objects(None, DC.title)} >= hostile["titles"]
    urls_back = {str(o) for o in rd.objects(None, SCHEMA_URL)}
    assert urls_back == {_iri_form(u) for u in hostile["urls"]}
    assert {unquote(u) for u in urls_back} == {unquote(u) for u in hostile["urls"]}
    # the article nodes: the id, percent-encoded into one path segment, and back
    kga = PREFIXES["kga"]
    nodes = {str(s) for s in rd.subjects(rdflib.RDF.type, rdflib.URIRef(PREFIXES["schema"] + "NewsArticle"))}
    assert {unquote(n[len(kga):]) for n in nodes} == hostile["ids"]
    assert all("/" not in n[len(kga):] for n in nodes)
    oxfmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    back = from_triples([(_term(t.subject), _term(t.predicate), _term(t.object))
                         for t in ox.parse(path=str(out), format=oxfmt)])
    assert serialize(back) == serialize(load_graph(hostile["graph"]))


def test_hostile_graph_answers_sparql_with_the_text_unchanged(hostile: dict) -> None:
    res = run_query("SELECT ?id ?t WHERE { ?a dcterms:identifier ?id OPTIONAL { ?a dcterms:title ?t } }",
                    hostile["graph"])
    assert {r[0] for r in res.rows} == hostile["ids"]
    assert {r[1] for r in res.rows} >= hostile["titles"]


# -- URLs kg cannot write as IRIs: found by the tests above ---------------------------------------------

@pytest.mark.parametrize("url", ["not a url", "/news/1", "http://x/100%", "http://x/a#b#c", "//cdn.x/y"])
def test_any_url_gives_a_graph_that_loads(tmp_path: Path, url: str) -> None:
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"id": "a1", "url": url, "text": TEXTS[0]}) + "\n", encoding="utf-8")
    [art] = read_paths([corpus])
    g = DiplomacyGraph()
    g.add(art, [Event.make("a1", "RUS", "sign_agreement", "FRA", date="2021-05-03")])
    save_graph(g, tmp_path / "g.ttl")
    assert graph_ids(load_graph(tmp_path / "g.ttl")) == {"a1"}


@pytest.mark.parametrize("url", ["dcterms:x", "wd:Q1"])
def test_jsonld_keeps_urls_that_look_like_compact_iris(tmp_path: Path, url: str) -> None:
    g = DiplomacyGraph()
    g.add(Article("a1", "", url=url), [Event.make("a1", "RUS", "meet", "FRA", date="2021")])
    write_jsonld(g, tmp_path / "g.jsonld")
    back = rdflib.Graph().parse(tmp_path / "g.jsonld", format="json-ld")
    assert {str(o) for o in back.objects(None, SCHEMA_URL)} == {url}


def test_a_lone_surrogate_in_json_is_skipped_or_replaced(tmp_path: Path) -> None:
    corpus = tmp_path / "s.jsonl"
    lines = [{"id": "s1", "title": "bad \ud800 title", "text": TEXTS[0]}, {"id": "s2\udfff", "text": TEXTS[1]}]
    # json.dumps writes the lone surrogates as the escapes \ud800 and \udfff, as any JSON producer may
    corpus.write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    assert "\\ud800" in corpus.read_text(encoding="utf-8")
    errors: list[KgError] = []
    arts = list(read_paths([corpus], on_error=errors.append))
    for a in arts:  # what the reader lets through can be written
        for s in (a.id, a.title, a.text, a.url or ""):
            s.encode("utf-8")
    assert len(arts) + len(errors) == 2


# -- state names and other words of the user -----------------------------------------------------------

def test_a_state_name_that_looks_like_sparql_is_a_usage_error(tmp_path: Path) -> None:
    """The real command, in an empty folder: exit 2, one line, nothing read or written."""
    proc = subprocess.run([*KG_COMMAND, "relations", 'Russia" } ; DROP', "Narnia"], cwd=tmp_path, env=ENV,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("kg: error: unknown state or actor 'Russia\" } ; DROP'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["relations", "Russia", '"} UNION { ?s ?p ?o } #'],
    ["relations", "Russia\n} ; LOAD <http://127.0.0.1:9/x>", "France"],
    ["relations", "Russia", "France", "--since", '2020" } ; DROP ALL ; #'],
    ["relations", "Russia", "France", "--until", "../../etc/passwd"],
    ["status", "<http://x>", "France"],
    ["status", "Russia", "France", "--at", "2020-01-01'; --"],
    ["draw", "timeline", "Russia", "{../../x}", "-o", "t.png"],
])
def test_hostile_words_are_usage_errors(hostile: dict, tmp_path: Path, monkeypatch, capsys, args) -> None:
    from kg.cli import main

    monkeypatch.chdir(tmp_path)
    before = hostile["graph"].read_bytes()
    rc = main([*args, "--graph", str(hostile["graph"])])
    out, err = capsys.readouterr()
    assert rc == 2, err
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("kg: error: ")
    assert list(tmp_path.iterdir()) == []
    assert hostile["graph"].read_bytes() == before


# -- no network: a listener for native code, a tripwire for Python's socket ------------------------------

class Listener:
    """A TCP server on 127.0.0.1 that records every connection (and answers nothing useful)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.hits: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    self.hits.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.hits.append(b"(connected)")

    def url(self, path: str = "x") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def net(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Listener, list[object]]]:
    """(listener, attempts): Python socket connections raise and are recorded; the listener sees the rest."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    listener = Listener()
    attempts: list[object] = []

    def refuse(self, address, *a):
        attempts.append(address)
        raise OSError(f"network access in a test: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    try:
        yield listener, attempts
    finally:
        listener.close()


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    g = DiplomacyGraph()
    g.add(Article("a1", "", title="t", url="https://example.org/a1"),
          [Event.make("a1", "SUN", "recognize", "PRK", date="1948-10-12", evidence="e")])
    p = tmp_path_factory.mktemp("small") / "g.ttl"
    save_graph(g, p)
    return p


UPDATES = [
    "LOAD <{u}>",
    "LOAD SILENT <{u}> INTO GRAPH <urn:g>",
    "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "DELETE WHERE {{ ?s ?p ?o }}",
    "CLEAR ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "SELECT * WHERE {{ ?s ?p ?o }} ; INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
]


@pytest.mark.parametrize("update", UPDATES)
def test_sparql_refuses_updates_and_loads(small_graph: Path, net, update: str) -> None:
    listener, attempts = net
    before = small_graph.read_bytes()
    with pytest.raises(UsageError):
        run_query(update.format(u=listener.url("data.ttl")), small_graph)
    assert small_graph.read_bytes() == before
    assert attempts == [] and listener.hits == []


@pytest.mark.parametrize("query", [
    "SELECT * FROM <{u}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{u}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "DESCRIBE <{u}>",
    "SELECT * WHERE {{ BIND(IRI('{u}') AS ?x) ?x ?p ?o }}",
    "# SERVICE <{u}>\nSELECT * WHERE {{ ?s ?p 'SERVICE <{u}> {{ }}' }}",
])
def test_sparql_datasets_and_iris_fetch_nothing(small_graph: Path, net, query: str) -> None:
    listener, attempts = net
    res = run_query(query.format(u=listener.url()), small_graph)
    assert res.rows == [] or res.kind == "construct"
    assert attempts == [] and listener.hits == []


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE SILENT <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o . OPTIONAL {{ service <{u}> {{ ?s ?q ?r }} }} }}",
])
def test_sparql_refuses_remote_services(small_graph: Path, net, query: str) -> None:
    listener, attempts = net
    try:
        with pytest.raises(UsageError):
            run_query(query.format(u=listener.url("sparql")), small_graph)
    finally:
        assert attempts == [] and listener.hits == [], f"SERVICE connected: {listener.hits}"


def test_kg_sparql_refuses_an_update_through_the_real_command(small_graph: Path, tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_bytes(small_graph.read_bytes())
    proc = subprocess.run([*KG_COMMAND, "sparql", "DELETE WHERE { ?s ?p ?o }", "--graph", str(graph)],
                          env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("kg: error: SPARQL syntax error") and len(proc.stderr.splitlines()) == 1
    assert graph.read_bytes() == small_graph.read_bytes()


def test_jsonld_export_and_reading_back_fetch_nothing(small_graph: Path, tmp_path: Path, net) -> None:
    listener, attempts = net
    out = tmp_path / "g.jsonld"
    api.export("jsonld", out, graph=small_graph)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)  # embedded, not a URL
    assert "@import" not in doc["@context"]
    rd = rdflib.Graph().parse(out, format="json-ld")
    assert isomorphic(rd, to_rdflib(load_graph(small_graph)))
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD))) == len(rd)
    assert attempts == [] and listener.hits == []


@pytest.mark.parametrize("context", ["url", "import"])
def test_jsonld_import_fetches_no_remote_context(tmp_path: Path, net, context: str) -> None:
    from kg.validate import validate

    listener, attempts = net
    remote = listener.url("context.jsonld")
    ctx: object = remote if context == "url" else {"@import": remote}
    doc = {"@context": ctx, "@id": "https://w3id.org/kg-diplomacy/id/article/a1", "title": "t"}
    path = tmp_path / "g.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        validate(path)
    except GraphError:
        pass  # refusing the file is fine; fetching is not
    assert attempts == [] and listener.hits == []


def _xxe_page(secret: Path, listener: Listener, with_article: bool) -> str:
    body = ("<p>Russia and France signed a trade agreement in Paris on 3 May 2021 &x; and &y; after talks "
            "that went on for many hours.</p><p>Chile recalled its ambassador from Peru after a row over "
            "fishing rights in the Pacific this week.</p>")
    if with_article:
        body = f"<article><h1>Treaty</h1>{body}</article>"
    return f"""<?xml version="1.0"?>
<!DOCTYPE html [
  <!ENTITY x SYSTEM "file://{secret}">
  <!ENTITY y SYSTEM "{listener.url('entity')}">
  <!ENTITY % p SYSTEM "{listener.url('p.dtd')}"> %p;
]>
<html><head><title>Treaty</title><meta property="article:published_time" content="2021-05-03">
<link rel="stylesheet" href="{listener.url('style.css')}"><script src="{listener.url('x.js')}"></script></head>
<body><img src="{listener.url('img.png')}">{body}</body></html>
"""


@pytest.mark.parametrize("with_article", [True, False], ids=["article", "fallback-extractors"])
def test_html_resolves_no_external_entity_and_fetches_nothing(tmp_path: Path, net, with_article: bool) -> None:
    listener, attempts = net
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-7781 root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(_xxe_page(secret, listener, with_article), encoding="utf-8")
    [art] = read_paths([page])
    assert "CANARY" not in art.text and "root:x" not in art.text and "CANARY" not in art.title
    assert "Russia and France signed" in art.text
    assert attempts == [] and listener.hits == []


# -- fuzzing: arbitrary events survive Turtle and JSON-LD -------------------------------------------------

_CODES = sorted(gazetteer().states) + sorted(gazetteer().orgs)
_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
_date = st.one_of(st.none(), _dates.map(lambda d: d.isoformat()[:4]), _dates.map(lambda d: d.isoformat()[:7]),
                  _dates.map(dt.date.isoformat))
_event = st.tuples(st.sampled_from(_CODES), st.sampled_from(list(RELATIONS)), st.sampled_from(_CODES), _date,
                   st.text(max_size=80), st.integers(1, 999).map(lambda n: n / 1000),
                   st.integers(0, 10**6), st.integers(0, 10**6))
_article = st.tuples(st.text(min_size=1, max_size=40), st.text(max_size=80), st.one_of(st.none(), urls()),
                     st.one_of(st.none(), _dates), st.lists(_event, max_size=4))


def _graph(rows) -> DiplomacyGraph:
    g = DiplomacyGraph()
    for aid, title, url, published, events in rows:
        g.add(Article(aid, "", title=title, url=url, published=published),
              [Event.make(aid, s, r, o, date=d, evidence=ev, confidence=c, sentence=n, span=(a, a + n))
               for s, r, o, d, ev, c, n, a in events])
    return g


def _same(a: DiplomacyGraph, b: DiplomacyGraph) -> None:
    assert b.articles == a.articles
    assert [e.to_dict() for e in b.events] == [e.to_dict() for e in a.events]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_article, max_size=4))
def test_arbitrary_events_survive_turtle(rows) -> None:
    g = _graph(rows)
    text = serialize(g)
    back = from_triples([(_term(t.subject), _term(t.predicate), _term(t.object))
                         for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)])
    _same(g, back)
    assert serialize(back) == text
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), to_rdflib(g))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(_article, max_size=3))
def test_arbitrary_events_survive_jsonld(tmp_path: Path, rows) -> None:
    g = _graph(rows)
    out = tmp_path / "g.jsonld"
    write_jsonld(g, out)
    assert isomorphic(rdflib.Graph().parse(out, format="json-ld"), to_rdflib(g))
    back = from_triples([(_term(t.subject), _term(t.predicate), _term(t.object))
                         for t in ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD)])
    _same(g, back)
