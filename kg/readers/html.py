"""HTML pages: main text and publication date through trafilatura.

trafilatura strips navigation, scripts and boilerplate and finds the date in
the page's metadata.  Nothing is fetched: the page is parsed from the bytes
on disk, and lxml resolves no external entities.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import ReadError
from kg.model import Article
from kg.readers.base import check_text, decode, parse_published, read_bytes

__all__ = ["read_html"]

log = logging.getLogger(__name__)


#: Where the date comes from: the page's metadata (meta tags, JSON-LD, <time>, the URL),
#: never a guess from the text, such as a copyright year in the footer.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


def _reads_as_prose(text: str) -> bool:
    """Whether text has a sentence: six words or more before a full stop (ten characters in CJK)."""
    for sentence in _SENTENCE_END.split(text[:100_000]):
        if sentence.endswith((".", "!", "?")) and len(sentence.split()) >= 6:
            return True
        if sentence.endswith(("。", "！", "？")) and len(sentence.strip()) >= 10:
            return True
    return False


_NO_TEXT = ("no article text found in this HTML page (only navigation, scripts or boilerplate); "
            "save the article's own page, or its text as .txt")


def _quiet_libraries() -> None:
    """trafilatura and htmldate warn on every page without an article ("discarding data: None");
    kg reports that itself in one line.  A level set by the application is kept."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        lg = logging.getLogger(name)
        if lg.level == logging.NOTSET:
            lg.setLevel(logging.ERROR)


def _extract(trafilatura: Any, html: str, path: Path, fast: bool) -> tuple[str, Any]:
    try:
        doc = trafilatura.bare_extraction(html, fast=fast, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True,
                                          date_extraction_params=_DATE_PARAMS)
    except Exception as e:  # a parser failure on hostile markup is bad input, not a kg bug
        msg = " ".join(str(e).split())[:80]
        raise ReadError(f"cannot parse this HTML page ({type(e).__name__}: {msg})", path) from None
    text = getattr(doc, "text", None) if doc is not None else None
    return (text if isinstance(text, str) else ""), doc


def read_html(path: Path, on_error: Callable[[ReadError], None] | None = None) -> Iterator[Article]:
    """One article from an HTML page."""
    import trafilatura  # slow import: only when HTML is read

    _quiet_libraries()

    data = read_bytes(path)
    if not data.strip():
        raise ReadError("file is empty; nothing to read", path)
    html = decode(data, path)
    text, doc = _extract(trafilatura, html, path, fast=True)
    if not text.strip():
        # the fallback extractors find text in pages without article markup, but also turn the menus and
        # footers of a page without an article into "text": keep what they find only if it reads as prose
        text, doc = _extract(trafilatura, html, path, fast=False)
        if not _reads_as_prose(text):
            raise ReadError(_NO_TEXT, path)
    title = ((getattr(doc, "title", None) or "") if doc is not None else "").strip()
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n")
        if not text.strip():
            raise ReadError(_NO_TEXT, path)
    check_text(text, path)
    raw_date = getattr(doc, "date", None)
    try:
        published = parse_published(raw_date, path)
    except ReadError:
        log.warning("%s: ignoring unreadable page date %r", path, raw_date)
        published = None
    url = getattr(doc, "url", None)
    yield Article(id=path.stem, text=text, title=title, published=published,
                  url=url if isinstance(url, str) and url else None, source=str(path))
