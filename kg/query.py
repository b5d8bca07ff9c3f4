"""Questions users ask of a graph: relations of a pair, a state's timeline,
its partners, who did R to X, and the diplomatic status of a pair over time.

Predecessor states count: the relations of Russia include those of the
Soviet Union, and each such event says so (``via``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.errors import UsageError
from kg.gazetteer import gazetteer, require_state
from kg.graph.merge import MergedEvent
from kg.graph.store import DiplomacyGraph
from kg.relations import RELATIONS

__all__ = [
    "Status",
    "StatusChange",
    "check_date",
    "in_period",
    "partners",
    "relations",
    "status",
    "timeline",
    "who",
]


def check_date(value: str | None, what: str) -> str | None:
    """Validate a --since/--until/--at date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    import re

    if value is None:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise UsageError(f"{what} {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def in_period(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an event date falls in [since, until], compared at the coarser precision.

    Undated events are kept only when no period is asked for.
    """
    if since is None and until is None:
        return True
    if not date:
        return False
    if since and date[: len(since)] < since[: len(date)]:
        return False
    return not (until and date[: len(until)] > until[: len(date)])


def _check_relation(relation: str | None) -> None:
    if relation is not None and relation not in RELATIONS:
        raise UsageError(f"unknown relation {relation!r}; valid: {', '.join(RELATIONS)}")


def relations(graph: DiplomacyGraph, a: str, b: str, since: str | None = None,
              until: str | None = None, relation: str | None = None) -> list[MergedEvent]:
    """Events between two states (names or codes), predecessors included, in date order."""
    _check_relation(relation)
    gaz = gazetteer()
    la, lb = gaz.lineage(require_state(a)), gaz.lineage(require_state(b))
    index = graph.by_pair
    pairs = {frozenset((x, y)) for x in la for y in lb if x != y}
    candidates = [e for p in pairs for e in index.get(p, ())]
    out = [e for e in candidates if (relation is None or e.relation == relation) and in_period(e.date, since, until)]
    return sorted(out, key=lambda e: (e.date or "9999", e.relation, e.subject, e.object))


def timeline(graph: DiplomacyGraph, a: str, since: str | None = None, until: str | None = None,
             relation: str | None = None) -> list[MergedEvent]:
    """Every event of one state (and its predecessors) in date order."""
    _check_relation(relation)
    la = gazetteer().lineage(require_state(a))
    return [e for e in graph.events if (e.subject in la or e.object in la)
            and (relation is None or e.relation == relation) and in_period(e.date, since, until)]


def partners(graph: DiplomacyGraph, a: str, relation: str | None = None, since: str | None = None,
             until: str | None = None) -> list[tuple[str, int]]:
    """The state's partners with their number of events, most frequent first."""
    la = gazetteer().lineage(require_state(a))
    c: Counter[str] = Counter()
    for e in timeline(graph, a, since, until, relation):
        other = e.object if e.subject in la else e.subject
        c[other] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def who(graph: DiplomacyGraph, relation: str, target: str, since: str | None = None,
        until: str | None = None) -> list[MergedEvent]:
    """Who did RELATION to TARGET ("who recognized Kosovo"): the events, in date order."""
    _check_relation(relation)
    lt = gazetteer().lineage(require_state(target))
    sym = RELATIONS[relation].symmetric
    return [e for e in graph.events if e.relation == relation and in_period(e.date, since, until)
            and (e.object in lt or (sym and e.subject in lt))]


@dataclass(frozen=True)
class StatusChange:
    """A change of diplomatic status of a pair, with the event behind it."""

    date: str | None
    status: str  # established | severed | restored
    event: MergedEvent


@dataclass(frozen=True)
class Status:
    """The diplomatic status of a pair at a date, and its history."""

    a: str
    b: str
    at: str | None
    state: str  # none-known | established | severed | restored
    history: tuple[StatusChange, ...]

    @property
    def in_force(self) -> bool:
        return self.state in ("established", "restored")


_STATUS_OF = {"establish_relations": "established", "recognize": "established",
              "restore_relations": "restored", "sever_relations": "severed"}


def status(graph: DiplomacyGraph, a: str, b: str, at: str | None = None) -> Status:
    """Diplomatic status of a pair at a date (default: now), derived from the events.

    Relations are established by ``establish_relations`` (or, failing that,
    mutual recognition), broken by ``sever_relations`` and restored by
    ``restore_relations``; each change names its event.
    """
    check_date(at, "--at")
    events = [e for e in relations(graph, a, b) if e.relation in _STATUS_OF and e.date]
    changes: list[StatusChange] = []
    current = "none-known"
    for e in sorted(events, key=lambda e: (e.date, e.relation != "establish_relations")):
        if at and e.date[: len(at)] > at[: len(e.date)]:  # type: ignore[index]
            break
        new = _STATUS_OF[e.relation]
        if new == "established" and current in ("established", "restored"):
            continue
        if new == "restored" and current == "none-known":
            new = "established"
        if new == current:
            continue
        changes.append(StatusChange(e.date, new, e))
        current = new
    return Status(require_state(a), require_state(b), at, current, tuple(changes))
