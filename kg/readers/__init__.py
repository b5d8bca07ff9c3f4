"""Readers: files on disk -> :class:`~kg.model.Article`.

Readers are registered by format name and by file extension.  ``read_paths``
walks files and folders, picks the reader by extension and yields articles;
an article that cannot be read becomes a :class:`~kg.errors.ReadError` handed
to ``on_error`` (the batch goes on) or raised when no handler is given.

>>> sorted(READERS)
['html', 'jsonl', 'markdown', 'text']
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import ReadError, UsageError
from kg.model import Article
from kg.readers.base import Reader
from kg.readers.html import read_html
from kg.readers.jsonl import read_jsonl
from kg.readers.text import read_markdown, read_text

__all__ = ["EXTENSIONS", "READERS", "Reader", "read_file", "read_paths", "reader_for"]

log = logging.getLogger(__name__)

#: format name -> reader function
READERS: dict[str, Reader] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "jsonl": read_jsonl,
}

#: file extension -> format name
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

ErrorHandler = Callable[[ReadError], None]


def reader_for(path: Path, fmt: str | None = None) -> Reader:
    """The reader for a file, by explicit format name or by its extension."""
    if fmt is not None:
        try:
            return READERS[fmt]
        except KeyError:
            raise UsageError(f"unknown input format {fmt!r}; valid: {', '.join(sorted(READERS))}") from None
    name = EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise ReadError(
            f"unknown file type {path.suffix or '(none)'!r}; use one of {', '.join(sorted(EXTENSIONS))}",
            path,
        )
    return READERS[name]


def read_file(path: str | Path, fmt: str | None = None,
              on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Articles of one file.  Errors go to ``on_error`` or are raised."""
    p = Path(path)
    try:
        reader = reader_for(p, fmt)
        yield from reader(p, on_error)
    except ReadError as e:
        if on_error is None:
            raise
        on_error(e)


def _expand(paths: Iterable[str | Path], on_error: ErrorHandler | None) -> Iterator[Path]:
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not files:
                log.warning("%s: no article files (%s) in this folder", p, ", ".join(sorted(EXTENSIONS)))
            yield from files
        elif p.exists():
            yield p
        else:
            err = ReadError("no such file or folder; check the path", p)
            if on_error is None:
                raise err
            on_error(err)


def read_paths(paths: Iterable[str | Path], fmt: str | None = None,
               on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Articles from files and folders (folders are walked recursively, sorted).

    ``paths`` may also be a single path.  Every file that cannot be read (and
    every bad line of a JSON Lines corpus) is a ReadError handed to
    ``on_error``, and the other articles are still read; without a handler
    the first one is raised.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for p in _expand(paths, on_error):
        yield from read_file(p, fmt, on_error)
