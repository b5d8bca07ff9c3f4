"""Scoring extracted events against gold articles (the format of ``../shared/eval``).

Three levels, micro-averaged over articles, duplicates collapsed:
``dyad`` (the unordered pair of states), ``typed`` (pair and relation, with
direction for directed relations) and ``dated`` (typed, and the date agrees
at the gold date's precision; a null gold date accepts any).  Gold files
that carry PLOVER categories (``plover`` instead of ``relation``) are scored
at category level on unordered pairs.  The rules are those of the project's
evaluation guidelines, so the figures agree with its ``score.py``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ReadError
from kg.relations import RELATIONS

__all__ = ["Evaluation", "Score", "evaluate", "load_gold", "score_events", "typed_key"]

_STATE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Score:
    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


@dataclass
class Evaluation:
    """Scores per level and per relation, and the gold events missed."""

    levels: dict[str, Score]
    by_relation: dict[str, Score]
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**{k: v.to_dict() for k, v in self.levels.items()},
                "by_relation": {k: v.to_dict() for k, v in self.by_relation.items()},
                "missed": self.missed, "spurious": self.spurious}


def _json_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, object) of a JSON Lines file; a broken line is a ReadError naming it."""
    p = Path(path)
    try:
        f = p.open(encoding="utf-8")
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}", p) from None
    with f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    raise ReadError(f"not JSON ({e.msg})", p, n) from None


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold articles from a JSON Lines file; a broken line is a ReadError naming it."""
    out = []
    for n, obj in _json_lines(path):
        if not isinstance(obj, dict) or "events" not in obj:
            raise ReadError("gold article needs 'id' and 'events'", path, n)
        out.append(obj)
    return out


def _symmetric(rel: str) -> bool:
    return rel.startswith("P:") or (rel in RELATIONS and RELATIONS[rel].symmetric)


def typed_key(e: dict[str, Any]) -> tuple:
    """The identity of an event at the typed level: (pair, relation), with direction when directed."""
    if _symmetric(e["relation"]):
        return (frozenset((e["subject"], e["object"])), e["relation"])
    return (e["subject"], e["object"], e["relation"])


def _date_ok(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    g = gold.get("date")
    if not g:
        return True
    return (pred.get("date") or "")[: len(g)] == g


def score_events(gold_articles: list[dict[str, Any]], predictions: Iterable[dict[str, Any]]) -> Evaluation:
    """Score predicted events (dicts with article, subject, relation, object, date)."""
    preds = list(predictions)
    plover = any("plover" in e for a in gold_articles for e in a["events"])
    if plover:
        gold_articles = [{**a, "events": [{**e, "relation": "P:" + e["plover"]} for e in a["events"]]}
                         for a in gold_articles]
        preds = [{**e, "relation": "P:" + (RELATIONS[e["relation"]].plover
                                           if e.get("relation") in RELATIONS else "?")} for e in preds]
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in preds:
        s, o = str(e.get("subject", "")), str(e.get("object", ""))
        if _STATE.match(s) and _STATE.match(o) and s != o:
            by_article[str(e.get("article"))].append(e)
    counts = {lvl: [0, 0, 0] for lvl in ("dyad", "typed", "dated")}
    per_rel: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    missed: list[dict[str, Any]] = []
    spurious: list[dict[str, Any]] = []
    for art in gold_articles:
        gold = art["events"]
        pred = by_article.get(str(art["id"]), [])
        gd = {frozenset((e["subject"], e["object"])) for e in gold}
        pd = {frozenset((e["subject"], e["object"])) for e in pred}
        c = counts["dyad"]
        c[0] += len(gd & pd)
        c[1] += len(pd)
        c[2] += len(gd)
        gt, pt = {typed_key(e) for e in gold}, {typed_key(e) for e in pred}
        c = counts["typed"]
        c[0] += len(gt & pt)
        c[1] += len(pt)
        c[2] += len(gt)
        for k in gt | pt:
            r = per_rel[k[-1]]
            r[0] += k in gt and k in pt
            r[1] += k in pt
            r[2] += k in gt
        pred_by_key: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for e in pred:
            pred_by_key[typed_key(e)].append(e)
        found, used = 0, set()
        for g in gold:
            k = typed_key(g)
            hit = [i for i, p in enumerate(pred_by_key.get(k, [])) if (k, i) not in used and _date_ok(g, p)]
            if hit:
                found += 1
                used.add((k, hit[0]))
            else:
                missed.append({"article": art["id"], **g})
        for e in pred:
            if typed_key(e) not in gt:
                spurious.append({"article": art["id"], **{k: e.get(k) for k in
                                                          ("subject", "relation", "object", "date", "evidence")}})
        c = counts["dated"]
        c[0] += found
        c[1] += sum(len({(p.get("date") or "") for p in ps}) for ps in pred_by_key.values())
        c[2] += len(gold)
    return Evaluation({k: Score(*v) for k, v in counts.items()},
                      {k: Score(*v) for k, v in sorted(per_rel.items())}, missed, spurious)


def evaluate(gold_path: str | Path, pred_path: str | Path | None = None) -> Evaluation:
    """Score a prediction file (or, without one, kg's own extraction of the gold texts)."""
    gold = load_gold(gold_path)
    if pred_path is not None:
        preds = load_gold_like_predictions(pred_path)
    else:
        from kg.extract.pipeline import get_extractor
        from kg.readers.jsonl import read_jsonl

        ex = get_extractor()
        preds = [e.to_dict() for art in read_jsonl(Path(gold_path)) for e in ex.extract(art)]
    return score_events(gold, preds)


def load_gold_like_predictions(path: str | Path) -> list[dict[str, Any]]:
    """Predicted events, one JSON object per line."""
    return [obj for _n, obj in _json_lines(path)]
