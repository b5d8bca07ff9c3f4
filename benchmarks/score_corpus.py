"""Score kg's extractor on a generated corpus: overall, per relation and per template.

Generated prose is easy, so what matters is where it falls short: a template
with low recall names a phrasing kg misreads, and the misses and false
positives are printed with their sentences.  The levels are those of the
evaluation sets' ``score.py`` (dyad, typed, dated; micro-averaged, duplicates
collapsed)::

    .venv/bin/python benchmarks/score_corpus.py 300 --seed 1 [--show 20]

``--corpus FILE`` scores an existing JSON Lines file instead of generating one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import generate, parse_size

__all__ = ["extract_gold_articles", "score"]


def _typed(e: dict[str, Any], symmetric: frozenset[str]) -> tuple:
    s, o = e["subject"], e["object"]
    if e["relation"] in symmetric:
        return (frozenset((s, o)), e["relation"])
    return (s, o, e["relation"])


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float | int]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": npred, "gold": ngold}


def extract_gold_articles(articles: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], list[dict]]]:
    """(gold article, kg's predicted events as dicts), in order, streaming."""
    from kg.extract.pipeline import get_extractor
    from kg.model import Article

    ex = get_extractor()
    pending: dict[str, dict[str, Any]] = {}

    def arts() -> Iterator[Article]:
        for a in articles:
            pending[a["id"]] = a
            pub = dt.date.fromisoformat(a["published"]) if a.get("published") else None
            yield Article(a["id"], a["text"], a.get("title") or "", pub)

    for art, events in ex.extract_many(arts()):
        yield pending.pop(art.id), [e.to_dict() for e in events]


def score(pairs: Iterable[tuple[dict[str, Any], list[dict]]]) -> dict[str, Any]:
    """Scores of (gold article, predictions) pairs, with per-template recall and the errors."""
    from kg.relations import RELATIONS

    symmetric = frozenset(r for r, v in RELATIONS.items() if v.symmetric)
    counts = {lvl: [0, 0, 0] for lvl in ("dyad", "typed", "dated")}
    per_rel: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_tpl: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[dict[str, Any]] = []
    false_pos: list[dict[str, Any]] = []
    for art, preds in pairs:
        preds = [p for p in preds if len(p["subject"]) == 3 and len(p["object"]) == 3 and p["subject"] != p["object"]
                 and p["subject"].isupper() and p["object"].isupper()]
        gold = art["events"]
        gd = {frozenset((e["subject"], e["object"])) for e in gold}
        pd = {frozenset((e["subject"], e["object"])) for e in preds}
        c = counts["dyad"]
        c[0] += len(gd & pd)
        c[1] += len(pd)
        c[2] += len(gd)
        gt = {_typed(e, symmetric): e for e in gold}
        pt: dict[tuple, list[dict]] = defaultdict(list)
        for e in preds:
            pt[_typed(e, symmetric)].append(e)
        c = counts["typed"]
        c[0] += len(gt.keys() & pt.keys())
        c[1] += len(pt)
        c[2] += len(gt)
        for k in gt.keys() | pt.keys():
            r = per_rel[k[-1]]
            r[0] += k in gt and k in pt
            r[1] += k in pt
            r[2] += k in gt
        found = 0
        for k, g in gt.items():
            tpl = per_tpl[g.get("template", g["relation"])]
            tpl[1] += 1
            gdate = g.get("date")
            ok = any(not gdate or (p.get("date") or "")[: len(gdate)] == gdate for p in pt.get(k, []))
            if ok:
                found += 1
                tpl[0] += 1
            else:
                got = [(p["subject"], p["relation"], p["object"], p.get("date")) for p in pt.get(k, [])]
                misses.append({"article": art["id"], "template": g.get("template"), "event": g, "typed_hits": got})
        for k in pt.keys() - gt.keys():
            p = pt[k][0]
            false_pos.append({"article": art["id"], "event": {x: p.get(x) for x in
                                                              ("subject", "relation", "object", "date", "evidence")}})
        c = counts["dated"]
        c[0] += found
        c[1] += sum(len({p.get("date") or "" for p in ps}) for ps in pt.values())
        c[2] += len(gold)
    out: dict[str, Any] = {lvl: _prf(*v) for lvl, v in counts.items()}
    out["by_relation"] = {r: _prf(*v) for r, v in sorted(per_rel.items())}
    out["by_template"] = {t: {"found": f, "gold": n, "recall": round(f / n, 3) if n else 0.0}
                          for t, (f, n) in sorted(per_tpl.items())}
    out["missed"] = misses
    out["false_positives"] = false_pos
    return out


def _print(res: dict[str, Any], show: int, out=sys.stdout) -> None:
    for lvl in ("dyad", "typed", "dated"):
        r = res[lvl]
        print(f"{lvl:6} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
              f"(tp={r['tp']} pred={r['predicted']} gold={r['gold']})", file=out)
    print("\nper relation:", file=out)
    for rel, r in res["by_relation"].items():
        print(f"  {rel:20} P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f} "
              f"(tp={r['tp']} pred={r['predicted']} gold={r['gold']})", file=out)
    weak = [(t, v) for t, v in res["by_template"].items() if v["recall"] < 0.9]
    print(f"\ntemplates under 90% recall (dated): {len(weak)} of {len(res['by_template'])}", file=out)
    for t, v in sorted(weak, key=lambda tv: tv[1]["recall"]):
        print(f"  {t:34} {v['found']:4}/{v['gold']:<4} {v['recall']:.2f}", file=out)
    if show:
        print(f"\nmisses (first {show} per template):", file=out)
        shown: Counter[str] = Counter()
        for m in res["missed"]:
            t = m["template"] or "?"
            if shown[t] >= show:
                continue
            shown[t] += 1
            e = m["event"]
            print(f"  [{t}] {e['subject']} {e['relation']} {e['object']} {e['date']}  <- {e['evidence']}", file=out)
            if m["typed_hits"]:
                print(f"      kg: {m['typed_hits']}", file=out)
        print(f"\nfalse positives (first {show}):", file=out)
        for fp in res["false_positives"][:show]:
            e = fp["event"]
            print(f"  {e['subject']} {e['relation']} {e['object']} {e['date']}  <- {e['evidence']}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", type=parse_size, nargs="?", default=300, help="articles to generate (default 300)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, help="score this JSON Lines file instead of a generated corpus")
    ap.add_argument("--show", type=int, default=3, help="misses to print per template (0: none)")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = ap.parse_args(argv)
    if args.corpus:
        with args.corpus.open(encoding="utf-8") as f:
            articles = [json.loads(line) for line in f if line.strip()]
    else:
        articles = list(generate(args.size, args.seed))
    res = score(extract_gold_articles(articles))
    if args.json:
        print(json.dumps(res, indent=1, ensure_ascii=False))
    else:
        _print(res, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
