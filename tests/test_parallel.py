"""extract_stream with worker processes: the same (article, events) as in-process, in order, errors in place."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.corpus import generate
from kg.errors import ReadError
from kg.extract.pipeline import get_extractor
from kg.model import Article
from kg.parallel import extract_stream


def articles(n: int) -> list[Article]:
    return [Article(a["id"], a["text"], a["title"], dt.date.fromisoformat(a["published"]))
            for a in generate(n, 7)]


def test_workers_give_the_same_events_in_order() -> None:
    arts = articles(150)
    one = list(extract_stream(arts, jobs=1))
    two = list(extract_stream(arts, jobs=2, batch=16))
    assert [a for a, _ in two] == arts
    assert two == one
    assert sum(len(evs) for _, evs in two) > 100


def test_an_unreadable_article_is_reported_in_place() -> None:
    too_long = Article("huge", "x. " * (get_extractor().tokenizer.max_length // 3 + 10))
    arts = articles(20)
    arts.insert(5, too_long)
    errors: list[ReadError] = []
    got = list(extract_stream(arts, jobs=2, batch=4, on_error=errors.append))
    assert [a.id for a, _ in got] == [a.id for a in arts if a is not too_long]
    assert len(errors) == 1 and "huge" in str(errors[0])
    with pytest.raises(ReadError, match="huge"):
        list(extract_stream(arts, jobs=2, batch=4))
