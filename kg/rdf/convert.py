"""DiplomacyGraph <-> RDF triples.

One node per event (``sem:Event``, n-ary), one per report (``prov:Entity``
derived from its article), one per article, one per actor with
``owl:sameAs`` to Wikidata, and beside each event one direct "truthy"
triple ``state kgp:RELATION state``.  Reports carry everything that was read,
so :func:`from_triples` rebuilds the same graph from a file.

:func:`subject_blocks` groups the triples by subject for the generic Turtle
writer; :mod:`kg.rdf.templates` gives the same Turtle from a template per
node, several times faster: the one graph files are written with.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg.errors import GraphError
from kg.gazetteer import gazetteer
from kg.graph.merge import MergedEvent, report_id
from kg.graph.store import ArticleInfo, DiplomacyGraph
from kg.model import Event
from kg.rdf.namespace import PREFIXES
from kg.rdf.turtle import Term, Triple, iri, lit, nt_term
from kg.relations import RELATIONS

__all__ = [
    "DATE_TYPES",
    "article_iri",
    "article_local",
    "event_iri",
    "from_triples",
    "state_iri",
    "state_local",
    "subject_blocks",
    "to_triples",
]

P = PREFIXES
XSD = P["xsd"]
DATE_TYPES = {4: XSD + "gYear", 7: XSD + "gYearMonth", 10: XSD + "date"}
PRECISION_TERMS = {"year": "YearPrecision", "month": "MonthPrecision", "day": "DayPrecision"}
A = iri(P["rdf"] + "type")


def kg(local: str) -> Term:
    return iri(P["kg"] + local)


_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")  # an id that quote() leaves as it is


def state_local(code: str) -> str:
    """The local part of a state's IRI (after ``kgs:``)."""
    return quote(code, safe="")


def article_local(aid: str) -> str:
    """The local part of an article's IRI (after ``kga:``): the id, percent-encoded."""
    return aid if _PLAIN.fullmatch(aid) else quote(aid, safe="")


def state_iri(code: str) -> Term:
    return iri(P["kgs"] + state_local(code))


def event_iri(eid: str) -> Term:
    return iri(P["kge"] + eid)


def report_iri(rid: str) -> Term:
    return iri(P["kgr"] + rid)


def article_iri(aid: str) -> Term:
    return iri(P["kga"] + article_local(aid))


def _date_lit(d: str) -> Term:
    return lit(d, DATE_TYPES[len(d)])


def _dec_text(x: float) -> str:
    s = f"{x:.4f}"
    return s.rstrip("0").rstrip(".") if "." in s else f"{x}"


def _dec(x: float) -> Term:
    return lit(_dec_text(x), XSD + "decimal")


def _int(x: int) -> Term:
    return lit(str(int(x)), XSD + "integer")


def _actor_triples(code: str) -> Iterator[Triple]:
    gaz = gazetteer()
    s = state_iri(code)
    yield (s, kg("code"), lit(code))
    st = gaz.states.get(code)
    if st is not None:
        yield (s, A, kg("State"))
        yield (s, iri(P["rdfs"] + "label"), lit(st.name, lang="en"))
        if st.alpha2:
            yield (s, kg("iso2"), lit(st.alpha2))
        if st.qid:
            yield (s, iri(P["owl"] + "sameAs"), iri(P["wd"] + st.qid))
        if st.founded:
            yield (s, kg("founded"), _date_lit(st.founded))
        if st.dissolved:
            yield (s, kg("dissolved"), _date_lit(st.dissolved))
        for succ in st.successors:
            yield (s, kg("successor"), state_iri(succ))
        for pred in st.predecessors:
            yield (s, kg("predecessor"), state_iri(pred))
        return
    org = gaz.orgs.get(code)
    yield (s, A, kg("Organisation"))
    yield (s, iri(P["rdfs"] + "label"), lit(org.name if org else code, lang="en"))
    if org is not None and org.qid:
        yield (s, iri(P["owl"] + "sameAs"), iri(P["wd"] + org.qid))


def _event_triples(e: MergedEvent) -> Iterator[Triple]:
    s = event_iri(e.id)
    yield (s, A, iri(P["sem"] + "Event"))
    yield (s, A, kg("DiplomaticEvent"))
    yield (s, kg("relation"), iri(P["kgc"] + e.relation))
    yield (s, kg("subject"), state_iri(e.subject))
    yield (s, kg("object"), state_iri(e.object))
    yield (s, iri(P["sem"] + "hasActor"), state_iri(e.subject))
    yield (s, iri(P["sem"] + "hasActor"), state_iri(e.object))
    if e.date:
        yield (s, iri(P["sem"] + "hasTimeStamp"), _date_lit(e.date))
        yield (s, kg("datePrecision"), kg(PRECISION_TERMS[e.precision or "day"]))
    for c in e.conflicts:
        yield (s, kg("conflictingDate"), _date_lit(c))
    yield (s, kg("confidence"), _dec(e.confidence))
    yield (s, kg("corroboration"), _int(e.corroboration))
    yield (s, kg("cameo"), lit(e.cameo))
    yield (s, kg("plover"), lit(e.plover))
    yield (s, kg("goldstein"), _dec(e.goldstein))
    yield (s, kg("quadClass"), _int(e.quad))
    yield (s, iri(P["rdfs"] + "label"), lit(_label(e), lang="en"))
    for a in e.articles:
        yield (s, iri(P["prov"] + "wasDerivedFrom"), article_iri(a))
    for r in e.reports:
        yield (s, kg("report"), report_iri(report_id(r)))
    # the truthy triple
    yield (state_iri(e.subject), iri(P["kgp"] + e.relation), state_iri(e.object))
    if e.symmetric:
        yield (state_iri(e.object), iri(P["kgp"] + e.relation), state_iri(e.subject))


def _label(e: MergedEvent) -> str:
    gaz = gazetteer()
    when = f" ({e.date})" if e.date else ""
    return f"{gaz.label(e.subject)} {RELATIONS[e.relation].label} {gaz.label(e.object)}{when}"


def _report_triples(r: Event) -> Iterator[Triple]:
    s = report_iri(report_id(r))
    yield (s, A, kg("Report"))
    yield (s, A, iri(P["prov"] + "Entity"))
    yield (s, iri(P["prov"] + "wasDerivedFrom"), article_iri(r.article))
    yield (s, kg("relation"), iri(P["kgc"] + r.relation))
    yield (s, kg("subject"), state_iri(r.subject))
    yield (s, kg("object"), state_iri(r.object))
    if r.date:
        yield (s, kg("reportedDate"), _date_lit(r.date))
    yield (s, kg("sentence"), _int(r.sentence))
    yield (s, kg("spanStart"), _int(r.span[0]))
    yield (s, kg("spanEnd"), _int(r.span[1]))
    yield (s, kg("evidence"), lit(r.evidence))
    yield (s, kg("confidence"), _dec(r.confidence))
    yield (s, kg("cameo"), lit(r.cameo))


def _article_triples(a: ArticleInfo) -> Iterator[Triple]:
    s = article_iri(a.id)
    yield (s, A, iri(P["schema"] + "NewsArticle"))
    yield (s, A, iri(P["prov"] + "Entity"))
    yield (s, iri(P["dcterms"] + "identifier"), lit(a.id))
    if a.title:
        yield (s, iri(P["dcterms"] + "title"), lit(a.title))
    if a.published:
        yield (s, iri(P["dcterms"] + "date"), _date_lit(a.published))
    if a.url:
        yield (s, iri(P["schema"] + "url"), _url_term(a.url))


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _url_term(url: str) -> Term:
    """An article's URL as an IRI when it is an absolute IRI, else as an xsd:anyURI literal,
    so that no URL from a scraped page can make the graph file unreadable."""
    term = iri(url)
    scheme = url.split(":", 1)[0].lower()
    if _ABSOLUTE.match(url) and scheme not in P:  # "wd:Q1" would read as a prefixed name in JSON-LD
        try:
            ox.NamedNode(nt_term(term)[1:-1])
            return term
        except ValueError:
            pass
    return lit(url, XSD + "anyURI")


def to_triples(graph: DiplomacyGraph) -> Iterator[Triple]:
    """Every triple of the graph's RDF form (unordered; writers sort)."""
    for a in graph.articles.values():
        yield from _article_triples(a)
    actors: set[str] = set()
    for e in graph.events:
        actors.update((e.subject, e.object))
        yield from _event_triples(e)
        for r in e.reports:
            yield from _report_triples(r)
    # every actor, and every state its successions link to, so that no link dangles
    for code in sorted(gazetteer().linked(actors)):
        yield from _actor_triples(code)


def _grouped(pairs: Iterable[tuple[Term, Term]], into: dict[Term, set[Term]] | None = None) -> dict[Term, set[Term]]:
    out: dict[Term, set[Term]] = into if into is not None else {}
    for p, o in pairs:
        out.setdefault(p, set()).add(o)
    return out


def subject_blocks(graph: DiplomacyGraph) -> Iterator[tuple[Term, dict[Term, set[Term]]]]:
    """The graph's triples as (subject, {predicate: objects}) in sorted subject order.

    The same triples as :func:`to_triples`, grouped so that a writer can stream
    them: articles, events, reports and states come in IRI order (their
    namespaces sort in that order too).
    """
    for a in sorted(graph.articles.values(), key=lambda a: article_iri(a.id)[1]):
        yield article_iri(a.id), _grouped((p, o) for _s, p, o in _article_triples(a))
    truthy: dict[Term, list[tuple[Term, Term]]] = {}
    reports: list[tuple[str, Event]] = []
    actors: set[str] = set()
    ev_prefix = P["kge"]
    for e in sorted(graph.events, key=lambda e: e.id):
        actors.update((e.subject, e.object))
        block: dict[Term, set[Term]] = {}
        for s, p, o in _event_triples(e):
            if s[1].startswith(ev_prefix):
                block.setdefault(p, set()).add(o)
            else:
                truthy.setdefault(s, []).append((p, o))
        yield event_iri(e.id), block
        reports.extend((report_id(r), r) for r in e.reports)
    reports.sort(key=lambda x: x[0])
    for rid, r in reports:
        yield report_iri(rid), _grouped((p, o) for _s, p, o in _report_triples(r))
    del reports
    for code in sorted(gazetteer().linked(actors), key=lambda c: state_iri(c)[1]):
        s = state_iri(code)
        block = _grouped((p, o) for _s, p, o in _actor_triples(code))
        yield s, _grouped(truthy.get(s, ()), block)


def _local(term: Term, prefix: str) -> str | None:
    if term[0] == "i" and term[1].startswith(P[prefix]):
        return unquote(term[1][len(P[prefix]):])
    return None


def from_triples(triples: Iterable[Triple], source: str = "graph") -> DiplomacyGraph:
    """Rebuild a DiplomacyGraph from triples written by :func:`to_triples`.

    Reports and articles are read back; events are merged again from the
    reports, which gives the same events.  Triples kg does not know are
    ignored.
    """
    props: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    want = {P["kg"], P["prov"], P["dcterms"], P["schema"], P["rdf"]}
    prefixes = tuple(want)
    for s, p, o in triples:
        pi = p[1]
        if pi.startswith(prefixes):
            props[s][pi].append(o)
    g = DiplomacyGraph()
    typ = P["rdf"] + "type"
    reports_by_article: dict[str, list[Event]] = defaultdict(list)
    for s, pr in props.items():
        types = {t[1] for t in pr.get(typ, [])}
        if P["schema"] + "NewsArticle" in types:
            aid = _one(pr, P["dcterms"] + "identifier")
            if aid is None:
                raise GraphError(f"article {s[1]} has no dcterms:identifier", source)
            title = _one(pr, P["dcterms"] + "title") or ""
            date = _one(pr, P["dcterms"] + "date")
            url = pr.get(P["schema"] + "url")
            g.articles[aid] = ArticleInfo(aid, title, date, url[0][1] if url else None)
        elif P["kg"] + "Report" in types:
            try:
                art = _local(pr[P["prov"] + "wasDerivedFrom"][0], "kga")
                rel = _local(pr[P["kg"] + "relation"][0], "kgc")
                subj = _local(pr[P["kg"] + "subject"][0], "kgs")
                obj = _local(pr[P["kg"] + "object"][0], "kgs")
                if not (art and rel and subj and obj) or rel not in RELATIONS:
                    raise KeyError(rel)
                e = Event.make(
                    art, subj, rel, obj, date=_one(pr, P["kg"] + "reportedDate"),
                    sentence=int(_one(pr, P["kg"] + "sentence") or 0),
                    span=(int(_one(pr, P["kg"] + "spanStart") or 0), int(_one(pr, P["kg"] + "spanEnd") or 0)),
                    evidence=_one(pr, P["kg"] + "evidence") or "",
                    confidence=float(_one(pr, P["kg"] + "confidence") or 0.5),
                    cameo=_one(pr, P["kg"] + "cameo") or RELATIONS[rel].cameo,
                )
            except (KeyError, IndexError, ValueError) as err:
                raise GraphError(f"report {s[1]} is incomplete or invalid ({err}); "
                                 "was the file written by kg?", source) from None
            reports_by_article[art].append(e)
    for aid, reps in reports_by_article.items():  # filled directly: add() would re-check each article
        g.articles.setdefault(aid, ArticleInfo(aid))
        for e in reps:
            g.reports[report_id(e)] = e
    return g


def _one(pr: dict[str, list[Term]], key: str) -> str | None:
    v = pr.get(key)
    return v[0][1] if v else None
