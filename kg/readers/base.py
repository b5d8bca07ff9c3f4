"""What every reader shares: reading bytes within limits, decoding them, parsing dates.

Every failure is a :class:`~kg.errors.ReadError` whose one-line message names
the file (and the line, where there is one) and says what to do.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import ReadError
from kg.model import Article

__all__ = ["MAX_BYTES", "MAX_CHARS", "Reader", "check_text", "decode", "looks_binary", "parse_published", "read_bytes",
           "sniff_encoding", "too_big"]

Reader = Callable[[Path, Callable[[ReadError], None] | None], Iterator[Article]]

#: Files (and JSON Lines lines) larger than this are refused without being
#: read: a news article is tens of kilobytes, an HTML page a few megabytes.
MAX_BYTES = 8 * 2**20

#: Article texts longer than this are refused: it is the most the extractor's
#: tokenizer takes in one piece (spaCy's ``max_length``).
MAX_CHARS = 1_000_000

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_SNIFF = 8192
# C0 controls other than tab, newlines and form feed, and DEL: rare in text, common in binary data
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY = "binary file, not text; give a .txt, .md, .html or .jsonl article"


def too_big(size: int, path: Path, line: int | None = None) -> ReadError:
    """The error for a file (or a JSON Lines line) over :data:`MAX_BYTES`."""
    limit = f"over the {MAX_BYTES // 2**20} MiB limit for one article"
    if line is not None:
        return ReadError(f"line is {size / 2**20:.1f} MiB, {limit}; fix or remove the line", path, line)
    return ReadError(f"file is {size / 2**20:.1f} MiB, {limit}; split it into articles "
                     "(a .jsonl corpus takes one per line)", path)


def check_text(text: str, path: Path, line: int | None = None, what: str = "article") -> str:
    """``text`` if an article can be made of it, else a ReadError (empty, or too long)."""
    if not text.strip():
        raise ReadError(f"{what} has no text; nothing to read", path, line)
    if len(text) > MAX_CHARS:
        raise ReadError(f"article text is {len(text):,} characters, over the {MAX_CHARS:,} limit for one "
                        "article; split it into articles", path, line)
    return text


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a ReadError that says why not.

    Only regular files are read, and never more than :data:`MAX_BYTES` + 1
    bytes, so a huge file costs no memory and a pipe or device never blocks.
    """
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a folder, not a file", path)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a pipe or a device?); give an article file", path)
        if st.st_size > MAX_BYTES:
            raise too_big(st.st_size, path)
        with path.open("rb") as f:
            data = f.read(st.st_size + 1)  # not MAX_BYTES: read() allocates what it is asked for
            if len(data) > st.st_size:  # it grew since stat
                data += f.read(MAX_BYTES + 1 - len(data))
    except FileNotFoundError:
        raise ReadError("no such file; check the path", path) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a file", path) from None
    except PermissionError:
        raise ReadError("permission denied; check the file's mode", path) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}", path) from None
    if len(data) > MAX_BYTES:
        raise too_big(len(data), path)
    return data


def looks_binary(head: bytes | str) -> bool:
    """Whether a file's first bytes (or characters) are mostly not text: many control characters.

    Random bytes have about one in ten; text has none, or a stray one.
    """
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    return len(_CONTROL.findall(head)) > max(8, len(head) // 20)


def sniff_encoding(head: bytes, path: Path, line: int | None = None) -> str | None:
    """The encoding the first bytes of a file show, or None for "UTF-8, else Windows-1252".

    Byte-order marks are trusted; NUL bytes without one mean UTF-16 when they
    fall on every other byte, else binary data (a ReadError) unless they are
    a stray few in text.
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = head[:_SNIFF]
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if len(head) >= 4 and even.count(0) == 0 and odd.count(0) > len(odd) * 0.4:
            return "utf-16-le"
        if len(head) >= 4 and odd.count(0) == 0 and even.count(0) > len(even) * 0.4:
            return "utf-16-be"
        if looks_binary(head):
            raise ReadError(_BINARY, path, line)
    return None


def decode(data: bytes, path: Path, line: int | None = None) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252.

    Binary data (many control characters such as NUL, and not UTF-16) is
    refused with a ReadError.
    """
    enc = sniff_encoding(data, path, line)
    if enc is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    elif enc in ("utf-16", "utf-32"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            raise ReadError(f"not valid {enc.upper()} text despite its byte-order mark; save it again as UTF-8",
                            path, line) from None
    else:
        text = data.decode(enc, errors="replace")
    if looks_binary(text[:_SNIFF]):
        raise ReadError(_BINARY, path, line)
    return text


def _show(value: Any, limit: int = 40) -> str:
    r = repr(value)
    return r if len(r) <= limit else r[:limit] + "..."


def parse_published(value: Any, path: Path, line: int | None = None) -> dt.date | None:
    """A publication date from front matter, JSON or HTML metadata.

    Accepts ``date``/``datetime`` objects and ISO strings (a time part is
    ignored); None and empty strings mean unknown.  Anything else, or an
    impossible date such as 2023-02-30, is a ReadError.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(value) if isinstance(value, str) else None
    if not m:
        raise ReadError(f"published date {_show(value)} is not an ISO date; write it as YYYY-MM-DD", path, line)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ReadError(f"published date {_show(value)} does not exist; check the day and month",
                        path, line) from None
