"""Running extraction over many articles: in this process or across processes, order kept."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from kg.errors import ReadError
from kg.model import Article, Event

__all__ = ["extract_stream"]


def _work(batch: list[Article]) -> list[tuple[Article, list[Event]] | ReadError]:
    from kg.extract.pipeline import get_extractor

    ex = get_extractor()
    out: list[tuple[Article, list[Event]] | ReadError] = []
    for a in batch:
        try:
            out.append((a, ex.extract(a)))
        except ReadError as e:
            out.append(e)
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


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while True:
        b = list(islice(it, size))
        if not b:
            return
        yield b


def extract_stream(articles: Iterable[Article], jobs: int = 1, batch: int = 64,
                   on_error: Callable[[ReadError], None] | None = None) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) for each article, in input order, streaming.

    With ``jobs > 1`` batches go to worker processes (``imap`` keeps order and
    bounds what is in flight), so memory stays flat on any corpus size.
    """
    if jobs <= 1:
        from kg.extract.pipeline import get_extractor

        yield from get_extractor().extract_many(articles, on_error)
        return
    from kg.extract.pipeline import get_extractor

    get_extractor()  # built once here; forked workers share it copy-on-write instead of each building it
    ctx = mp.get_context("fork") if hasattr(mp, "get_context") else mp
    with ctx.Pool(jobs, initializer=_start) as pool:
        for results in pool.imap(_work, _batches(articles, batch), chunksize=1):
            for r in results:
                if isinstance(r, ReadError):
                    if on_error is None:
                        raise r
                    on_error(r)
                else:
                    yield r
