"""The two records kg passes between its stages: Article and Event.

Both are frozen dataclasses: an article read from disk and the events read out
of it never change afterwards, so they can be shared between processes,
hashed and compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from kg.relations import RELATIONS, event_type

__all__ = ["PRECISIONS", "Article", "Event"]

#: Date precisions, coarsest first.  A date string's length tells its precision.
PRECISIONS = ("year", "month", "day")
_PRECISION_OF_LENGTH = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True, slots=True)
class Article:
    """A news article: what the readers produce and the extractor consumes.

    ``published`` may be None; relative dates in the text then stay unresolved.
    ``source`` is the file the article came from (and ``line`` its line in a
    JSON Lines corpus), for error messages and provenance.
    """

    id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


@dataclass(frozen=True, slots=True)
class Event:
    """One dated subject-relation-object event read from one article.

    ``subject`` and ``object`` are actor ids (ISO alpha-3 for states, e.g.
    ``PRK``; ``SUN`` for the Soviet Union).  For symmetric relations the pair
    is stored in sorted order.  ``date`` is ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` (its length gives ``precision``), or None.

    >>> e = Event.make("a1", "RUS", "meet", "PRK", date="2023-09")
    >>> (e.subject, e.object, e.precision, e.plover)
    ('PRK', 'RUS', 'month', 'CONSULT')
    """

    article: str
    subject: str
    relation: str
    object: str
    date: str | None = None
    precision: str | None = None
    sentence: int = 0
    span: tuple[int, int] = (0, 0)
    evidence: str = ""
    confidence: float = 0.5
    cameo: str = ""
    plover: str = ""
    goldstein: float = 0.0
    quad: int = 0

    @classmethod
    def make(cls, article: str, subject: str, relation: str, object: str, **kw: Any) -> Event:
        """Build an event, filling codes from the relation table and ordering symmetric pairs."""
        rel = RELATIONS[relation]
        subject, _, object = event_type(subject, relation, object)
        date = kw.get("date")
        kw.setdefault("precision", precision_of(date))
        kw.setdefault("cameo", rel.cameo)
        kw.setdefault("plover", rel.plover)
        kw.setdefault("goldstein", rel.goldstein)
        kw.setdefault("quad", rel.quad)
        return cls(article=article, subject=subject, relation=relation, object=object, **kw)

    def with_(self, **changes: Any) -> Event:
        """A copy with some fields changed (symmetric pairs re-ordered)."""
        e = replace(self, **changes)
        if "date" in changes and "precision" not in changes:
            e = replace(e, precision=precision_of(e.date))
        subject, _, object = event_type(e.subject, e.relation, e.object)
        if subject != e.subject:
            e = replace(e, subject=subject, object=object)
        return e

    @property
    def key(self) -> tuple[str, str, str]:
        """(subject, relation, object): the event's type, without its date."""
        return (self.subject, self.relation, self.object)

    def to_dict(self) -> dict[str, Any]:
        """A flat, JSON-ready mapping (the ``--format jsonl`` record)."""
        return {
            "article": self.article,
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "date": self.date,
            "precision": self.precision,
            "sentence": self.sentence,
            "span": list(self.span),
            "evidence": self.evidence,
            "confidence": round(self.confidence, 3),
            "cameo": self.cameo,
            "plover": self.plover,
            "goldstein": self.goldstein,
            "quad": self.quad,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """Inverse of :meth:`to_dict`."""
        kw = {k: d[k] for k in ("date", "precision", "sentence", "evidence", "confidence",
                                "cameo", "plover", "goldstein", "quad") if k in d}
        if "span" in d:
            kw["span"] = tuple(d["span"])
        return cls.make(str(d["article"]), d["subject"], d["relation"], d["object"], **kw)


def precision_of(date: str | None) -> str | None:
    """``'1948-10-12'`` -> ``'day'``, ``'1948'`` -> ``'year'``, None -> None."""
    if not date:
        return None
    return _PRECISION_OF_LENGTH.get(len(date))
