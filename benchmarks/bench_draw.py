"""How long the network diagram takes on a big graph: 150 states, 100,000 events.

    .venv/bin/python benchmarks/bench_draw.py [--states 150] [--events 100000] [--out FILE.png]

The graph is synthetic, made directly from kg.model.Event with real state
codes (kg's gazetteer): a few busy states and a long tail, as in the news
(Zipf-like activity), relations drawn with realistic frequencies, one day
per event between 1990 and 2024 and every (pair, relation, day) distinct,
so the 100,000 reports stay 100,000 merged events.  Printed: the time to
build and merge the graph (not drawing), then the time to draw the network
(kg.draw.network.draw_network) and to save it as PNG; the drawing must take
under 30 seconds on a 2-core machine.  A script printing figures, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from kg.draw import draw_network, save_figure  # noqa: E402
from kg.gazetteer import gazetteer  # noqa: E402
from kg.graph.store import ArticleInfo, DiplomacyGraph  # noqa: E402
from kg.model import Event  # noqa: E402

#: How often each relation is reported, roughly as in news (meetings and visits dominate).
REL_WEIGHTS = {
    "meet": 30, "visit": 14, "correspond": 8, "sign_agreement": 8, "pledge_cooperation": 7, "praise": 5,
    "criticize": 7, "accuse": 5, "warn": 4, "provide_aid": 4, "sanction": 3, "establish_relations": 1,
    "recognize": 1, "restore_relations": 0.5, "sever_relations": 0.5, "recall_ambassador": 0.7,
    "expel_diplomats": 0.7, "open_embassy": 0.8, "close_embassy": 0.4, "attack": 1,
}
PER_ARTICLE = 5
LIMIT_SECONDS = 30.0


def synth_graph(n_states: int = 150, n_events: int = 100_000, seed: int = 1) -> DiplomacyGraph:
    """A graph of ``n_events`` distinct events between ``n_states`` current states."""
    gaz = gazetteer()
    rng = random.Random(f"kg-bench-draw:{seed}")
    pool = sorted(c for c, s in gaz.states.items() if not s.dissolved)
    states = sorted(rng.sample(pool, n_states))
    rng.shuffle(states)  # activity rank independent of the code
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(n_states)]
    rels = list(REL_WEIGHTS)
    rel_w = [REL_WEIGHTS[r] for r in rels]
    day0 = dt.date(1990, 1, 1).toordinal()
    span = dt.date(2024, 12, 31).toordinal() - day0
    seen: set[tuple[str, str, str, str]] = set()
    events: list[Event] = []
    while len(events) < n_events:
        s, o = rng.choices(states, weights, k=2)
        if s == o:
            continue
        rel = rng.choices(rels, rel_w)[0]
        date = dt.date.fromordinal(day0 + rng.randrange(span)).isoformat()
        e = Event.make(f"bench-{len(events) // PER_ARTICLE:06d}", s, rel, o, date=date,
                       evidence=f"{gaz.label(s)} {rel} {gaz.label(o)}", confidence=0.8)
        key = (e.subject, e.relation, e.object, date)
        if key in seen:
            continue
        seen.add(key)
        events.append(e)
    g = DiplomacyGraph()
    for i in range(0, len(events), PER_ARTICLE):
        batch = events[i:i + PER_ARTICLE]
        g.add(ArticleInfo(batch[0].article, f"Synthetic article {i // PER_ARTICLE}", batch[-1].date), batch)
    return g


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--states", type=int, default=150)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--out", type=Path, help="keep the PNG here (default: a temporary file)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    g = synth_graph(args.states, args.events)
    t1 = time.perf_counter()
    n = len(g.events)  # merge, outside the drawing's time
    t2 = time.perf_counter()
    fig = draw_network(g)
    t3 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "network.png"
        save_figure(fig, out)
        t4 = time.perf_counter()
        size = out.stat().st_size
    total = t4 - t2
    print(f"graph: {args.states} states, {len(g.reports):,} reports -> {n:,} events "
          f"({len({(e.subject, e.object) for e in g.events}):,} directed pairs)")
    print(f"  build {t1 - t0:6.2f} s   merge {t2 - t1:6.2f} s   (not part of drawing)")
    print(f"  draw_network {t3 - t2:6.2f} s   save PNG {t4 - t3:6.2f} s   ({size / 1024:.0f} KiB)")
    verdict = "OK" if total < LIMIT_SECONDS else "TOO SLOW"
    print(f"  network drawn in {total:.2f} s (limit {LIMIT_SECONDS:.0f} s): {verdict}")
    if args.out:
        print(f"  wrote {args.out}")
    return 0 if total < LIMIT_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
