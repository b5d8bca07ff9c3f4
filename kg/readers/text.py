"""Plain text and Markdown articles, with an optional YAML front matter block.

```
---
title: North Korea and Russia exchange letters
published: 2023-10-12
url: https://example.org/article
---
North Korean leader Kim Jong Un ...
```

The keys read are ``id`` (default: the file name without extension),
``title``, ``published`` (or ``date``) and ``url``; others are ignored.
An empty file, or one with no text after its front matter, is skipped with a
ReadError: there is no article in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from kg.errors import ReadError
from kg.model import Article
from kg.readers.base import check_text, decode, parse_published, read_bytes

__all__ = ["MAX_FRONT_MATTER", "read_markdown", "read_text", "split_front_matter"]

#: Front matter holds a few keys; a longer block is refused (YAML parsing is slow).
MAX_FRONT_MATTER = 64 * 1024


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay strings, and parse_published checks them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _one_line(s: object) -> str:
    """The first clause of a library's message, on one line."""
    return " ".join(str(s).split(";")[0].split())


def _load_yaml(block: str, path: Path) -> Any:
    try:
        return yaml.load(block, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 2 if mark is not None else 1
        raise ReadError(f"front matter is not valid YAML ({_one_line(e.problem or e.context or e)}); "
                        "fix it or remove the block", path, line) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as e:
        raise ReadError(f"front matter is not valid YAML ({_one_line(e) or type(e).__name__}); "
                        "fix it or remove the block", path, 1) from None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, number of lines the front matter took)."""
    if not text.startswith("---"):
        return {}, text, 0
    first, _, _ = text.partition("\n")
    if first.strip() != "---":
        return {}, text, 0
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            if len(block) > MAX_FRONT_MATTER:
                raise ReadError(f"front matter is over {MAX_FRONT_MATTER // 1024} KiB; keep it to id, title, "
                                "published and url", path, 1)
            meta = _load_yaml(block, path) if block.strip() else {}
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise ReadError("front matter must be 'key: value' lines (id, title, published, url)", path, 2)
            return meta, "\n".join(lines[i + 1:]), i + 1
    raise ReadError("front matter opened with '---' is never closed; end it with a '---' line "
                    "or remove the first line", path, 1)


def _key_line(text: str, key: str, n_lines: int) -> int | None:
    """The line of ``key:`` in the front matter (line 1 is the opening '---')."""
    rx = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*:""")
    for i, line in enumerate(text.split("\n", n_lines)[:n_lines], 1):
        if rx.match(line):
            return i
    return 1


def _field(meta: dict[str, Any], key: str, text: str, n: int, path: Path) -> str | None:
    """A scalar front matter value as a string (None when absent)."""
    v = meta.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise ReadError(f"front matter '{key}' must be a single value, not {type(v).__name__}",
                        path, _key_line(text, key, n))
    return str(v).strip()


def _read(path: Path, on_error: Callable[[ReadError], None] | None) -> Iterator[Article]:
    data = read_bytes(path)
    if not data:
        raise ReadError("file is empty; nothing to read", path)
    text = decode(data, path).replace("\r\n", "\n")
    meta, body, n = split_front_matter(text, path)
    key = "published" if meta.get("published") is not None else "date"
    published = parse_published(meta.get(key), path, _key_line(text, key, n) if n else None)
    aid = _field(meta, "id", text, n, path) or path.stem
    title = _field(meta, "title", text, n, path) or ""
    url = _field(meta, "url", text, n, path)
    body = body.strip("\n")
    check_text(body, path, what="article after the front matter" if n else "file")
    yield Article(id=aid, text=body, title=title, published=published, url=url, source=str(path))


read_text = _read
read_markdown = _read
