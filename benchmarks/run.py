"""kg's benchmarks, each figure beside its floor measured in the same run.

    .venv/bin/python benchmarks/run.py            # full: ~10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # 10k-event graphs only: ~1 minute
    .venv/bin/python benchmarks/run.py --scale --extract-memory   # + the Scale issue's figures: ~20 minutes

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
  | a bare scan of graph.events for the pair;
- with ``--scale [SIZE]`` (default 1m events), in fresh processes: merging
  the reports into a DiplomacyGraph (add + merge; time and the process's
  peak RSS) | grouping the same reports; saving it to SQLite | inserting the
  same rows, prebuilt; reopening it | reading the same rows; relations(a, b)
  on the reopened graph | a scan of its events;
- with ``--extract-memory [SIZES]`` (default 10k,100k articles): peak memory
  of ``kg extract FILE --format jsonl --jobs J`` (J = 1, 2) on generated
  corpora of each size | the same at the smallest size; and ``kg build``
  of each corpus into an SQLite graph (time, peak memory).

With ``--scale`` or ``--extract-memory`` a second table sets the Scale
issue's done-when figures beside their targets (merge of 1M events <= 120 s
and <= 6 GB; reopen <= 20 s; extraction memory at 100k within 20% of 10k;
jobs=2 >= 1.7x jobs=1); ``--only PARTS`` runs some parts only
(extraction, graphs, merge, scale, memory).

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
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate, parse_size, write_jsonl  # noqa: E402

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


def _group_floor(reports: list[Any]) -> int:
    """The floor of merging: group the reports by (subject, relation, object, date) and sort the groups."""
    groups: dict[tuple, list] = defaultdict(list)
    for r in reports:
        groups[(r.subject, r.relation, r.object, r.date or "")].append(r)
    return len(sorted(groups.items(), key=lambda kv: kv[0]))


def _merge_child(n_events: int, seed: int) -> dict[str, Any]:
    import tracemalloc

    from benchmarks.synth import synth_reports
    from kg.graph.merge import merge_events

    _, reports = synth_reports(n_events, seed)
    gc.collect()
    rss_before = _hwm_mib()

    t_floor, _ = _timed(lambda: _group_floor(reports))
    t_merge, merged = _timed(lambda: merge_events(reports))
    n_merged = len(merged)
    del merged
    gc.collect()
    rss_after = _hwm_mib()
    tracemalloc.start()
    _group_floor(reports)
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
# scale: a big synthetic graph merged, saved to SQLite and reopened, each in a fresh process

#: the Scale issue's done-when figures
MERGE_TARGET_S = 120.0
MERGE_TARGET_MIB = 6e9 / 2**20  # 6 GB
REOPEN_TARGET_S = 20.0
MEMORY_GROWTH_TARGET = 1.2  # extraction at 100k articles within 20% of 10k
SPEEDUP_TARGET = 1.7
TURTLE_TARGET_S = 30.0
TURTLE_VS_RDFLIB = 5.0
QUERY_TARGET_MS = 100.0
EXTRACT_RATE_TARGET = 2500.0  # sentences per second per core


def _scale_child(n_events: int, seed: int, path: str) -> dict[str, Any]:
    """Merge ``n_events`` synthetic events into a DiplomacyGraph, then save it to the SQLite file ``path``."""
    import sqlite3

    from benchmarks.synth import synth_reports
    from kg.graph.store import DiplomacyGraph
    from kg.store.sqlite import SqliteStore, create_tables

    articles, reports = synth_reports(n_events, seed)
    by_article: dict[str, list[Any]] = defaultdict(list)
    for r in reports:
        by_article[r.article].append(r)
    gc.collect()
    rss_inputs = _hwm_mib()

    t_floor, _ = _timed(lambda: _group_floor(reports))
    gc.collect()
    g = DiplomacyGraph()

    def add() -> None:
        for a in articles:
            g.add(a, by_article.pop(a.id, []))

    t_add, _ = _timed(add)
    t_merge, events = _timed(lambda: g.events)
    rss_merged = _hwm_mib()
    out: dict[str, Any] = {"events_asked": n_events, "reports": len(g.reports), "articles": len(g.articles),
                           "events": len(events), "add_s": t_add, "merge_s": t_merge, "merge_floor_s": t_floor,
                           "peak_rss_inputs_mib": rss_inputs, "peak_rss_merged_mib": rss_merged}
    articles.clear()  # the graph holds what is still needed
    reports.clear()
    t_save, _ = _timed(lambda: SqliteStore(path).save(g))
    out.update(save_s=t_save, sqlite_bytes=Path(path).stat().st_size)
    # the Turtle file of the same graph, as 'kg build' writes it (a second core renders part of it)
    from kg.rdf.io import save_graph

    ttl_path = Path(path).with_suffix(".ttl")
    cpu0 = time.process_time()
    t_ttl, _ = _timed(lambda: save_graph(g, ttl_path))
    out.update(turtle_save_s=t_ttl, turtle_save_main_cpu_s=time.process_time() - cpu0,
               turtle_bytes=ttl_path.stat().st_size, turtle_cores=_cpus_used(len(events)))
    ttl_path.unlink()

    # floor of the save: the same rows, prebuilt as tuples, inserted into the same tables in one transaction
    arts = [(i, a.id, a.title, a.published, a.url) for i, a in enumerate(g.articles.values())]
    seq = {aid: i for i, aid in enumerate(g.articles)}
    evs = [(i, e.id, e.subject, e.relation, e.object, e.date, e.cameo, " ".join(e.conflicts))
           for i, e in enumerate(events)]
    reps = [(i, rid, seq[r.article], r.date, r.sentence, r.span[0], r.span[1], r.evidence, r.confidence, r.cameo)
            for i, e in enumerate(events) for rid, r in ((f"{i:016x}", r) for r in e.reports)]
    floor_path = Path(path).with_suffix(".floor.sqlite")

    def bare_save() -> None:
        con = sqlite3.connect(floor_path, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("BEGIN IMMEDIATE")
        create_tables(con)
        con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", arts)
        con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", evs)
        con.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reps)
        con.execute("COMMIT")
        con.close()

    t_bare, _ = _timed(bare_save)
    for suffix in ("", "-wal", "-shm"):
        Path(str(floor_path) + suffix).unlink(missing_ok=True)
    out.update(save_floor_s=t_bare, peak_rss_mib=_hwm_mib())
    return out


def _cpus_used(events: int) -> int:
    """Processes the Turtle writer uses for a graph of ``events`` events (2 when it forks a renderer)."""
    from kg.rdf import templates

    forks = events >= templates.FORK_MIN_EVENTS and templates._cpus() >= 2 and hasattr(os, "fork")
    return 2 if forks else 1


def _reopen_child(path: str, repeats: int) -> dict[str, Any]:
    """Reopen the SQLite graph ``path`` (after a bare read of its rows, the floor) and query one pair."""
    import sqlite3

    from kg.query import relations
    from kg.store import open_store

    def bare_read() -> int:
        con = sqlite3.connect(path)
        n = 0
        for table in ("articles", "events", "reports"):
            for _row in con.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # fixed table names
                n += 1
        con.close()
        return n

    t_floor, rows = _timed(bare_read)
    gc.collect()
    t_open, g = _timed(lambda: open_store(path).load())
    t_events, events = _timed(lambda: g.events)
    a, b = _most_common_pair(events)
    t_first, found = _timed(lambda: len(relations(g, a, b)))  # builds the pair index

    def q_floor() -> int:
        return len([e for e in events if (e.subject == a and e.object == b) or (e.subject == b and e.object == a)])

    gc.collect()
    gc.disable()
    try:
        t_q = [_timed_nogc(lambda: relations(g, a, b)) for _ in range(repeats)]
        t_f = [_timed_nogc(q_floor) for _ in range(repeats)]
    finally:
        gc.enable()
    return {"rows": rows, "read_floor_s": t_floor, "reopen_s": t_open, "events_after_open_s": t_events,
            "events": len(events), "reports": len(g.reports), "articles": len(g.articles),
            "query": {"pair": [a, b], "events_found": found, "first_ms": t_first * 1000, "repeats": repeats,
                      "kg_median_ms": statistics.median(t_q) * 1000,
                      "floor_median_ms": statistics.median(t_f) * 1000},
            "peak_rss_mib": _hwm_mib()}


def _child(args: list[str], timeout: float | None = None) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if res.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def bench_scale(n_events: int, seed: int, rows: list[dict[str, Any]], workdir: Path,
                query_repeats: int = 20) -> dict[str, Any]:
    """Merge, SQLite save and reopen of a graph of ``n_events`` synthetic events, and a pair query on it."""
    size = f"{n_events:,} ev."
    path = workdir / f"scale-{n_events}.sqlite"
    _log(f"scale {size}: merge into a graph, save to SQLite (subprocess)")
    out = _child(["--scale-child", str(n_events), "--seed", str(seed), "--path", str(path)])
    _log(f"scale {size}: reopen (subprocess)")
    out["reopen"] = _child(["--reopen-child", str(path), "--query-repeats", str(query_repeats)])
    cli = [sys.executable, "-m", "kg.cli", "relations", *out["reopen"]["query"]["pair"], "--graph", str(path),
           "--format", "csv"]
    t = time.perf_counter()
    subprocess.run(cli, capture_output=True, check=True, cwd=ROOT)
    out["cli_relations_s"] = time.perf_counter() - t
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    ro = out["reopen"]
    _row(rows, "scale: merge into graph (add+merge)", size, out["add_s"] + out["merge_s"], out["merge_floor_s"], "s",
         "group by (s, rel, o, date) + sort",
         note=f"add {out['add_s']:.1f} s + merge {out['merge_s']:.1f} s; {out['reports']:,} reports -> "
              f"{out['events']:,} events")
    _row(rows, "scale: merge peak memory (RSS)", size, out["peak_rss_merged_mib"], out["peak_rss_inputs_mib"], "MiB",
         "the process holding the reports only", note="process peak RSS (VmHWM)")
    _row(rows, "scale: SQLite save", size, out["save_s"], out["save_floor_s"], "s",
         "same rows prebuilt, executemany", note=f"{out['sqlite_bytes'] / 2**20:,.0f} MiB file")
    _row(rows, "scale: Turtle save_graph", size, out["turtle_save_s"], out["save_s"], "s",
         "SQLite save of the same graph",
         note=f"{out['turtle_bytes'] / 2**20:,.0f} MiB; "
              f"{'2 processes' if out['turtle_cores'] > 1 else 'one process'}; "
              f"main CPU {out['turtle_save_main_cpu_s']:.1f} s")
    _row(rows, "scale: SQLite reopen", size, ro["reopen_s"], ro["read_floor_s"], "s", "bare read of the same rows",
         note=f"fresh process, peak RSS {ro['peak_rss_mib']:,.0f} MiB; 'kg relations' CLI {out['cli_relations_s']:.1f}"
              " s")
    q = ro["query"]
    _row(rows, "scale: relations(a, b) reopened, median", size, q["kg_median_ms"], q["floor_median_ms"], "ms",
         "scan of graph.events for the pair",
         note=f"{q['pair'][0]}-{q['pair'][1]}: {q['events_found']} events; first call {q['first_ms']:.0f} ms "
              "(builds the pair index)")
    return out


# ---------------------------------------------------------------------------
# memory of extraction and build over generated corpora, measured from outside the process tree


def _tree(pid: int) -> list[int]:
    out, i = [pid], 0
    while i < len(out):
        try:
            with open(f"/proc/{out[i]}/task/{out[i]}/children", encoding="ascii") as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
        i += 1
    return out


def _rss_pss_kib(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def measure_command(cmd: list[str], every: float = 0.2) -> dict[str, Any]:
    """Run ``cmd`` (stdout to /dev/null): wall and CPU time, the largest process's peak RSS
    (wait4), and the peak over samples of the whole process tree's RSS and PSS (PSS counts the
    pages forked workers share with their parent once)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = {"rss": 0, "pss": 0, "procs": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            mem = [_rss_pss_kib(p) for p in _tree(proc.pid)]
            peak["rss"] = max(peak["rss"], sum(m[0] for m in mem))
            peak["pss"] = max(peak["pss"], sum(m[1] for m in mem))
            peak["procs"] = max(peak["procs"], len(mem))
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")  # drained while it runs: a full pipe would block it
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-3000:]}")
    return {"wall_s": time.perf_counter() - t, "cpu_s": ru.ru_utime + ru.ru_stime, "max_rss_mib": ru.ru_maxrss / 1024,
            "tree_rss_mib": peak["rss"] / 1024, "tree_pss_mib": peak["pss"] / 1024, "processes": peak["procs"],
            "stderr_tail": err.strip().splitlines()[-1:] if err.strip() else []}


def bench_extract_memory(sizes: list[int], seed: int, rows: list[dict[str, Any]], workdir: Path,
                         jobs: tuple[int, ...] = (1, 2), build: bool = True) -> dict[str, Any]:
    """Peak memory of ``kg extract`` (and ``kg build`` into SQLite) over generated corpora of each size."""
    kg = [sys.executable, "-m", "kg.cli"]
    out: dict[str, Any] = {"sizes": sizes, "extract": {}, "build": {}}
    for n in sizes:
        corpus_path = workdir / f"corpus-{n}.jsonl"
        _log(f"memory: generating {n:,} articles")
        write_jsonl(corpus_path, n, seed)
        for j in jobs:
            _log(f"memory: kg extract {n:,} articles --jobs {j}")
            out["extract"][f"{n}/{j}"] = measure_command([*kg, "extract", str(corpus_path), "--format", "jsonl",
                                                          "--jobs", str(j)])
        if build:
            graph = workdir / f"build-{n}.sqlite"
            _log(f"memory: kg build {n:,} articles --jobs {jobs[-1]} into SQLite")
            out["build"][str(n)] = m = measure_command([*kg, "build", str(corpus_path), "--graph", str(graph),
                                                        "--no-diagrams", "--jobs", str(jobs[-1])])
            m["sqlite_bytes"] = graph.stat().st_size
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(str(graph) + suffix).unlink(missing_ok=True)
        corpus_path.unlink()
    small, big = min(sizes), max(sizes)
    if small == big:
        return out
    for j in jobs:
        a, b = out["extract"][f"{small}/{j}"], out["extract"][f"{big}/{j}"]
        _row(rows, f"extract --jobs {j}: peak memory (PSS)", f"{big:,} art.", b["tree_pss_mib"], a["tree_pss_mib"],
             "MiB", f"the same at {small:,} articles",
             note=f"largest process RSS {a['max_rss_mib']:.0f} -> {b['max_rss_mib']:.0f} MiB; tree RSS "
                  f"{a['tree_rss_mib']:.0f} -> {b['tree_rss_mib']:.0f} MiB; {b['wall_s']:.0f} s")
    if len(jobs) > 1:
        j1, j2 = out["extract"][f"{big}/{jobs[0]}"], out["extract"][f"{big}/{jobs[-1]}"]
        out["speedup_big"] = j1["wall_s"] / j2["wall_s"]
    if build:
        a, b = out["build"][str(small)], out["build"][str(big)]
        _row(rows, "kg build into SQLite: peak memory (PSS)", f"{big:,} art.", b["tree_pss_mib"], a["tree_pss_mib"],
             "MiB", f"the same at {small:,} articles",
             note=f"{b['wall_s']:.0f} s (vs {a['wall_s']:.0f} s); largest process RSS {a['max_rss_mib']:.0f} -> "
                  f"{b['max_rss_mib']:.0f} MiB; {' '.join(b['stderr_tail']).split(' in /')[0]}")
    return out


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The Scale issue's done-when figures measured in this run, each with its target and whether it is met."""
    out: list[dict[str, Any]] = []

    def add(figure: str, value: float, target: float, unit: str, at_most: bool = True) -> None:
        met = value <= target if at_most else value >= target
        out.append({"figure": figure, "value": value, "target": target, "unit": unit,
                    "target_is": "at most" if at_most else "at least", "met": met})

    sc = results.get("scale")
    if sc:
        n = f"{sc['events']:,} events"
        add(f"merge {n} into a graph: time", sc["add_s"] + sc["merge_s"], MERGE_TARGET_S, "s")
        add(f"merge {n}: peak memory (process RSS)", sc["peak_rss_merged_mib"], MERGE_TARGET_MIB, "MiB")
        add(f"reopen the SQLite graph of {n}", sc["reopen"]["reopen_s"], REOPEN_TARGET_S, "s")
        add(f"write the Turtle of {n}", sc["turtle_save_s"], TURTLE_TARGET_S, "s")
        add(f"relations(a, b) on {n}, median", sc["reopen"]["query"]["kg_median_ms"], QUERY_TARGET_MS, "ms")
    for g in results.get("graphs", []):
        if g.get("rdflib_serialize_s") and g.get("kg_serialize_s"):
            add(f"Turtle write, {g['events']:,} events: rdflib time / kg time", g["rdflib_serialize_s"] /
                g["kg_serialize_s"], TURTLE_VS_RDFLIB, "x", at_most=False)
    mem = results.get("extract_memory")
    if mem and len(set(mem["sizes"])) > 1:
        small, big = min(mem["sizes"]), max(mem["sizes"])
        for key in sorted({k.split("/")[1] for k in mem["extract"]}):
            a, b = mem["extract"][f"{small}/{key}"], mem["extract"][f"{big}/{key}"]
            add(f"extract --jobs {key}: peak memory {big:,} / {small:,} articles (PSS)",
                b["tree_pss_mib"] / a["tree_pss_mib"], MEMORY_GROWTH_TARGET, "x")
            add(f"extract --jobs {key}: largest process RSS {big:,} / {small:,} articles",
                b["max_rss_mib"] / a["max_rss_mib"], MEMORY_GROWTH_TARGET, "x")
    ex = results.get("extraction")
    if ex:
        add(f"extraction, one process ({ex['articles']:,} generated articles)", ex["kg_sentences_per_s"],
            EXTRACT_RATE_TARGET, "sent/s", at_most=False)
        add(f"extract_stream jobs=2 speed-up ({ex['articles']:,} articles)", ex["jobs_speedup"], SPEEDUP_TARGET, "x",
            at_most=False)
    if mem and "speedup_big" in mem:
        add(f"kg extract --jobs 2 speed-up ({max(mem['sizes']):,} articles)", mem["speedup_big"], SPEEDUP_TARGET,
            "x", at_most=False)
    return out


def targets_table(items: list[dict[str, Any]]) -> str:
    head = ["done-when figure", "measured", "target", "met"]
    body = [[t["figure"], f"{_fmt(t['value'])} {t['unit']}",
             f"{'<=' if t['target_is'] == 'at most' else '>='} {_fmt(t['target'])} {t['unit']}",
             "yes" if t["met"] else "NO"] for t in items]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=False)]
    lines = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in (head, *body)]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


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


PARTS = ("extraction", "graphs", "merge", "scale", "memory")


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    results: dict[str, Any] = {"meta": _meta(args)}
    parts = args.parts
    t0 = time.perf_counter()
    if "extraction" in parts:
        _log(f"extraction over {args.articles} generated articles")
        results["extraction"] = bench_extraction(args.articles, args.seed, rows)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        # the Scale parts first: rdflib's graphs below leave this process gigabytes bigger, which a big
        # merge or reopen in a child process would have to compete with
        if "scale" in parts:
            results["scale"] = bench_scale(args.scale, args.seed, rows, Path(tmp), query_repeats=args.query_repeats)
        if "memory" in parts:
            results["extract_memory"] = bench_extract_memory(args.extract_memory, args.seed, rows, Path(tmp))
        if "graphs" in parts:
            results["graphs"] = []
            for i, n in enumerate(args.graph_sizes):
                last = i == len(args.graph_sizes) - 1
                results["graphs"].append(bench_graph(n, args.seed, rows, Path(tmp),
                                                     query_repeats=args.query_repeats if last else 0,
                                                     load_timeout=args.load_timeout))
        if "merge" in parts:
            results["merge"] = []
            for n in args.graph_sizes:
                _log(f"merge {n:,} events (subprocess)")
                results["merge"].append(bench_merge(n, args.seed, rows))
    results["rows"] = rows
    if "scale" in parts or "memory" in parts:
        results["targets"] = targets(results)
    results["meta"]["total_s"] = round(time.perf_counter() - t0, 1)
    results["meta"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def _sizes(s: str) -> list[int]:
    return [parse_size(x) for x in s.split(",")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes: about a minute")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write the JSON file")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write (default: %(default)s)")
    ap.add_argument("--articles", type=parse_size, help="articles for extraction (default 5k; --quick 300)")
    ap.add_argument("--graph-sizes", type=_sizes,
                    help="events per synthetic graph, comma-separated (default 10k,100k; --quick 10k)")
    ap.add_argument("--query-repeats", type=int, default=20, help="query timings to take the median of")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--load-timeout", type=float, default=90.0,
                    help="seconds kg's load_graph may take per graph before it is reported as a lower bound")
    ap.add_argument("--scale", type=parse_size, nargs="?", const=1_000_000, metavar="EVENTS",
                    help="also merge, save to SQLite and reopen a synthetic graph of EVENTS events (default 1m): "
                         "about 3 minutes")
    ap.add_argument("--extract-memory", type=_sizes, nargs="?", const=[10_000, 100_000], metavar="SIZES",
                    help="also measure the peak memory of 'kg extract' (--jobs 1, 2) and 'kg build' on generated "
                         "corpora of SIZES articles (default 10k,100k): about 8 minutes")
    ap.add_argument("--only", type=lambda s: [p.strip() for p in s.split(",")], metavar="PARTS",
                    help=f"run these parts only, comma-separated: {', '.join(PARTS)} (scale and memory use the "
                         "default sizes unless --scale / --extract-memory give others)")
    ap.add_argument("--merge-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--load-child", help=argparse.SUPPRESS)
    ap.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--reopen-child", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.merge_child is not None:
        print(json.dumps(_merge_child(args.merge_child, args.seed)))
        return 0
    if args.load_child is not None:
        print(json.dumps(_load_child(args.load_child)))
        return 0
    if args.scale_child is not None:
        print(json.dumps(_scale_child(args.scale_child, args.seed, args.path)))
        return 0
    if args.reopen_child is not None:
        print(json.dumps(_reopen_child(args.reopen_child, args.query_repeats)))
        return 0
    if args.articles is None:
        args.articles = 300 if args.quick else 5000
    if args.graph_sizes is None:
        args.graph_sizes = [10_000] if args.quick else [10_000, 100_000]
    if args.only:
        unknown = [p for p in args.only if p not in PARTS]
        if unknown:
            ap.error(f"unknown part(s) {', '.join(unknown)}; valid: {', '.join(PARTS)}")
        args.parts = args.only
    else:
        args.parts = ["extraction", "graphs", "merge"] + ["scale"] * (args.scale is not None) \
            + ["memory"] * (args.extract_memory is not None)
    if args.scale is None:
        args.scale = 1_000_000
    if args.extract_memory is None:
        args.extract_memory = [10_000, 100_000]
    results = run(args)
    print(table(results["rows"]))
    if results.get("targets"):
        print("\nThe Scale issue's done-when figures:\n" + targets_table(results["targets"]))
    meta = results["meta"]
    ex = results.get("extraction")
    if ex:
        print(f"\nextraction: {ex['articles']} articles, {ex['sentences']:,} sentences, {ex['events']:,} events; "
              f"extractor start-up {ex['kg_extractor_init_s']:.2f} s.")
    print(f"total {meta['total_s']} s; kg {meta['git']}; load average {meta['loadavg_at_start'][0]} at start, "
          f"{meta['loadavg_at_end'][0]} at end (2 cores: above ~1, other work competed)")
    if not args.no_write:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
