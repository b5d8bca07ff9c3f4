"""Extraction on a Dask cluster (kg.distributed): the same events as one process, in the same order.

A real local cluster (two worker processes, one thread each, on 127.0.0.1) is
started once for the module; the corpus is ~200 short articles made from the
templates below.  Skipped only when dask.distributed is not installed
(``pip install -e '.[test]'`` installs it).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed: pip install -e '.[test]' (or 'dask[distributed]')")

from kg.distributed import extract_dask  # noqa: E402
from kg.errors import KgError, ReadError, UsageError  # noqa: E402
from kg.model import Article  # noqa: E402
from kg.parallel import extract_stream  # noqa: E402
from kg.readers import read_paths  # noqa: E402

# (state name, demonym, capital, leader in office in 2023-2024 with title)
STATES = [
    ("Russia", "Russian", "Moscow", "Russian President Vladimir Putin"),
    ("China", "Chinese", "Beijing", "Chinese President Xi Jinping"),
    ("North Korea", "North Korean", "Pyongyang", "North Korean leader Kim Jong Un"),
    ("France", "French", "Paris", "French President Emmanuel Macron"),
    ("Germany", "German", "Berlin", "German Chancellor Olaf Scholz"),
    ("India", "Indian", "New Delhi", "Indian Prime Minister Narendra Modi"),
    ("Turkey", "Turkish", "Ankara", "Turkish President Recep Tayyip Erdogan"),
    ("Brazil", "Brazilian", "Brasilia", "Brazilian President Luiz Inacio Lula da Silva"),
    ("Japan", "Japanese", "Tokyo", "Japanese Prime Minister Fumio Kishida"),
    ("the United States", "American", "Washington", "U.S. President Joe Biden"),
]
TEMPLATES = [
    "{LA} met {LB} in {cap_b} on {day}. The two leaders signed an agreement on trade and energy.",
    "{A} recalled its ambassador from {B} on {day} after a row over fishing rights. "
    "The {dem_b} foreign ministry said it regretted the decision.",
    "{A} expelled two {dem_b} diplomats on {day}, accusing them of espionage. "
    "{B} said it would respond.",
    "{LA} arrived in {cap_b} on {day} for a two-day state visit, his first trip to {B} since {year}.",
    "{A} imposed sanctions on {B} on {day} over its support for armed groups.",
    "{A} and {B} agreed on {date} to restore diplomatic relations, ending a rift of several years.",
    "{LA} praised {B} on {day} for its role in the ceasefire talks. "
    "Markets in {cap_a} were calm.",
    "{A} sent humanitarian aid to {B} on {day} after floods in the south of the country.",
    "{LA} and {LB} exchanged letters on the anniversary of relations, {agency} reported on {day}.",
    "{A} criticized {B} on {day} for a missile test near its waters. "
    "{LB} did not comment.",
    "Officials in {cap_a} said on {day} that talks with {B} would continue next month.",
]


def make_articles(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` short news articles (JSON-ready dicts) from the templates, deterministic for a seed."""
    rng = random.Random(seed)
    start = dt.date(2023, 2, 1)
    out = []
    for i in range(n):
        (a, dem_a, cap_a, la), (b, dem_b, cap_b, lb) = rng.sample(STATES, 2)
        published = start + dt.timedelta(days=rng.randrange(480))
        when = published - dt.timedelta(days=rng.randrange(1, 6))
        sentences = [t.format(A=a, B=b, dem_a=dem_a, dem_b=dem_b, cap_a=cap_a, cap_b=cap_b, LA=la, LB=lb,
                              day=when.strftime("%A"), date=when.strftime("%B %d, %Y").replace(" 0", " "),
                              year=rng.randrange(2015, 2022), agency=rng.choice(["Reuters", "AFP", "AP"]))
                     for t in rng.sample(TEMPLATES, rng.randrange(1, 4))]
        text = " ".join(s[0].upper() + s[1:] for s in sentences)
        out.append({"id": f"gen-{i:05d}", "published": published.isoformat(),
                    "title": f"{a.removeprefix('the ')} and {b.removeprefix('the ')}", "text": text})
    return out


def write_corpus(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for d in make_articles(n):
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


def dicts(pairs: Iterator[tuple[Article, list]]) -> list[tuple[str, list[dict]]]:
    return [(a.id, [e.to_dict() for e in events]) for a, events in pairs]


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    # dashboard on a free port: dashboard_address=None still binds the default 8787, which may be taken
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", worker_dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster: distributed.LocalCluster) -> Iterator[distributed.Client]:
    with distributed.Client(cluster, set_as_default=False) as c:
        c.wait_for_workers(2, timeout=60)
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("dask") / "generated.jsonl", 200)


@pytest.fixture(scope="module")
def expected(corpus: Path) -> list[tuple[str, list[dict]]]:
    return dicts(extract_stream(read_paths(corpus), jobs=1))


def test_corpus_has_events(expected: list[tuple[str, list[dict]]]) -> None:
    assert len(expected) == 200
    events = [e for _, evs in expected for e in evs]
    assert len(events) > 150
    assert len({e["relation"] for e in events}) >= 6


def test_same_events_as_one_process(cluster: distributed.LocalCluster, corpus: Path,
                                    expected: list[tuple[str, list[dict]]]) -> None:
    # by address: extract_dask opens its own client; small batches, so many are in flight
    got = dicts(extract_dask(read_paths(corpus), cluster.scheduler_address, batch=16))
    assert [aid for aid, _ in got] == [aid for aid, _ in expected]
    assert got == expected


def test_broken_article_goes_to_on_error(client: distributed.Client, corpus: Path) -> None:
    articles = list(read_paths(corpus))[:40]
    broken = Article("too-long", "Russia recognized Kosovo. " * 40_000, published=dt.date(2024, 1, 5))
    articles.insert(17, broken)
    want_errors: list[ReadError] = []
    want = dicts(extract_stream(articles, jobs=1, on_error=want_errors.append))
    errors: list[ReadError] = []
    got = dicts(extract_dask(articles, client, batch=8, on_error=errors.append))
    assert got == want
    assert "too-long" not in [aid for aid, _ in got] and len(got) == 40
    assert [str(e) for e in errors] == [str(e) for e in want_errors]
    assert len(errors) == 1 and "'too-long'" in str(errors[0]) and "characters" in str(errors[0])
    assert client.status == "running"  # a Client passed in is left open
    with pytest.raises(ReadError, match="too-long"):  # no handler: raised, as in one process
        list(extract_dask(articles, client, batch=8))


def test_streams_with_bounded_batches_in_flight(client: distributed.Client, corpus: Path) -> None:
    pulled = 0

    def counting() -> Iterator[Article]:
        nonlocal pulled
        for a in read_paths(corpus):
            pulled += 1
            yield a

    it = extract_dask(counting(), client, batch=4, in_flight=3)
    first, _ = next(it)
    assert first.id == "gen-00000"
    assert pulled <= 4 * 3  # three batches read ahead, not the whole corpus
    it.close()  # cancels what is in flight
    assert client.status == "running"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_fast() -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    t0 = time.monotonic()
    with pytest.raises(KgError) as info:
        extract_dask([Article("a1", "Russia recognized Kosovo.")], address)
    assert time.monotonic() - t0 < 5
    msg = str(info.value)
    assert address in msg and "\n" not in msg


@pytest.mark.parametrize("address", ["nonsense://127.0.0.1:8786", "tcp://127.0.0.1:notaport", ""])
def test_bad_address_is_a_usage_error(address: str) -> None:
    with pytest.raises(UsageError) as info:
        extract_dask([], address)
    assert repr(address) in str(info.value) and "\n" not in str(info.value)


def test_silent_server_is_not_a_scheduler() -> None:
    # something listens but never speaks Dask's protocol: an error within the timeout, not a hang
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        address = f"tcp://127.0.0.1:{srv.getsockname()[1]}"
        held: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            srv.settimeout(0.2)
            while not stop.is_set():
                try:
                    held.append(srv.accept()[0])
                except OSError:
                    continue

        th = threading.Thread(target=accept, daemon=True)
        th.start()
        t0 = time.monotonic()
        try:
            with pytest.raises(KgError) as info:
                extract_dask([], address, timeout=1.0)
        finally:
            stop.set()
            th.join()
            for c in held:
                c.close()
    assert time.monotonic() - t0 < 10
    assert address in str(info.value) and "\n" not in str(info.value)


def test_worker_address_is_not_the_scheduler(cluster: distributed.LocalCluster) -> None:
    worker = next(iter(cluster.scheduler_info["workers"]))
    with pytest.raises(UsageError, match="not the scheduler"):
        extract_dask([], worker)


def test_scheduler_without_workers() -> None:
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1",
                                 dashboard_address=":0") as empty:
        with pytest.raises(KgError, match="has no workers") as info:
            extract_dask([], empty.scheduler_address, timeout=1.0)
    assert empty.scheduler_address in str(info.value) and "\n" not in str(info.value)
