"""HTML pages: main text and publication date through trafilatura.

trafilatura strips navigation, scripts and boilerplate and finds the date in
the page's metadata.  Nothing is fetched: the page is parsed from the bytes
on disk, and lxml resolves no external entities.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import ReadError
from kg.model import Article
from kg.readers.base import decode, parse_published, read_bytes

__all__ = ["read_html"]

log = logging.getLogger(__name__)


def read_html(path: Path, on_error: Callable[[ReadError], None] | None = None) -> Iterator[Article]:
    """One article from an HTML page."""
    import trafilatura  # slow import: only when HTML is read

    html = decode(read_bytes(path), path)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    text = (doc.text if doc is not None else "") or ""
    if not text.strip():
        raise ReadError("no article text found in this HTML page", path)
    title = (doc.title or "") if doc is not None else ""
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n")
    try:
        published = parse_published(doc.date if doc is not None else None, path)
    except ReadError:
        log.warning("%s: ignoring unreadable page date %r", path, doc.date)
        published = None
    yield Article(id=path.stem, text=text, title=title, published=published,
                  url=(doc.url if doc is not None else None) or None, source=str(path))
