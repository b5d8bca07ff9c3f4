"""RDF: the Turtle round-trip is byte-identical, rdflib reads it, the shape is as documented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.export.rdf import to_rdflib
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
