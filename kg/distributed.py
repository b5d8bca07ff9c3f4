"""Running extraction on a Dask distributed cluster: order kept, memory flat.

:func:`extract_dask` is :func:`kg.parallel.extract_stream` with the worker
processes of a Dask cluster instead of a local pool.  Articles are cut into
batches; a bounded number of batches (by default twice the number of workers)
is in flight at any time, so a corpus of any size streams through in constant
memory; results come back in input order and are the very events that the
single-process run gives (the workers run the same extractor on the same
text).  Articles that cannot be read (too long) are handed to ``on_error``
and skipped, as in :mod:`kg.parallel`.

The workers must be able to import kg (run them in kg's environment, e.g.
``dask worker tcp://HOST:8786`` from the same venv).  Each worker process
loads kg's data once, on its first batch, and keeps it
(:func:`kg.extract.pipeline.get_extractor` is a per-process cache).

Needs ``dask[distributed]`` (``pip install 'kg[dask]'``); kg itself does not.

>>> from kg.distributed import extract_dask                     # doctest: +SKIP
>>> for article, events in extract_dask(articles, "tcp://127.0.0.1:8786"):
...     print(article.id, len(events))
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

from kg.errors import KgError, ReadError, UsageError
from kg.model import Article, Event

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["DEFAULT_TIMEOUT", "connect", "extract_dask"]

#: Seconds to wait for a scheduler to answer (and for a worker to join it) before giving up.
DEFAULT_TIMEOUT = 5.0

_INSTALL = "pip install 'kg[dask]' (or 'dask[distributed]')"

# One batch at a time per worker process: the extractor is pure Python (threads
# would only take turns on the GIL) and neither it nor spaCy's pipeline is made
# to be shared between threads.  Workers are best started with one thread each
# (``dask worker ADDRESS --nthreads 1 --nworkers N``).
_LOCK = threading.Lock()


# ----------------------------------------------------------------------------- worker side
def _extract_batch(batch: list[Article]) -> list[list[Event] | ReadError]:
    """Runs on a worker: for each article of ``batch``, its events or the ReadError it raised.

    The extractor is the worker process's own (built on the first batch, kept
    for the next ones); batches are tokenised together, as in the
    single-process run.
    """
    from kg.extract.pipeline import get_extractor

    out: list[list[Event] | ReadError] = []
    with _LOCK:
        ex = get_extractor()
        # extract_many calls the handler in place of the article's result, so order is kept
        for _article, events in ex.extract_many(batch, out.append):
            out.append(events)
    if len(out) != len(batch):  # pragma: no cover - extract_many gives one outcome per article
        raise RuntimeError(f"extractor returned {len(out)} results for {len(batch)} articles")
    return out


# ----------------------------------------------------------------------------- client side
def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError(f"running on a Dask cluster needs dask.distributed; {_INSTALL}") from None
    return distributed


def _first_line(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0]


def _probe(address: str, timeout: float) -> None:
    """Fail fast, in one line, when nothing answers at ``address`` or it is not a Dask scheduler.

    A Client would retry a refused port until its timeout and, when it gives
    up, leave a half-made client behind that hangs again when collected; a
    plain socket and one ``identity`` call show the same in a moment.
    """
    distributed = _distributed()
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port
    from distributed.comm.registry import backends

    try:
        scheme, loc = parse_address(address)
        if scheme not in backends:
            raise ValueError(f"unknown scheme {scheme!r}; known: {', '.join(sorted(set(backends) - {'inproc'}))}")
        if scheme == "inproc":
            raise ValueError("an in-process scheduler; pass its distributed.Client instead")
        host, port = parse_host_port(loc)
    except (ValueError, TypeError) as e:
        raise UsageError(f"bad Dask scheduler address {address!r} ({_first_line(e)}); "
                         "give one such as tcp://127.0.0.1:8786") from None
    try:  # a refused port or an unknown host fails here at once, not after retrying until the timeout
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as e:
        reason = "timed out" if isinstance(e, TimeoutError) else (e.strerror or _first_line(e))
        raise KgError(f"cannot connect to the Dask scheduler at {address!r}: {reason}; "
                      "is it running ('dask scheduler')?") from None

    async def identity() -> dict[str, Any]:
        async with distributed.rpc(address, timeout=timeout) as r:
            return await asyncio.wait_for(r.identity(), timeout)

    try:  # in a thread of its own: the caller may be inside an event loop (a notebook)
        with ThreadPoolExecutor(1) as pool:
            ident = pool.submit(asyncio.run, identity()).result()
    except Exception as e:
        hint = ("a secured scheduler needs a distributed.Client made with its security settings"
                if scheme in ("tls", "wss") else "is that the scheduler's address?")
        raise KgError(f"no Dask scheduler answers at {address!r} ({_first_line(e) or 'timed out'}); {hint}") from None
    kind = ident.get("type") if isinstance(ident, dict) else None
    if kind in ("Worker", "Nanny"):
        raise UsageError(f"{address!r} is a Dask {kind.lower()}, not the scheduler; give the scheduler's address")


def connect(scheduler: str | Client, timeout: float = DEFAULT_TIMEOUT) -> tuple[Client, bool]:
    """A Client for ``scheduler`` (an address, or a Client used as is) and whether the caller owns it.

    The cluster must have at least one worker (one that joins within
    ``timeout`` seconds counts).  Raises :class:`~kg.errors.UsageError` for an
    address that is not one or that is not a scheduler's, and
    :class:`~kg.errors.KgError` when nothing answers there within ``timeout``
    seconds or no worker is there; each message is one line naming the address.
    """
    distributed = _distributed()
    if isinstance(scheduler, distributed.Client):
        client, owned = scheduler, False
        address = str(getattr(getattr(scheduler, "scheduler", None), "address", "the client's scheduler"))
    elif isinstance(scheduler, str):
        address = scheduler.strip()
        _probe(address, timeout)
        try:
            client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except Exception as e:
            raise KgError(f"cannot connect to the Dask scheduler at {address!r}: {_first_line(e)}") from None
        owned = True
    else:
        raise UsageError(f"a Dask scheduler is an address such as tcp://127.0.0.1:8786 or a Client, "
                         f"not {type(scheduler).__name__}")
    try:
        try:
            workers = client.nthreads()
        except Exception as e:
            raise KgError(f"cannot use the Dask scheduler at {address!r}: {_first_line(e)}") from None
        if not workers:
            try:
                client.wait_for_workers(1, timeout=timeout)
            except Exception:
                raise KgError(f"the Dask scheduler at {address!r} has no workers; start some "
                              f"('dask worker {address}' in kg's environment)") from None
    except BaseException:
        if owned:
            client.close()
        raise
    return client, owned


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def extract_dask(articles: Iterable[Article], scheduler: str | Client, batch: int = 64,
                 on_error: Callable[[ReadError], None] | None = None, *, in_flight: int | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) for each article, in input order, extracted on a Dask cluster.

    ``scheduler`` is the scheduler's address (``"tcp://127.0.0.1:8786"``; a
    client is opened and closed when the iteration ends) or a
    ``distributed.Client`` (used, and left open).  ``articles`` is read lazily,
    ``batch`` articles per task, with at most ``in_flight`` tasks (default:
    twice the number of workers) on the cluster: memory stays flat on any
    corpus size.  An article that cannot be read goes to ``on_error`` and is
    skipped; without a handler its :class:`~kg.errors.ReadError` is raised.

    The connection is made here, before the first article is read: a bad or
    unreachable address raises :class:`~kg.errors.UsageError` or
    :class:`~kg.errors.KgError` (one line naming the address) within about
    ``timeout`` seconds.  Stopping the iteration early (``close()`` on the
    iterator, or leaving the ``for`` loop of a finished generator) cancels the
    batches in flight and closes a client opened here.
    """
    if batch < 1:
        raise UsageError(f"batch must be at least 1, not {batch}")
    if in_flight is not None and in_flight < 1:
        raise UsageError(f"in_flight must be at least 1, not {in_flight}")
    client, owned = connect(scheduler, timeout)
    try:
        limit = in_flight or 2 * max(1, len(client.nthreads()))
    except BaseException:
        if owned:
            client.close()
        raise
    return _stream(client, owned, articles, batch, limit, on_error)


def _stream(client: Client, owned: bool, articles: Iterable[Article], size: int, limit: int,
            on_error: Callable[[ReadError], None] | None) -> Iterator[tuple[Article, list[Event]]]:
    run = uuid.uuid4().hex[:12]
    pending: deque[tuple[list[Article], Any]] = deque()

    def results(b: list[Article], fut: Any) -> Iterator[tuple[Article, list[Event]]]:
        outcomes = fut.result()
        fut.release()  # the result is here now; let the cluster forget it
        for art, r in zip(b, outcomes, strict=True):
            if isinstance(r, ReadError):
                if on_error is None:
                    raise r
                on_error(r)
            else:
                yield art, r

    try:
        for n, b in enumerate(_batches(articles, size)):
            pending.append((b, client.submit(_extract_batch, b, key=f"kg-extract-{run}-{n}", pure=False)))
            while len(pending) >= limit:
                yield from results(*pending.popleft())
        while pending:
            yield from results(*pending.popleft())
    finally:
        if pending:
            client.cancel([f for _, f in pending])
            pending.clear()
        if owned:
            client.close()
