"""Extraction throughput on news prose, beside spaCy's blank tokenizer + sentencizer on the same text.

``run.py`` times extraction on generated articles, whose short templated
sentences spaCy's tokenizer cache makes unusually cheap; this script times
it on real news: the project's regression corpus and example article, and,
when present, the evaluation articles in ``../shared/eval`` (read, not
copied).  Rounds alternate kg and its floor and the median of each is
reported, CPU time of this process only, so that other work on a shared
machine slows both alike.

    .venv/bin/python benchmarks/bench_extract.py [--repeat 8] [--rounds 5] [--json out.json] [FILE.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = [ROOT / "tests" / "corpus" / "regression.jsonl",
                 ROOT.parent / "shared" / "eval" / "dev" / "articles.jsonl",
                 ROOT.parent / "shared" / "eval" / "seed.jsonl"]


def load(paths: list[Path]) -> list:
    """Articles of the JSON Lines files that exist and of ``sources/``, through kg's own readers."""
    from kg.readers import read_paths

    return list(read_paths([p for p in paths if p.exists()] + [ROOT / "sources"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="JSON Lines articles (default: regression corpus, dev, seed)")
    ap.add_argument("--repeat", type=int, default=8, help="times the articles are repeated (default 8)")
    ap.add_argument("--rounds", type=int, default=5, help="alternating timing rounds (default 5)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    import spacy

    from kg.extract.nlp import normalize
    from kg.extract.pipeline import get_extractor

    arts = load(args.files or DEFAULT_FILES) * args.repeat
    texts = [normalize(a.text) for a in arts]
    floor = spacy.blank("en")
    floor.add_pipe("sentencizer")
    ex = get_extractor()
    for a in arts[:40]:
        ex.extract(a)  # warm the lexeme caches of both
    list(floor.pipe(texts[:40]))

    kg_s, floor_s = [], []
    sentences = events = 0
    for _ in range(args.rounds):
        t = time.process_time()
        sentences = sum(sum(1 for _ in d.sents) for d in floor.pipe(texts))
        floor_s.append(time.process_time() - t)
        t = time.process_time()
        events = sum(len(evs) for _, evs in ex.extract_many(arts))
        kg_s.append(time.process_time() - t)
    ratios = sorted(f / k for f, k in zip(floor_s, kg_s, strict=True))
    out = {"articles": len(arts), "characters": sum(len(t) for t in texts), "sentences": sentences,
           "events": events, "rounds": args.rounds,
           "kg_sentences_per_s": sentences / statistics.median(kg_s),
           "floor_sentences_per_s": sentences / statistics.median(floor_s),
           "ratio_median": statistics.median(ratios), "ratio_min": ratios[0], "ratio_max": ratios[-1],
           "target_ratio": 1 / 3}
    print(f"{out['articles']:,} articles, {sentences:,} sentences, {out['characters']:,} characters, "
          f"{events:,} events; CPU time, median of {args.rounds} alternating rounds")
    print(f"{'':34}{'sent/s':>10}")
    print(f"{'kg extraction':34}{out['kg_sentences_per_s']:>10,.0f}")
    print(f"{'spaCy blank tokenizer+sentencizer':34}{out['floor_sentences_per_s']:>10,.0f}")
    print(f"kg / floor throughput: {out['ratio_median']:.3f} (rounds {out['ratio_min']:.3f}-{out['ratio_max']:.3f}); "
          f"target >= {1 / 3:.3f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
