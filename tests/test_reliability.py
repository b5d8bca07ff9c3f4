"""No data loss: atomic graph writes, builds serialised by the lock, builds killed midway.

The graph file is the one thing kg must never lose.  These tests break writes
in-process at every step of :func:`kg.rdf.io.atomic_write`, run real ``kg
build`` processes on one graph at once, and SIGKILL real builds at chosen
points (a small runner script installs a hook that says "now" and, where the
point is a pause, waits there to be killed).  After each, the previous graph
must be byte-identical and load, and the lock must be free.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib

from kg.api import graph_lock
from kg.errors import GraphError
from kg.graph import DiplomacyGraph
from kg.model import Article, Event
from kg.rdf import io as rdf_io
from kg.rdf.io import atomic_write, load_graph, save_graph

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
_SCRIPT = Path(sys.executable).with_name("kg")
KG_COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kg.cli"]

#: Sentences the extractor turns into events; {d} is a day of May 2021.
TEMPLATES = [
    "Russia and France signed a trade agreement in Paris on {d} May 2021.",
    "Chile recalled its ambassador from Peru on {d} May 2021 after a row over fishing rights.",
    "Kenya and Tanzania signed an agreement on {d} May 2021 to settle a dispute over their border.",
    "Japan condemned North Korea on {d} May 2021 after a missile test over the sea.",
]


def base_graph() -> DiplomacyGraph:
    """The 'previous' graph: two articles, three events (built directly: no extractor needed)."""
    g = DiplomacyGraph()
    g.add(Article("base-1", "", title="Moscow and Pyongyang", url="https://example.org/base-1"),
          [Event.make("base-1", "SUN", "recognize", "PRK", date="1948-10-12", evidence="recognized", confidence=0.8),
           Event.make("base-1", "RUS", "meet", "PRK", date="2023-09", evidence="met", confidence=0.7)])
    g.add(Article("base-2", ""), [Event.make("base-2", "USA", "criticize", "RUS", evidence="criticized")])
    return g


def write_corpus(path: Path, n: int, prefix: str) -> Path:
    """A JSON Lines corpus of ``n`` small articles of ours, ids ``PREFIX-i``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = TEMPLATES[i % len(TEMPLATES)].format(d=1 + i % 28)
            f.write(json.dumps({"id": f"{prefix}-{i}", "published": "2021-06-01", "title": f"{prefix} {i}",
                                "text": text}) + "\n")
    return path


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3000 articles: long enough a build to kill while it extracts."""
    return write_corpus(tmp_path_factory.mktemp("big") / "big.jsonl", 3000, "big")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("small") / "small.jsonl", 12, "small")


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    g = tmp_path / "graphs" / "g.ttl"
    save_graph(base_graph(), g)
    return g


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def temp_files(folder: Path) -> set[str]:
    return {n for n in listing(folder) if n.endswith(".tmp")}


def wait_for(cond: Callable[[], object], timeout: float = 60, what: str = "condition",
             proc: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process ended (rc {proc.returncode}) before {what}: "
                                 f"{proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def flocks(lock: Path) -> tuple[set[int], set[int]]:
    """(pids holding, pids waiting for) the flock on ``lock``, from /proc/locks."""
    st = lock.stat()
    me = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    held: set[int] = set()
    waiting: set[int] = set()
    for line in Path("/proc/locks").read_text().splitlines():
        f = line.split()
        blocked = len(f) > 1 and f[1] == "->"
        if blocked:
            f = [f[0], *f[2:]]
        if len(f) >= 6 and f[1] == "FLOCK" and f[5] == me:
            (waiting if blocked else held).add(int(f[4]))
    return held, waiting


def lock_is_free(gpath: Path) -> bool:
    """Whether nobody holds the graph's lock (taken and given back at once, without waiting)."""
    fd = os.open(gpath.with_name(gpath.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases the lock
    return True


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


needs_proc_locks = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")


# -- atomic writes, broken in-process ---------------------------------------------------------------

class Boom(RuntimeError):
    pass


def _half_then_raise(blocks, out, *args, **kwargs):
    """A Turtle writer that writes some of the graph, then fails."""
    import io

    from kg.rdf.turtle import write_turtle_blocks

    buf = io.StringIO()
    write_turtle_blocks(blocks, buf, *args, **kwargs)
    out.write(buf.getvalue()[: len(buf.getvalue()) // 2])
    raise Boom("serializer failed midway")


class _HalfFile:
    """A temp file whose write() stores half the data, then fails as a full disk would."""

    def __init__(self, f):
        self.f = f

    def write(self, data: bytes) -> int:
        self.f.write(data[: len(data) // 2])
        self.f.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.f.close()


def _failing(exc: BaseException):
    def fail(*_a, **_k):
        raise exc
    return fail


def _break(monkeypatch: pytest.MonkeyPatch, where: str) -> type[BaseException]:
    """Make the next graph write fail at ``where``; returns the exception type expected."""
    if where == "serializer":
        monkeypatch.setattr(rdf_io, "write_turtle_blocks", _half_then_raise)
        return Boom
    if where == "write":
        real = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _HalfFile(real(fd, *a, **k)))
        return GraphError  # the OSError, named with the file in one line
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", _failing(OSError(errno.EIO, os.strerror(errno.EIO))))
        return GraphError
    if where == "rename":
        monkeypatch.setattr(os, "replace", _failing(OSError(errno.EXDEV, os.strerror(errno.EXDEV))))
        return GraphError
    if where == "interrupt":  # Ctrl-C while writing: a BaseException, cleaned up too
        monkeypatch.setattr(os, "fsync", _failing(KeyboardInterrupt()))
        return KeyboardInterrupt
    raise AssertionError(where)


FAIL_POINTS = ["serializer", "write", "fsync", "rename", "interrupt"]


@pytest.mark.parametrize("where", FAIL_POINTS)
def test_a_failed_write_leaves_the_previous_graph_byte_identical(graph: Path, monkeypatch, where: str) -> None:
    before = graph.read_bytes()
    files = listing(graph.parent)
    bigger = base_graph()
    bigger.add(Article("new-1", "", title="new"), [Event.make("new-1", "FRA", "meet", "DEU", date="2021")])
    with monkeypatch.context() as m:
        expected = _break(m, where)
        with pytest.raises(expected):
            save_graph(bigger, graph)
    assert graph.read_bytes() == before
    assert listing(graph.parent) == files, "a temp file was left behind"
    assert set(load_graph(graph).articles) == {"base-1", "base-2"}
    save_graph(bigger, graph)  # and the next write works
    assert set(load_graph(graph).articles) == {"base-1", "base-2", "new-1"}


@pytest.mark.parametrize("where", ["write", "fsync", "rename"])
def test_a_failed_first_write_leaves_no_file_at_all(tmp_path: Path, monkeypatch, where: str) -> None:
    out = tmp_path / "g.ttl"
    with monkeypatch.context() as m:
        expected = _break(m, where)
        with pytest.raises(expected):
            atomic_write(out, b"@prefix x: <http://x/> .\n")
    assert listing(tmp_path) == set()


def test_atomic_write_keeps_the_file_mode(graph: Path) -> None:
    graph.chmod(0o600)
    save_graph(base_graph(), graph)
    assert graph.stat().st_mode & 0o777 == 0o600


def test_a_full_disk_is_a_one_line_error_naming_the_file(graph: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from kg.cli import main

    out = tmp_path / "out.ttl"
    monkeypatch.setattr(os, "fsync", _failing(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    rc = main(["export", "--graph", str(graph), "--format", "turtle", "-o", str(out)])
    err = capsys.readouterr().err
    assert not out.exists() and temp_files(tmp_path) == set()
    assert rc == 1
    assert "internal error" not in err and str(out) in err and "No space left" in err


def test_a_failed_build_gives_the_lock_back(graph: Path, small_corpus: Path, monkeypatch) -> None:
    """The write fails inside api.build: the lock is released, the graph untouched."""
    from kg import api

    before = graph.read_bytes()
    monkeypatch.setattr(api, "extract", lambda *a, **k: iter([(Article("x-1", "t"), [])]))
    monkeypatch.setattr(os, "fsync", _failing(OSError(errno.EIO, os.strerror(errno.EIO))))
    with pytest.raises(GraphError, match="Input/output error"):
        api.build([small_corpus], graph=graph, diagrams=False)
    assert graph.read_bytes() == before
    assert lock_is_free(graph)
    assert temp_files(graph.parent) == set()


# -- two builds at once ------------------------------------------------------------------------------

@needs_proc_locks
def test_two_builds_on_one_graph_are_serialised_not_interleaved(tmp_path: Path, graph: Path) -> None:
    """Two real ``kg build`` runs with different sources: both wait for the lock; the graph gets both."""
    a = tmp_path / "src-a"
    a.mkdir()
    for i, t in enumerate(TEMPLATES[:3]):
        (a / f"a-{i}.txt").write_text(t.format(d=10 + i) + "\n", encoding="utf-8")
    b = write_corpus(tmp_path / "src-b" / "b.jsonl", 5, "b")
    before = graph.read_bytes()
    lock = graph.with_name(graph.name + ".lock")
    procs: list[subprocess.Popen] = []
    try:
        with graph_lock(graph):  # hold it, so that both builds are surely waiting at the same time
            for src in (a, b):
                procs.append(subprocess.Popen([*KG_COMMAND, "build", str(src), "--graph", str(graph),
                                               "--no-diagrams"], env=ENV, stdin=subprocess.DEVNULL,
                                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            wait_for(lambda: flocks(lock)[1] >= {p.pid for p in procs}, what="both builds to wait for the lock")
            assert graph.read_bytes() == before  # nobody writes without the lock
        outs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                kill(p)
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    g = load_graph(graph)
    want = {"base-1", "base-2", "a-0", "a-1", "a-2", *(f"b-{i}" for i in range(5))}
    assert set(g.articles) == want  # neither build lost the other's articles
    with_events = {r.article for r in g.reports.values()}
    assert with_events & {"a-0", "a-1", "a-2"} and with_events & {f"b-{i}" for i in range(5)}  # nor their events
    assert len(rdflib.Graph().parse(graph, format="turtle")) > 0
    assert temp_files(graph.parent) == set() and lock_is_free(graph)


# -- builds killed midway ----------------------------------------------------------------------------

RUNNER = r"""
# Run the kg CLI in this process with a hook at one point of a build: touch MARKER there.
# KG_TEST_FAKE_EXTRACT=1 replaces extraction by one event per corpus line (no spaCy to load), for the
# points after extraction, where only the write matters.
import json, os, sys, time
from pathlib import Path

hook, marker = os.environ["KG_TEST_HOOK"], Path(os.environ["KG_TEST_MARKER"])

def signal_and_wait(pause=True):
    marker.write_text(str(os.getpid()))
    while pause:
        time.sleep(0.5)

if os.environ.get("KG_TEST_FAKE_EXTRACT"):
    import kg.api
    from kg.model import Article, Event
    def extract(paths, jobs=1, on_error=None, **_):
        for p in paths:
            for i, line in enumerate(Path(p).read_text(encoding="utf-8").splitlines()):
                d = json.loads(line)
                yield (Article(d["id"], d["text"], title=d["title"]),
                       [Event.make(d["id"], "FRA", "meet", "RUS", date=f"2021-05-{1 + i % 28:02d}",
                                   evidence=d["text"][:40])])
    kg.api.extract = extract

if hook == "extracting":  # the 100th article merged: extraction well under way; keep running
    from kg.graph import store
    real_add, seen = store.DiplomacyGraph.add, [0]
    def add(self, *a, **k):
        seen[0] += 1
        if seen[0] == 100:
            signal_and_wait(pause=False)
        return real_add(self, *a, **k)
    store.DiplomacyGraph.add = add
elif hook == "serializing":  # the Turtle streamed into the temp file, not yet flushed and renamed
    import kg.rdf.io as rio
    real_wt = rio.write_turtle_blocks
    def wt(blocks, out, *a, **k):
        n = real_wt(blocks, out, *a, **k)
        signal_and_wait()
        return n
    rio.write_turtle_blocks = wt
elif hook == "writing":  # half of the bytes in the temp file
    real_fdopen = os.fdopen
    class Half:
        def __init__(self, f): self.f = f
        def write(self, data):
            self.f.write(data[: len(data) // 2]); self.f.flush(); os.fsync(self.f.fileno())
            signal_and_wait()
        def __getattr__(self, n): return getattr(self.f, n)
        def __enter__(self): return self
        def __exit__(self, *e): self.f.close()
    def fdopen(fd, *a, **k):
        f = real_fdopen(fd, *a, **k)
        return Half(f) if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") else f
    os.fdopen = fdopen
elif hook in ("renaming", "renamed"):  # the temp file complete, just before (or after) the rename
    real_replace = os.replace
    def replace(src, dst, *a, **k):
        if hook == "renaming":
            signal_and_wait()
        real_replace(src, dst, *a, **k)
        signal_and_wait()
    os.replace = replace
elif hook == "workers":  # --jobs: the workers start and stay busy on their first batch
    import kg.parallel
    def work(batch):
        signal_and_wait()
    kg.parallel._init = lambda: None
    kg.parallel._work = work

from kg.cli import main
sys.exit(main(sys.argv[1:]))
"""


@contextmanager
def running(args: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(args, env=env or ENV, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            kill(proc)


def hooked(tmp_path: Path, point: str, fake_extract: bool) -> tuple[list[str], dict[str, str], Path]:
    """The command line and environment of a build with a hook at ``point``, and its marker file."""
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    marker = tmp_path / "marker"
    env = {**ENV, "KG_TEST_HOOK": point, "KG_TEST_MARKER": str(marker)}
    if fake_extract:
        env["KG_TEST_FAKE_EXTRACT"] = "1"
    return [sys.executable, str(runner)], env, marker


def check_intact(graph: Path, before: bytes, leftovers: int = 0) -> None:
    """The previous graph, byte for byte, loadable, its lock free; ``leftovers`` temp files of the dead writer."""
    assert graph.read_bytes() == before
    assert set(load_graph(graph).articles) == {"base-1", "base-2"}
    assert lock_is_free(graph)
    assert listing(graph.parent) - {graph.name, graph.name + ".lock"} == temp_files(graph.parent)
    assert len(temp_files(graph.parent)) == leftovers


@pytest.mark.parametrize("point", ["extracting", "serializing", "writing", "renaming", "renamed"])
def test_a_build_killed_at_a_point_leaves_the_old_graph_or_the_new_one(tmp_path: Path, graph: Path, point: str,
                                                                       big_corpus: Path, small_corpus: Path) -> None:
    """SIGKILL while extracting (real extraction of 3000 articles), and at each step of the write."""
    cmd, env, marker = hooked(tmp_path, point, fake_extract=point != "extracting")
    corpus = big_corpus if point == "extracting" else small_corpus
    before = graph.read_bytes()
    with running([*cmd, "build", str(corpus), "--graph", str(graph), "--no-diagrams"], env) as proc:
        wait_for(marker.exists, what=f"the build to reach {point!r}", proc=proc)
        kill(proc)
    if point == "renamed":  # killed after the rename: the new graph, complete
        g = load_graph(graph)
        assert set(g.articles) == {"base-1", "base-2", *(f"small-{i}" for i in range(12))}
        assert lock_is_free(graph) and temp_files(graph.parent) == set()
        return
    # a SIGKILL cannot clean up: the dead writer's temp file stays (hidden, beside the graph)
    check_intact(graph, before, leftovers=1 if point in ("serializing", "writing", "renaming") else 0)


@needs_proc_locks
@pytest.mark.parametrize("when", ["starting", "locked"])
def test_a_real_kg_build_killed_while_it_runs_loses_nothing(graph: Path, big_corpus: Path, when: str) -> None:
    """The real ``kg`` command, no hooks: SIGKILL at startup, and once it holds the lock (loading, extracting)."""
    before = graph.read_bytes()
    lock = graph.with_name(graph.name + ".lock")
    with running([*KG_COMMAND, "build", str(big_corpus), "--graph", str(graph), "--no-diagrams"]) as proc:
        if when == "starting":
            time.sleep(0.2)
        else:
            wait_for(lambda: lock.exists() and proc.pid in flocks(lock)[0], what="the build to take the lock",
                     proc=proc)
            time.sleep(1.5)  # loading the extractor and extracting: the corpus takes several seconds
            assert proc.poll() is None, "the build ended before it could be killed"
        kill(proc)
    check_intact(graph, before)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@needs_proc_locks
def test_a_parallel_build_killed_gives_the_lock_back_at_once(tmp_path: Path, graph: Path,
                                                             small_corpus: Path) -> None:
    cmd, env, marker = hooked(tmp_path, "workers", fake_extract=False)
    before = graph.read_bytes()
    workers: list[int] = []
    try:
        with running([*cmd, "build", str(small_corpus), "--graph", str(graph), "--no-diagrams", "--jobs", "2"],
                     env) as proc:
            wait_for(marker.exists, what="a worker to start its batch", proc=proc)
            workers = [int(x) for x in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
            assert workers
            kill(proc)
        assert graph.read_bytes() == before
        time.sleep(0.5)
        assert lock_is_free(graph), "the killed build's workers still hold the graph lock"
        assert not any(_alive(w) for w in workers), "the killed build's workers still run"
    finally:
        for w in workers:  # the workers of the build this test started
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def test_a_truncated_graph_is_refused_not_overwritten(graph: Path, small_corpus: Path) -> None:
    """Had a crash ever left half a file, kg says so and does not build over it."""
    from kg import api

    graph.write_bytes(graph.read_bytes()[: graph.stat().st_size // 2])
    broken = graph.read_bytes()
    with pytest.raises(GraphError):
        api.build([small_corpus], graph=graph, diagrams=False)
    assert graph.read_bytes() == broken
