"""Plain text and Markdown articles, with an optional YAML front matter block.

```
---
title: North Korea and Russia exchange letters
published: 2023-10-12
url: https://example.org/article
---
North Korean leader Kim Jong Un ...
```
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from kg.errors import ReadError
from kg.model import Article
from kg.readers.base import decode, parse_published, read_bytes

__all__ = ["read_text", "read_markdown", "split_front_matter"]


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, number of lines the front matter took)."""
    if not text.startswith("---"):
        return {}, text, 0
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            try:
                meta = yaml.safe_load(block) or {}
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                line = mark.line + 2 if mark is not None else None
                raise ReadError(f"front matter is not valid YAML ({getattr(e, 'problem', e)})",
                                path, line) from None
            if not isinstance(meta, dict):
                raise ReadError("front matter must be a mapping of keys to values", path, 2)
            return meta, "\n".join(lines[i + 1:]), i + 1
    raise ReadError("front matter opened with '---' is never closed", path, 1)


def _read(path: Path, on_error: Callable[[ReadError], None] | None) -> Iterator[Article]:
    text = decode(read_bytes(path), path).replace("\r\n", "\n")
    meta, body, _ = split_front_matter(text, path)
    published = parse_published(meta.get("published", meta.get("date")), path, 1 if meta else None)
    yield Article(
        id=str(meta.get("id") or path.stem),
        text=body.strip("\n"),
        title=str(meta.get("title") or ""),
        published=published,
        url=meta.get("url") or None,
        source=str(path),
    )


read_text = _read
read_markdown = _read
