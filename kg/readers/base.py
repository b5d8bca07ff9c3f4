"""What every reader shares: decoding bytes and parsing dates."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import ReadError
from kg.model import Article

__all__ = ["Reader", "read_bytes", "decode", "parse_published", "MAX_BYTES"]

Reader = Callable[[Path, Callable[[ReadError], None] | None], Iterator[Article]]

#: Articles larger than this are refused (a year of news is not one article).
MAX_BYTES = 64 * 1024 * 1024

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a ReadError that says why not."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(f"file is {size // 2**20} MiB, over the {MAX_BYTES // 2**20} MiB limit "
                            "for one article; split it", path)
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file", path) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a file", path) from None
    except PermissionError:
        raise ReadError("permission denied; check the file's mode", path) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}", path) from None


def decode(data: bytes, path: Path) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Binary data (NUL bytes outside UTF-16) is refused with a ReadError.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError("not valid UTF-16 text despite its byte-order mark", path) from None
    if b"\x00" in data[:8192]:
        even, odd = data[0:8192:2], data[1:8192:2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) == 0:
            return data.decode("utf-16-le", errors="replace")
        if even.count(0) > len(even) * 0.4 and odd.count(0) == 0:
            return data.decode("utf-16-be", errors="replace")
        raise ReadError("binary file, not text; give a .txt, .md, .html or .jsonl article", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_published(value: Any, path: Path, line: int | None = None) -> dt.date | None:
    """A publication date from front matter, JSON or HTML metadata.

    Accepts ``date``/``datetime`` objects and ISO strings (a time part is
    ignored); None and empty strings mean unknown.  Anything else, or an
    impossible date such as 2023-02-30, is a ReadError.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(str(value))
    if not m:
        raise ReadError(f"published date {value!r} is not an ISO date (YYYY-MM-DD)", path, line)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ReadError(f"published date {value!r} does not exist", path, line) from None
