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
    """Scores of (gold article, predictions) pairs, with per-template recall and the errors.

    The levels and per-relation figures are kg's own evaluation
    (:func:`kg.evaluate.score_events`, the rules of ``score.py``); this adds
    recall per template and, for each miss, what kg found for the same
    (pair, relation).
    """
    from kg.evaluate import score_events, typed_key

    gold_articles: list[dict[str, Any]] = []
    preds: list[dict[str, Any]] = []
    for art, ps in pairs:
        gold_articles.append(art)
        preds.extend({**p, "article": art["id"]} for p in ps)
    ev = score_events(gold_articles, preds)
    by_key: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for p in preds:
        if len(p["subject"]) == 3 and len(p["object"]) == 3:
            by_key[(p["article"], typed_key(p))].append(p)
    totals: Counter[str] = Counter(g.get("template", g["relation"]) for a in gold_articles for g in a["events"])
    missed_by_tpl: Counter[str] = Counter()
    misses = []
    for m in ev.missed:
        g = {k: v for k, v in m.items() if k != "article"}
        missed_by_tpl[g.get("template", g["relation"])] += 1
        got = [(p["subject"], p["relation"], p["object"], p.get("date"))
               for p in by_key.get((m["article"], typed_key(g)), [])]
        misses.append({"article": m["article"], "template": g.get("template"), "event": g, "typed_hits": got})
    out: dict[str, Any] = {lvl: v.to_dict() for lvl, v in ev.levels.items()}
    out["by_relation"] = {r: v.to_dict() for r, v in ev.by_relation.items()}
    out["by_template"] = {t: {"found": n - missed_by_tpl[t], "gold": n,
                              "recall": round((n - missed_by_tpl[t]) / n, 3) if n else 0.0}
                          for t, n in sorted(totals.items())}
    out["missed"] = misses
    out["false_positives"] = [{"article": f["article"], "event": {k: v for k, v in f.items() if k != "article"}}
                              for f in ev.spurious]
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
