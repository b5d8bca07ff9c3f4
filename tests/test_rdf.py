"""RDF: the Turtle round-trip is byte-identical, rdflib reads it, the shape is as documented."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.export.rdf import to_rdflib
from kg.gazetteer import gazetteer
from kg.graph import DiplomacyGraph
from kg.model import Article, Event
from kg.rdf.io import load_graph, save_graph, serialize
from kg.rdf.namespace import PREFIXES
from kg.relations import RELATIONS

KG = rdflib.Namespace(PREFIXES["kg"])
KGS = rdflib.Namespace(PREFIXES["kgs"])
KGP = rdflib.Namespace(PREFIXES["kgp"])


def sample() -> DiplomacyGraph:
    g = DiplomacyGraph()
    g.add(Article("a-1", "", title='Moscow "and" Pyongyang', published=dt.date(2023, 10, 12),
                  url="https://example.org/a?id=1"),
          [Event.make("a-1", "SUN", "recognize", "PRK", date="1948-10-12", evidence='the "first" country\n',
                      confidence=0.8, sentence=3, span=(10, 40)),
           Event.make("a-1", "RUS", "meet", "PRK", date="2023-09", confidence=0.7)])
    g.add(Article("b/2 odd id", ""), [Event.make("b/2 odd id", "USA", "criticize", "RUS", confidence=0.6)])
    return g


def test_turtle_roundtrip_is_byte_identical(tmp_path: Path) -> None:
    p = tmp_path / "g.ttl"
    save_graph(sample(), p)
    first = p.read_bytes()
    save_graph(load_graph(p), p)
    assert p.read_bytes() == first
    nt = tmp_path / "g.nt"
    save_graph(load_graph(p), nt)
    save_graph(load_graph(nt), nt)
    assert serialize(load_graph(nt), "turtle").encode() == first


def test_rdflib_reads_the_same_triples(tmp_path: Path) -> None:
    p = tmp_path / "g.ttl"
    save_graph(sample(), p)
    g = rdflib.Graph().parse(p, format="turtle")
    assert len(g) == len(to_rdflib(load_graph(p)))
    # the truthy triple beside the event node, and the Wikidata link
    assert (KGS.SUN, KGP.recognize, KGS.PRK) in g
    assert (KGS.PRK, KGP.meet, KGS.RUS) in g and (KGS.RUS, KGP.meet, KGS.PRK) in g  # symmetric
    assert (KGS.PRK, rdflib.OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q423")) in g
    ev = next(g.subjects(KG.relation, rdflib.URIRef(PREFIXES["kgc"] + "recognize")))
    types = set(g.objects(ev, rdflib.RDF.type))
    assert rdflib.URIRef(PREFIXES["sem"] + "Event") in types
    stamp = next(g.objects(ev, rdflib.URIRef(PREFIXES["sem"] + "hasTimeStamp")))
    assert stamp.datatype == rdflib.XSD.date and str(stamp) == "1948-10-12"
    assert {str(o) for o in g.objects(None, KG.evidence)} >= {'the "first" country\n'}


def test_successor_links_are_written(tmp_path: Path) -> None:
    p = tmp_path / "g.ttl"
    save_graph(sample(), p)
    g = rdflib.Graph().parse(p, format="turtle")
    assert (KGS.SUN, KG.successor, KGS.RUS) in g and (KGS.RUS, KG.predecessor, KGS.SUN) in g


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_text.filter(bool), st.sampled_from(["RUS", "PRK", "CHN", "SUN", "EU"]),
                          st.sampled_from(["USA", "UKR", "XKX"]), st.sampled_from(list(RELATIONS)),
                          st.sampled_from([None, "1948", "2023-09", "2023-09-13"]), _text,
                          st.floats(0.01, 0.99)), max_size=8))
def test_arbitrary_events_survive_turtle(rows) -> None:
    g = DiplomacyGraph()
    for aid, s, o, r, d, ev, c in rows:
        g.add(Article(aid, "", title=ev), [Event.make(aid, s, r, o, date=d, evidence=ev, confidence=round(c, 3))])
    text = serialize(g)
    import pyoxigraph as ox

    from kg.rdf.convert import from_triples
    from kg.rdf.io import _term

    back = from_triples([(_term(q.subject), _term(q.predicate), _term(q.object))
                         for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)])
    assert [e.to_dict() for e in back.events] == [e.to_dict() for e in g.events]
    assert serialize(back) == text


# -- the template writer gives the generic writer's bytes -------------------------------------------

def _generic(g: DiplomacyGraph) -> tuple[str, int]:
    """Turtle by the generic path: a term per triple, grouped by subject, formatted one by one."""
    import io

    from kg.rdf.convert import subject_blocks
    from kg.rdf.io import HEADER
    from kg.rdf.turtle import write_turtle_blocks

    buf = io.StringIO()
    n = write_turtle_blocks(subject_blocks(g), buf, header=HEADER)
    return buf.getvalue(), n


def _templated(g: DiplomacyGraph) -> tuple[str, int]:
    import io

    from kg.rdf.io import HEADER
    from kg.rdf.templates import turtle_blocks
    from kg.rdf.turtle import write_turtle_blocks

    buf = io.StringIO()
    n = write_turtle_blocks(turtle_blocks(g), buf, header=HEADER)
    return buf.getvalue(), n


def _synthetic(n: int, seed: int) -> DiplomacyGraph:
    """About ``n`` events between random states, each told by one to three articles (as benchmarks/synth.py)."""
    rng = random.Random(seed)
    states = sorted(c for c, s in gazetteer().states.items() if not s.dissolved)
    reports: dict[int, list[Event]] = {}
    for i in range(n):
        s, o = rng.sample(states, 2)
        rel = rng.choice(sorted(RELATIONS))
        date = rng.choice([None, "1990", "1990-05", f"19{rng.randrange(90, 100)}-0{rng.randrange(1, 10)}-1{i % 10}"])
        for a in rng.sample(range(max(3, n // 2)), rng.choice([1, 1, 2, 3])):
            reports.setdefault(a, []).append(Event.make(
                f"art-{a:05d}", s, rel, o, date=date, evidence=f"{s} {rel} {o}", confidence=round(rng.random(), 3),
                sentence=rng.randrange(30), span=(i, i + 9)))
    g = DiplomacyGraph()
    for a, events in reports.items():
        g.add(Article(f"art-{a:05d}", "", title=f"Article {a}", published=dt.date(2000, 1, 1) + dt.timedelta(a),
                      url=f"https://example.org/{a}"), events)
    return g


_odd = st.text(alphabet=st.sampled_from(list('aZ09_-.~/%#:"\\<> \n\t\r\x00\x7fé€🇺{}|^`@;,')), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_odd.filter(bool), _odd, st.one_of(st.none(), _odd),
                          st.sampled_from(["RUS", "PRK", "SUN", "EU", "XKX", "a b/c"]),
                          st.sampled_from(["RUS", "USA", "UKR", "XKX"]), st.sampled_from(list(RELATIONS)),
                          st.sampled_from([None, "1948", "1948-10", "1948-10-12", "1948-10-13", "2023-09"]),
                          _odd, st.floats(-1.0, 1.0), st.integers(-3, 3)), max_size=10))
def test_templates_write_the_generic_bytes(rows) -> None:
    g = DiplomacyGraph()
    for aid, title, url, s, o, rel, date, evidence, conf, sentence in rows:
        g.add(Article(aid, "", title=title, url=url), [
            Event.make(aid, s, rel, o, date=date, evidence=evidence, confidence=conf, sentence=sentence),
            Event.make(aid, s, rel, o, date=date, evidence=evidence + "!", confidence=-0.0, sentence=sentence + 1)])
    assert _templated(g) == _generic(g)


def test_templates_write_the_generic_bytes_of_a_synthetic_graph() -> None:
    g = _synthetic(400, seed=3)
    assert _templated(g) == _generic(g)
    assert _templated(sample()) == _generic(sample())


def test_a_big_graph_is_written_in_two_processes(tmp_path: Path, monkeypatch) -> None:
    from kg.rdf import templates as convert

    g = _synthetic(3000, seed=1)
    expected = _generic(g)
    monkeypatch.setattr(convert, "FORK_MIN_EVENTS", 0)
    monkeypatch.setattr(convert, "_CHUNK", 97)
    monkeypatch.setattr(convert.threading, "active_count", lambda: 1)  # threads other tests left running
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    assert _templated(g) == expected
    save_graph(g, tmp_path / "g.ttl")
    assert (tmp_path / "g.ttl").read_bytes() == expected[0].encode()
    assert len(forks) == 2


def test_a_failed_child_leaves_its_part_to_the_parent(monkeypatch) -> None:
    from kg.rdf import templates as convert

    g = _synthetic(2000, seed=2)
    expected = _generic(g)
    parent = os.getpid()
    real = convert._report_chunks

    def fails_in_child(*args):
        if os.getpid() != parent:
            raise MemoryError("child out of memory")
        return real(*args)

    monkeypatch.setattr(convert, "FORK_MIN_EVENTS", 0)
    monkeypatch.setattr(convert, "_report_chunks", fails_in_child)
    assert _templated(g) == expected


def test_no_child_process_means_one_process_does_it_all(monkeypatch) -> None:
    import errno

    from kg.rdf import templates as convert

    g = _synthetic(500, seed=4)
    expected = _generic(g)

    def no_fork():
        raise OSError(errno.EAGAIN, "no more processes")

    monkeypatch.setattr(convert, "FORK_MIN_EVENTS", 0)
    monkeypatch.setattr(os, "fork", no_fork)
    assert _templated(g) == expected
