"""merge_events against a plain reference implementation (the fast paths change nothing), and
the graph's incremental merge after adds (the same events as a merge from scratch)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph import DiplomacyGraph, merge_events
from kg.graph.merge import MergedEvent, _cluster, _sort_key, compatible, event_id
from kg.graph.store import ArticleInfo
from kg.model import Event


def reference_merge(reports: list[Event]) -> list[MergedEvent]:
    """merge_events as first written: every key clustered the long way (``_cluster``), no fast path."""
    by_key: dict[tuple[str, str, str], list[Event]] = defaultdict(list)
    for r in reports:
        by_key[r.key].append(r)
    out: list[MergedEvent] = []
    for (s, rel, o), reps in by_key.items():
        groups = _cluster(reps)
        all_dates = tuple(sorted(d for d, _ in groups if d))
        for d, rs in groups:
            rs = sorted(rs, key=_sort_key)
            cameo = sorted(Counter(r.cameo for r in rs).most_common(), key=lambda x: (-x[1], x[0]))[0][0]
            conflicts = tuple(x for x in all_dates if d and x != d and not compatible(x, d))
            out.append(MergedEvent(event_id(s, rel, o, d), s, rel, o, d, tuple(rs), cameo, rs[0].plover,
                                   rs[0].goldstein, rs[0].quad, conflicts))
    out.sort(key=lambda e: (e.date or "9999", e.subject, e.relation, e.object, e.id))
    return out


DATES = [None, "2023", "2023-09", "2023-09-13", "2023-09-14", "2023-10", "2023-10-12", "2024"]

row = st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from(["RUS", "PRK", "CHN"]),
                st.sampled_from(["RUS", "PRK", "USA"]), st.sampled_from(["meet", "recognize", "visit"]),
                st.sampled_from(DATES), st.sampled_from(["", "040", "041"]), st.integers(0, 3))


def _reports(rows: list[tuple]) -> list[Event]:
    out = []
    for a, s, o, rel, d, cameo, sno in rows:
        if s != o:
            kw = {"cameo": cameo} if cameo else {}
            out.append(Event.make(a, s, rel, o, date=d, sentence=sno, confidence=0.5 + sno / 10, **kw))
    return list({(r.article, r.key, r.date, r.sentence): r for r in out}.values())


def _dicts(events: list[MergedEvent]) -> list[dict]:
    return [{**e.to_dict(), "reports": list(e.reports)} for e in events]


@settings(max_examples=150, deadline=None)
@given(st.lists(row, max_size=30))
def test_merge_equals_the_reference(rows: list[tuple]) -> None:
    reports = _reports(rows)
    assert _dicts(merge_events(reports)) == _dicts(reference_merge(reports))


def test_merge_equals_the_reference_on_a_synthetic_graph() -> None:
    from benchmarks.synth import synth_reports

    _, reports = synth_reports(3000, seed=3)
    rnd = random.Random(3)  # coarsen and drop some dates so that clusters and conflicts occur
    reports = [r.with_(date=rnd.choice([None, r.date[:4], r.date[:7]])) if r.date and rnd.random() < 0.3 else r
               for r in reports]
    assert _dicts(merge_events(reports)) == _dicts(reference_merge(reports))


def _article_rows(rows: list[tuple]) -> dict[str, list[Event]]:
    by_article: dict[str, list[Event]] = defaultdict(list)
    for r in _reports(rows):
        by_article[r.article].append(r)
    return by_article


@settings(max_examples=80, deadline=None)
@given(st.lists(row, max_size=25), st.lists(row, max_size=10), st.lists(st.sampled_from("abcde"), max_size=3))
def test_incremental_merge_equals_a_merge_from_scratch(first: list[tuple], then: list[tuple],
                                                       emptied: list[str]) -> None:
    g = DiplomacyGraph()
    for aid, evs in sorted(_article_rows(first).items()):
        g.add(ArticleInfo(aid), evs)
    assert _dicts(g.events) == _dicts(reference_merge(list(g.reports.values())))
    for aid, evs in sorted(_article_rows(then).items()):  # replaces same-id articles
        g.add(ArticleInfo(aid), evs)
    for aid in emptied:
        g.add(ArticleInfo(aid), [])
    assert _dicts(g.events) == _dicts(reference_merge(list(g.reports.values())))
    assert {k: [e.id for e in v] for k, v in g.by_pair.items()} == \
        {k: [e.id for e in v] for k, v in DiplomacyGraph(dict(g.articles), dict(g.reports)).by_pair.items()}


def test_incremental_merge_of_many_articles_equals_a_merge_from_scratch() -> None:
    from benchmarks.synth import synth_reports

    articles, reports = synth_reports(2000, seed=4)
    by_article: dict[str, list[Event]] = defaultdict(list)
    for r in reports:
        by_article[r.article].append(r)
    g = DiplomacyGraph()
    for a in articles[:600]:
        g.add(a, by_article[a.id])
    assert len(g.events) > 0
    for a in articles[400:]:  # 200 replaced, 400 new: more than the in-place insertion handles
        g.add(a, by_article[a.id][:1] if a.id < articles[500].id else by_article[a.id])
    assert _dicts(g.events) == _dicts(reference_merge(list(g.reports.values())))
