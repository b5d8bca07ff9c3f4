"""Event tables: CSV and JSON Lines in the columns event-data users know from GDELT."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kg.gazetteer import gazetteer
from kg.graph.merge import MergedEvent
from kg.graph.store import DiplomacyGraph
from kg.rdf.io import atomic_write

__all__ = ["COLUMNS", "event_row", "write_csv", "write_jsonl"]

#: Column names: GDELT's ideas (actors, CAMEO code and root, QuadClass,
#: Goldstein, number of articles, source URL) plus kg's relation, PLOVER
#: category, date precision and confidence.
COLUMNS = ["event_id", "date", "precision", "actor1_code", "actor1_name", "actor2_code", "actor2_name",
           "relation", "symmetric", "cameo", "cameo_root", "quad_class", "goldstein", "plover",
           "confidence", "num_articles", "source_url", "articles", "evidence"]


def event_row(e: MergedEvent, graph: DiplomacyGraph) -> dict[str, object]:
    gaz = gazetteer()
    urls = [graph.articles[a].url for a in e.articles if a in graph.articles and graph.articles[a].url]
    return {
        "event_id": e.id, "date": e.date or "", "precision": e.precision or "",
        "actor1_code": e.subject, "actor1_name": gaz.label(e.subject),
        "actor2_code": e.object, "actor2_name": gaz.label(e.object),
        "relation": e.relation, "symmetric": e.symmetric, "cameo": e.cameo, "cameo_root": e.cameo[:2],
        "quad_class": e.quad, "goldstein": e.goldstein, "plover": e.plover,
        "confidence": e.confidence, "num_articles": e.corroboration,
        "source_url": urls[0] if urls else "", "articles": " ".join(e.articles),
        "evidence": e.reports[0].evidence if e.reports else "",
    }


def write_csv(graph: DiplomacyGraph, out: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for e in graph.events:
        w.writerow(event_row(e, graph))
    atomic_write(out, buf.getvalue().encode("utf-8"))


def write_jsonl(graph: DiplomacyGraph, out: Path) -> None:
    lines = [json.dumps(event_row(e, graph), ensure_ascii=False, sort_keys=False) + "\n" for e in graph.events]
    atomic_write(out, "".join(lines).encode("utf-8"))
