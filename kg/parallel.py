"""Running extraction over many articles: in this process or across processes, order kept.

With ``jobs > 1`` the parent reads the articles and cuts them into batches;
forked worker processes extract them.  What crosses between processes is
kept small, because pickling is work the parent does serially for every
worker: a worker gets its batch of articles and sends back only the events,
both as plain tuples of their fields (pickling a frozen dataclass costs
several times as much), and the parent pairs them with the articles it kept.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from itertools import islice
from operator import attrgetter
from typing import Any

from kg.errors import ReadError
from kg.model import Article, Event

__all__ = ["extract_stream"]

#: an event's fields in order, as a tuple: what a worker sends back (Event(*fields) rebuilds it)
_event_fields = attrgetter(*(f.name for f in fields(Event)))
#: an article's fields, as a tuple: what a worker is sent (Article(*fields) rebuilds it)
_article_fields = attrgetter(*(f.name for f in fields(Article)))

#: one article's outcome from a worker: its events' field tuples, or the ReadError it raised
_Outcome = list[tuple[Any, ...]] | ReadError


def _work(batch: list[tuple[Any, ...]]) -> list[_Outcome]:
    """Runs in a worker: each article's (given as its field tuple) events (as field tuples) or
    ReadError, in order."""
    from kg.extract.pipeline import get_extractor

    out: list[_Outcome] = []
    # extract_many calls the handler in place of an unreadable article's result, so order is kept
    for _article, events in get_extractor().extract_many([Article(*t) for t in batch], out.append):
        out.append([_event_fields(e) for e in events])
    if len(out) != len(batch):  # pragma: no cover - extract_many gives one outcome per article
        raise RuntimeError(f"extractor returned {len(out)} results for {len(batch)} articles")
    return out


def _die_with_parent() -> None:
    """On Linux, a worker is killed when the build that forked it dies (no orphans left running)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - other platforms
        pass


def _init() -> None:
    from kg.extract.pipeline import get_extractor

    get_extractor()


def _start() -> None:
    _die_with_parent()
    _init()


def _batches(articles: Iterable[Article], size: int,
             kept: deque[list[Article]]) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of ``size`` articles, as field tuples (cheaper to pickle than the dataclass); each
    batch of articles is also appended to ``kept`` for the parent to pair results with.

    Pool.imap pulls this from its task thread only as fast as workers take
    batches (the pipe to them blocks when full), so ``kept`` stays short.
    """
    it = iter(articles)
    while True:
        b = list(islice(it, size))
        if not b:
            return
        kept.append(b)
        yield [_article_fields(a) for a in b]


def _pool(ctx: Any, jobs: int) -> Any:
    """A pool of forked workers that share the parent's extractor without copying it page by page.

    Objects frozen before the fork are never walked by a worker's garbage
    collector, whose passes would otherwise write to (and so copy) every
    page of the shared extractor.  The parent unfreezes at once.
    """
    freeze = gc.get_freeze_count() == 0  # a caller's own freeze is left alone
    if freeze:
        gc.freeze()
    try:
        return ctx.Pool(jobs, initializer=_start)
    finally:
        if freeze:
            gc.unfreeze()


def extract_stream(articles: Iterable[Article], jobs: int = 1, batch: int = 64,
                   on_error: Callable[[ReadError], None] | None = None) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) for each article, in input order, streaming.

    With ``jobs > 1`` batches go to worker processes (``imap`` keeps order and
    bounds what is in flight), so memory stays flat on any corpus size.
    """
    from kg.extract.pipeline import get_extractor

    if jobs <= 1:
        yield from get_extractor().extract_many(articles, on_error)
        return
    get_extractor()  # built once here; forked workers share it copy-on-write instead of each building it
    ctx = mp.get_context("fork") if hasattr(mp, "get_context") else mp
    kept: deque[list[Article]] = deque()
    with _pool(ctx, jobs) as pool:
        for results in pool.imap(_work, _batches(articles, batch, kept), chunksize=1):
            for art, r in zip(kept.popleft(), results, strict=True):
                if isinstance(r, ReadError):
                    if on_error is None:
                        raise r
                    on_error(r)
                else:
                    yield art, [Event(*t) for t in r]
