"""kg's benchmarks, each figure beside its floor measured in the same run.

    .venv/bin/python benchmarks/run.py            # full: ~10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # 10k-event graphs only: ~1 minute

What is measured (kg | its floor):

- extraction, sentences/s over generated articles: kg's Extractor.extract_many
  | spaCy's blank("en") tokenizer + sentencizer alone (nlp.pipe) on the same
  texts; and extract_stream(jobs=2) | extract_stream(jobs=1);
- Turtle writing: kg.rdf.io.serialize(graph) | rdflib's default-store
  serializer on the same triples (kg's N-Triples parsed into an rdflib.Graph,
  then g.serialize(format="turtle") timed);
- loading: kg.rdf.io.load_graph | pyoxigraph's bare parse of the same file;
- merging: merge_events time and peak memory (in a fresh subprocess, by
  tracemalloc; the process's maxrss beside) | grouping the same reports by
  (subject, relation, object, date) and sorting the groups;
- query: kg.query.relations for one pair on the largest graph, median of 20
  | a bare scan of graph.events for the pair.

Graphs are synthetic (benchmarks/synth.py), articles generated
(benchmarks/corpus.py).  Results are printed as a table and written to
benchmarks/results.json (--no-write: print only).  Ratios are kg time /
floor time: above 1, kg is that many times slower than its floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate, parse_size  # noqa: E402

__all__ = ["main", "run"]

DEFAULT_OUT = ROOT / "benchmarks" / "results.json"


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _timed_nogc(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _row(rows: list[dict[str, Any]], bench: str, size: str, kg: float, floor: float, unit: str,
         floor_is: str, higher_is_better: bool = False, note: str = "", lower_bound: bool = False) -> None:
    """One line of the table; ``ratio`` is always kg time / floor time (``lower_bound``: kg took at least this)."""
    if higher_is_better:
        ratio = floor / kg if kg else float("inf")
    else:
        ratio = kg / floor if floor else float("inf")
    rows.append({"benchmark": bench, "size": size, "kg": kg, "floor": floor, "unit": unit,
                 "floor_is": floor_is, "ratio": float(f"{ratio:.4g}"), "note": note, "lower_bound": lower_bound})


# ---------------------------------------------------------------------------
# extraction


def bench_extraction(n_articles: int, seed: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    import spacy

    from kg.extract.nlp import normalize
    from kg.extract.pipeline import get_extractor
    from kg.model import Article
    from kg.parallel import extract_stream

    articles = [Article(a["id"], a["text"], a["title"], dt.date.fromisoformat(a["published"]))
                for a in generate(n_articles, seed)]
    texts = [normalize(a.text) for a in articles]
    chars = sum(len(t) for t in texts)

    floor_nlp = spacy.blank("en")
    floor_nlp.add_pipe("sentencizer")
    list(floor_nlp.pipe(texts[:20]))
    t_floor, sentences = _timed(lambda: sum(sum(1 for _ in d.sents) for d in floor_nlp.pipe(texts)))

    t_init, ex = _timed(get_extractor)
    for a in articles[:20]:  # warm caches (lexemes, lemma tables)
        ex.extract(a)
    t_kg, n_events = _timed(lambda: sum(len(evs) for _, evs in ex.extract_many(articles)))

    def stream(jobs: int) -> int:
        return sum(len(evs) for _, evs in extract_stream(articles, jobs=jobs))

    t_j1, ev1 = _timed(lambda: stream(1))
    t_j2, ev2 = _timed(lambda: stream(2))
    size = f"{n_articles} art."
    _row(rows, "extract: sentences/s", size, sentences / t_kg, sentences / t_floor, "sent/s",
         "spaCy blank('en') tokenizer + sentencizer", higher_is_better=True)
    _row(rows, "extract_stream jobs=2: sentences/s", size, sentences / t_j2, sentences / t_j1, "sent/s",
         "extract_stream jobs=1", higher_is_better=True, note=f"speed-up {t_j1 / t_j2:.2f}x")
    return {"articles": n_articles, "sentences": sentences, "characters": chars, "events": n_events,
            "kg_extractor_init_s": t_init, "kg_s": t_kg, "floor_s": t_floor,
            "kg_sentences_per_s": sentences / t_kg, "floor_sentences_per_s": sentences / t_floor,
            "jobs1_s": t_j1, "jobs2_s": t_j2, "jobs_speedup": t_j1 / t_j2,
            "events_jobs1": ev1, "events_jobs2": ev2}


# ---------------------------------------------------------------------------
# graphs: Turtle writing, loading, query


def _most_common_pair(events: list[Any]) -> tuple[str, str]:
    c = Counter(tuple(sorted((e.subject, e.object))) for e in events)
    return c.most_common(1)[0][0]  # type: ignore[return-value]


def bench_graph(n_events: int, seed: int, rows: list[dict[str, Any]], workdir: Path,
                query_repeats: int = 0, load_timeout: float = 150.0) -> dict[str, Any]:
    import pyoxigraph as ox
    import rdflib

    from benchmarks.synth import synth_graph
    from kg.query import relations
    from kg.rdf.io import serialize

    size = f"{n_events:,} ev."
    out: dict[str, Any] = {"events_asked": n_events}
    t_build, g = _timed(lambda: synth_graph(n_events, seed))
    t_merge, events = _timed(lambda: g.events)
    out.update(events=len(events), reports=len(g.reports), articles=len(g.articles),
               build_s=t_build, merge_in_graph_s=t_merge)

    _log(f"{size}: kg serialize")
    t_kg, ttl = _timed(lambda: serialize(g))
    t_nt, nt = _timed(lambda: serialize(g, "nt"))
    triples = nt.count("\n")
    out.update(triples=triples, turtle_bytes=len(ttl.encode()), kg_serialize_s=t_kg, kg_ntriples_s=t_nt)

    _log(f"{size}: rdflib parse + serialize ({triples:,} triples)")
    rg = rdflib.Graph()
    t_rparse, _ = _timed(lambda: rg.parse(data=nt, format="nt"))
    t_rser, rttl = _timed(lambda: rg.serialize(format="turtle"))
    out.update(rdflib_parse_s=t_rparse, rdflib_serialize_s=t_rser, rdflib_triples=len(rg),
               rdflib_turtle_bytes=len(rttl.encode()))
    rg = None  # free rdflib's store: millions of live objects would slow every later gc pass
    nt = rttl = ""
    gc.collect()
    _row(rows, "Turtle write (serialize)", size, t_kg, t_rser, "s", "rdflib default store g.serialize('turtle')",
         note=f"{triples:,} triples")

    _log(f"{size}: load")
    path = workdir / f"graph-{n_events}.ttl"
    path.write_text(ttl, encoding="utf-8")  # the bytes save_graph writes
    ttl = ""
    t_ox, quads = _timed(lambda: list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
    out.update(oxigraph_parse_s=t_ox, parsed_triples=len(quads))
    quads = []
    gc.collect()
    # kg's load in a subprocess, so that a slow load cannot stall the whole run
    cmd = [sys.executable, str(Path(__file__).resolve()), "--load-child", str(path)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, timeout=load_timeout)
        child = json.loads(res.stdout.strip().splitlines()[-1])
        out.update(kg_load_s=child["load_s"], loaded_reports=child["reports"], load_timed_out=False)
        _row(rows, "load_graph", size, child["load_s"], t_ox, "s", "pyoxigraph bare parse (list)",
             note=f"rdflib parse of N-Triples: {t_rparse:.1f} s")
    except subprocess.TimeoutExpired:
        out.update(kg_load_s=None, load_timed_out=True, load_timeout_s=load_timeout)
        _row(rows, "load_graph", size, float(load_timeout), t_ox, "s", "pyoxigraph bare parse (list)",
             note=f"TIMED OUT after {load_timeout:.0f} s: kg >= this", lower_bound=True)
    path.unlink()

    if query_repeats:
        a, b = _most_common_pair(events)
        relations(g, a, b)  # warm: events are cached on the graph

        def q_kg() -> int:
            return len(relations(g, a, b))

        def q_floor() -> int:
            return len([e for e in events if (e.subject == a and e.object == b) or (e.subject == b and e.object == a)])

        gc.collect()
        gc.disable()  # one collection before, none inside the timed calls
        try:
            t_q = [_timed_nogc(q_kg) for _ in range(query_repeats)]
            t_f = [_timed_nogc(q_floor) for _ in range(query_repeats)]
        finally:
            gc.enable()
        found = q_kg()
        out["query"] = {"pair": [a, b], "events_found": found, "repeats": query_repeats,
                        "kg_median_ms": statistics.median(t_q) * 1000, "floor_median_ms": statistics.median(t_f) * 1000}
        _row(rows, "query relations(a, b), median", size, statistics.median(t_q) * 1000,
             statistics.median(t_f) * 1000, "ms", "scan of graph.events for the pair",
             note=f"{a}-{b}: {found} events, median of {query_repeats}")
    return out


# ---------------------------------------------------------------------------
# merging, in a fresh process (clean peak memory)


def _hwm_mib() -> float:
    """This process's peak resident memory, MiB (VmHWM: unlike ru_maxrss, not inherited across fork+exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load_child(path: str) -> dict[str, Any]:
    from kg.rdf.io import load_graph

    t, g = _timed(lambda: load_graph(path))
    return {"load_s": t, "reports": len(g.reports), "articles": len(g.articles)}


def _merge_child(n_events: int, seed: int) -> dict[str, Any]:
    import tracemalloc

    from benchmarks.synth import synth_reports
    from kg.graph.merge import merge_events

    _, reports = synth_reports(n_events, seed)
    gc.collect()
    rss_before = _hwm_mib()

    def floor() -> int:
        groups: dict[tuple, list] = defaultdict(list)
        for r in reports:
            groups[(r.subject, r.relation, r.object, r.date or "")].append(r)
        return len(sorted(groups.items(), key=lambda kv: kv[0]))

    t_floor, _ = _timed(floor)
    t_merge, merged = _timed(lambda: merge_events(reports))
    n_merged = len(merged)
    del merged
    gc.collect()
    rss_after = _hwm_mib()
    tracemalloc.start()
    floor()
    _, floor_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    m = merge_events(reports)
    _, merge_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del m
    return {"reports": len(reports), "events": n_merged, "merge_s": t_merge, "floor_s": t_floor,
            "merge_peak_mib": merge_peak / 2**20, "floor_peak_mib": floor_peak / 2**20,
            "peak_rss_before_merge_mib": rss_before, "peak_rss_after_merge_mib": rss_after}


def bench_merge(n_events: int, seed: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--merge-child", str(n_events), "--seed", str(seed)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    size = f"{n_events:,} ev."
    _row(rows, "merge_events: time", size, out["merge_s"], out["floor_s"], "s", "group by (s, rel, o, date) + sort",
         note=f"{out['reports']:,} reports -> {out['events']:,} events")
    _row(rows, "merge_events: peak memory", size, out["merge_peak_mib"], out["floor_peak_mib"], "MiB",
         "same grouping (tracemalloc peak)",
         note=f"process peak RSS {out['peak_rss_before_merge_mib']:.0f} -> {out['peak_rss_after_merge_mib']:.0f} MiB")
    return out


# ---------------------------------------------------------------------------


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    from importlib.metadata import version

    def v(p: str) -> str:
        try:
            return version(p)
        except Exception:
            return "?"

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=ROOT).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "kg"], capture_output=True, text=True,
                                    cwd=ROOT).stdout.strip())
    except OSError:
        commit, dirty = "?", False
    return {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "quick": args.quick,
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "git": commit + ("+dirty kg/" if dirty else ""), "seed": args.seed,
            "versions": {p: v(p) for p in ("kg", "spacy", "rdflib", "pyoxigraph")}}


def _fmt(x: float) -> str:
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 0.1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def _ratio(x: float, prefix: str = "") -> str:
    return f"{prefix}{x:.2f}x" if x >= 0.1 else f"{prefix}{x:.2g}x"


def table(rows: list[dict[str, Any]]) -> str:
    head = ["benchmark", "size", "kg", "floor", "unit", "kg/floor time", "floor is", "note"]
    gt = [">" if r.get("lower_bound") else "" for r in rows]
    body = [[r["benchmark"], r["size"], g + _fmt(r["kg"]), _fmt(r["floor"]), r["unit"], _ratio(r["ratio"], g),
             r["floor_is"], r["note"]] for r, g in zip(rows, gt, strict=True)]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]
    right = {2, 3, 5}

    def line(cells: list[str]) -> str:
        return " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                                    strict=True)))
    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(head), sep, *(line(b) for b in body)])


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    results: dict[str, Any] = {"meta": _meta(args)}
    t0 = time.perf_counter()
    _log(f"extraction over {args.articles} generated articles")
    results["extraction"] = bench_extraction(args.articles, args.seed, rows)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        results["graphs"] = []
        for i, n in enumerate(args.graph_sizes):
            last = i == len(args.graph_sizes) - 1
            results["graphs"].append(bench_graph(n, args.seed, rows, Path(tmp),
                                                 query_repeats=args.query_repeats if last else 0,
                                                 load_timeout=args.load_timeout))
    results["merge"] = []
    for n in args.graph_sizes:
        _log(f"merge {n:,} events (subprocess)")
        results["merge"].append(bench_merge(n, args.seed, rows))
    results["rows"] = rows
    results["meta"]["total_s"] = round(time.perf_counter() - t0, 1)
    results["meta"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes: about a minute")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write the JSON file")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write (default: %(default)s)")
    ap.add_argument("--articles", type=parse_size, help="articles for extraction (default 5k; --quick 300)")
    ap.add_argument("--graph-sizes", type=lambda s: [parse_size(x) for x in s.split(",")],
                    help="events per synthetic graph, comma-separated (default 10k,100k; --quick 10k)")
    ap.add_argument("--query-repeats", type=int, default=20, help="query timings to take the median of")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--load-timeout", type=float, default=90.0,
                    help="seconds kg's load_graph may take per graph before it is reported as a lower bound")
    ap.add_argument("--merge-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--load-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.merge_child is not None:
        print(json.dumps(_merge_child(args.merge_child, args.seed)))
        return 0
    if args.load_child is not None:
        print(json.dumps(_load_child(args.load_child)))
        return 0
    if args.articles is None:
        args.articles = 300 if args.quick else 5000
    if args.graph_sizes is None:
        args.graph_sizes = [10_000] if args.quick else [10_000, 100_000]
    results = run(args)
    print(table(results["rows"]))
    ex = results["extraction"]
    print(f"\nextraction: {ex['articles']} articles, {ex['sentences']:,} sentences, {ex['events']:,} events; "
          f"extractor start-up {ex['kg_extractor_init_s']:.2f} s.  total {results['meta']['total_s']} s; "
          f"kg {results['meta']['git']}; load average {results['meta']['loadavg_at_start'][0]} at start, "
          f"{results['meta']['loadavg_at_end'][0]} at end (2 cores: above ~1, other work competed)")
    if not args.no_write:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
