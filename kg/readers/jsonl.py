"""JSON Lines corpora: one article per line (``id``, ``published``, ``title``, ``text``, ``url``).

This is the format of the evaluation sets; other keys (such as gold
``events``) are ignored.  A broken line is reported with its line number and
skipped; the other lines are read.  Blank lines are ignored.

The file is streamed line by line: memory stays flat on any corpus size, and
a line over :data:`~kg.readers.base.MAX_BYTES` is skipped without being held
in memory.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import ReadError
from kg.model import Article
from kg.readers import base
from kg.readers.base import check_text, decode, parse_published, sniff_encoding, too_big

__all__ = ["read_jsonl"]

_PIECE = 2**20
_SHAPE = 'each line needs an object such as {"id": "a1", "text": "..."}'
_KIND = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
         bool: "true or false", type(None): "null"}


def _kind(v: object) -> str:
    return _KIND.get(type(v), type(v).__name__)


def _scalar(obj: dict[str, Any], key: str, path: Path, n: int, numbers: bool = True) -> str | None:
    v = obj.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, str):
        return v
    if numbers and isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    raise ReadError(f"'{key}' must be a string, not {_kind(v)}", path, n)


def _article(obj: object, path: Path, n: int) -> Article:
    if not isinstance(obj, dict):
        raise ReadError(f"line is JSON but {_kind(obj)}, not an article; {_SHAPE}", path, n)
    text = obj.get("text")
    if text is None:
        raise ReadError(f"article has no 'text'; {_SHAPE}", path, n)
    if not isinstance(text, str):
        raise ReadError(f"'text' must be a string, not {_kind(text)}", path, n)
    text = _unicode(text)
    check_text(text, path, n)
    aid = _unicode(_scalar(obj, "id", path, n) or f"{path.stem}-{n}")
    published = parse_published(obj.get("published"), path, n)
    url = _scalar(obj, "url", path, n, numbers=False)
    return Article(id=aid, text=text, title=_unicode(_scalar(obj, "title", path, n) or ""), published=published,
                   url=_unicode(url) if url else url, source=str(path), line=n)


def _unicode(s: str) -> str:
    """Lone surrogates (JSON escapes such as \\ud800) become U+FFFD: text must be writable as UTF-8."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _lines(f: IO[Any], nl: Any) -> Iterator[tuple[int, Any, int]]:
    """(line number, line or None when over MAX_BYTES, its size).

    Lines are read in pieces of at most 1 MiB, and the pieces of a line over
    the limit are dropped as they come: memory stays under MAX_BYTES + 1 MiB.
    """
    n = 0
    while True:
        raw = f.readline(_PIECE)
        if not raw:
            return
        n += 1
        if raw.endswith(nl):
            yield n, raw, len(raw)
            continue
        parts: list[Any] | None = [raw]
        size = len(raw)
        while not raw.endswith(nl):
            raw = f.readline(_PIECE)
            if not raw:
                break
            size += len(raw)
            if parts is not None and size > base.MAX_BYTES:
                parts = None
            elif parts is not None:
                parts.append(raw)
        yield n, (raw[:0].join(parts) if parts is not None else None), size


def _parse(line: str, path: Path, n: int) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise ReadError(f"not JSON ({e.msg}, column {e.colno}); fix or remove the line", path, n) from None
    except RecursionError:
        raise ReadError("JSON nested too deeply; fix or remove the line", path, n) from None
    except ValueError as e:  # e.g. an integer of thousands of digits
        raise ReadError(f"not readable JSON ({' '.join(str(e).split(';')[0].split())}); fix or remove the line",
                        path, n) from None


def _open(path: Path) -> IO[bytes]:
    try:
        if path.is_dir():
            raise ReadError("is a folder, not a file", path)
        if path.exists() and not path.is_file():
            raise ReadError("not a regular file (a pipe or a device?); give a .jsonl file", path)
        return path.open("rb")
    except FileNotFoundError:
        raise ReadError("no such file; check the path", path) from None
    except PermissionError:
        raise ReadError("permission denied; check the file's mode", path) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}", path) from None


def read_jsonl(path: Path, on_error: Callable[[ReadError], None] | None = None) -> Iterator[Article]:
    """Stream the articles of a JSON Lines file, line by line (constant memory).

    A bad line becomes a ReadError naming ``file:line``, handed to ``on_error``
    (the next lines are read) or raised when there is no handler.  A file that
    is binary as a whole is one ReadError.
    """
    f = _open(path)
    with f:
        try:
            head = f.read(8192)
            f.seek(0)
        except OSError as e:
            raise ReadError(f"cannot read: {e.strerror or e}", path) from None
        enc = sniff_encoding(head, path)
        src: IO[Any] = f
        if enc == "utf-8-sig":
            f.seek(3)
            enc = None
        elif enc is not None:  # UTF-16/32: decode the stream, then split lines
            src = io.TextIOWrapper(f, encoding=enc, errors="replace", newline=None)
        n = 0
        try:
            for n, raw, size in _lines(src, "\n" if enc else b"\n"):
                try:
                    if raw is None:
                        raise too_big(size, path, n)
                    line = (raw if enc else decode(raw, path, n)).strip()
                    if not line:
                        continue
                    art = _article(_parse(line, path, n), path, n)
                except ReadError as e:
                    if on_error is None:
                        raise
                    on_error(e)
                    continue
                yield art
        except OSError as e:
            raise ReadError(f"cannot read past line {n}: {e.strerror or e}", path, n + 1) from None
        finally:
            if src is not f:
                src.detach()
