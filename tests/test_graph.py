"""The graph layer: merging reports into events, provenance, idempotence, queries."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import UsageError
from kg.extract.pipeline import get_extractor
from kg.graph import DiplomacyGraph, merge_events
from kg.model import Article, Event
from kg.query import partners, relations, status, who
from kg.relations import RELATIONS

A1 = Article("wire-1", "On October 12, 1948, the Soviet Union established diplomatic relations with "
             "North Korea.", title="Moscow and Pyongyang", published=dt.date(2018, 10, 12))
A2 = Article("wire-2", "The Soviet Union established diplomatic relations with North Korea in 1948.",
             published=dt.date(2023, 10, 12))
A3 = Article("wire-3", "Russian President Vladimir Putin met North Korean leader Kim Jong Un on "
             "Wednesday.", published=dt.date(2023, 9, 14))


def built(*articles: Article) -> DiplomacyGraph:
    g = DiplomacyGraph()
    ex = get_extractor()
    for a in articles:
        g.add(a, ex.extract(a))
    return g


def test_two_articles_one_event_two_sources() -> None:
    g = built(A1, A2)
    est = [e for e in g.events if e.relation == "establish_relations"]
    assert len(est) == 1
    [e] = est
    assert e.date == "1948-10-12"  # the coarse "in 1948" corroborates the precise day
    assert e.articles == ("wire-1", "wire-2") and e.corroboration == 2
    assert e.confidence > max(r.confidence for r in e.reports)  # corroboration raises confidence


def test_conflicting_dates_are_both_kept_and_visible() -> None:
    r1 = Event.make("a", "SUN", "recognize", "PRK", date="1948-10-12", confidence=0.8)
    r2 = Event.make("b", "SUN", "recognize", "PRK", date="1948-10-13", confidence=0.8)
    r3 = Event.make("c", "SUN", "recognize", "PRK", date="1948", confidence=0.8)
    ev = merge_events([r1, r2, r3])
    assert sorted(e.date for e in ev) == ["1948-10-12", "1948-10-13"]
    assert all(e.conflicts for e in ev)
    assert sum(len(e.reports) for e in ev) == 3


def test_reingest_and_order_change_nothing() -> None:
    once = built(A1, A2, A3)
    twice = built(A3, A2, A1, A1, A2)
    assert [e.to_dict() for e in once.events] == [e.to_dict() for e in twice.events]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.sampled_from(["RUS", "PRK", "CHN"]),
                          st.sampled_from(["RUS", "PRK", "USA"]), st.sampled_from(list(RELATIONS)),
                          st.sampled_from([None, "2023", "2023-09", "2023-09-13", "2023-10-12"])),
                max_size=25), st.randoms())
def test_merge_is_order_independent(rows, rnd: random.Random) -> None:
    reports = [Event.make(a, s, r, o, date=d, confidence=0.7) for a, s, o, r, d in rows if s != o]
    shuffled = reports[:]
    rnd.shuffle(shuffled)
    assert [e.to_dict() for e in merge_events(reports)] == [e.to_dict() for e in merge_events(shuffled)]


def test_relations_include_predecessor_states() -> None:
    g = built(A1, A3)
    evs = relations(g, "Russia", "North Korea")
    assert [(e.subject, e.relation, e.object, e.date) for e in evs] == [
        ("PRK", "establish_relations", "SUN", "1948-10-12"),
        ("PRK", "meet", "RUS", "2023-09-13"),
    ]
    assert relations(g, "DPRK", "RUS") == evs  # names, abbreviations and codes
    assert relations(g, "Russia", "North Korea", since="2000") == evs[1:]
    assert relations(g, "Russia", "North Korea", relation="meet") == evs[1:]


def test_status_established_by_the_soviet_union() -> None:
    st_ = status(built(A1, A3), "Russia", "North Korea")
    assert st_.state == "established" and st_.in_force
    assert st_.history[0].date == "1948-10-12" and st_.history[0].event.object == "SUN"
    assert status(built(A1), "Russia", "North Korea", at="1947").state == "none-known"


def test_partners_and_who() -> None:
    g = built(A1, A2, A3)
    assert dict(partners(g, "North Korea")) == {"RUS": 1, "SUN": 1}
    assert [e.subject for e in who(g, "establish_relations", "North Korea")] == ["PRK"]


def test_unknown_state_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Narnia"):
        relations(built(A1), "Narnia", "Russia")


def test_networkx_view() -> None:
    nxg = built(A1, A3).to_networkx()
    assert nxg.nodes["SUN"]["label"] == "Soviet Union" and nxg.nodes["PRK"]["qid"] == "Q423"
    edges = list(nxg.edges(data=True))
    assert {d["relation"] for *_x, d in edges} == {"establish_relations", "meet"}
