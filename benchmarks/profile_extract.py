"""Where extraction time goes: cProfile over generated articles (extractor start-up excluded).

Times are CPU time of this process (not wall time), so that other work on a
shared machine does not inflate them.

    .venv/bin/python benchmarks/profile_extract.py [500] [--seed 1] [--top 15] [--sort cumulative|tottime]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import generate, parse_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", type=parse_size, nargs="?", default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    args = ap.parse_args(argv)

    from kg.extract.pipeline import get_extractor
    from kg.model import Article

    articles = [Article(a["id"], a["text"], a["title"], dt.date.fromisoformat(a["published"]))
                for a in generate(args.size, args.seed)]
    ex = get_extractor()
    for a in articles[:10]:
        ex.extract(a)
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    n = sum(len(evs) for _, evs in ex.extract_many(articles))
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    print(f"{len(articles)} articles, {n} events; total {st.total_tt:.2f} s CPU under the profiler")  # type: ignore[attr-defined]
    st.strip_dirs().sort_stats(args.sort).print_stats(args.top)
    print(buf.getvalue().split("\n", 1)[1] if buf.getvalue().startswith("\n") else buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
