"""JSON Lines corpora: one article per line (``id``, ``published``, ``title``, ``text``, ``url``).

This is the format of the evaluation sets; other keys (such as gold
``events``) are ignored.  A broken line is reported with its line number and
skipped; the other lines are read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import ReadError
from kg.model import Article
from kg.readers.base import MAX_BYTES, decode, parse_published

__all__ = ["read_jsonl"]


def _article(obj: object, path: Path, n: int) -> Article:
    if not isinstance(obj, dict):
        raise ReadError("line is JSON but not an object with id and text", path, n)
    text = obj.get("text")
    if not isinstance(text, str):
        raise ReadError("article has no 'text' string", path, n)
    aid = obj.get("id")
    if aid is None or aid == "":
        aid = f"{path.stem}-{n}"
    published = parse_published(obj.get("published"), path, n)
    url = obj.get("url")
    return Article(id=str(aid), text=text, title=str(obj.get("title") or ""), published=published,
                   url=str(url) if url else None, source=str(path), line=n)


def read_jsonl(path: Path, on_error: Callable[[ReadError], None] | None = None) -> Iterator[Article]:
    """Stream the articles of a JSON Lines file, line by line (constant memory)."""
    try:
        f = path.open("rb")
    except FileNotFoundError:
        raise ReadError("no such file", path) from None
    except PermissionError:
        raise ReadError("permission denied; check the file's mode", path) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}", path) from None
    with f:
        for n, raw in enumerate(f, 1):
            try:
                if len(raw) > MAX_BYTES:
                    raise ReadError(f"line is over the {MAX_BYTES // 2**20} MiB limit for one article",
                                    path, n)
                line = decode(raw, path).strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ReadError(f"not JSON ({e.msg} at column {e.colno}); fix or remove the line",
                                    path, n) from None
                yield _article(obj, path, n)
            except ReadError as e:
                if e.line is None:
                    e = ReadError(e.reason, path, n)
                if on_error is None:
                    raise e from None
                on_error(e)
