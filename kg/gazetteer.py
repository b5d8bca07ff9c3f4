"""Who the actors are: states, organisations and leaders, from the data files.

``kg/data/states.yaml`` (names, demonyms, capitals, seats of power, agencies,
lifetimes and successions), ``kg/data/organisations.yaml`` and
``kg/data/leaders.csv`` (people with their terms of office).  The
:class:`Gazetteer` answers "which actor is this name?" for the extractor and
the query commands alike.

>>> g = gazetteer()
>>> g.resolve("DPRK"), g.resolve("north korea"), g.resolve("PRK")
('PRK', 'PRK', 'PRK')
>>> g.state_at("RUS", "1948-10-12")
'SUN'
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from kg.data import data_path, load_yaml
from kg.errors import UsageError

__all__ = ["Gazetteer", "Leader", "Organisation", "State", "fold", "gazetteer"]


@dataclass(frozen=True, slots=True)
class State:
    """A state, current or former, with the names news writers use for it."""

    code: str
    name: str
    alpha2: str | None = None
    formal: str | None = None
    qid: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    founded: str | None = None
    dissolved: str | None = None
    successors: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()

    def exists_at(self, date: str) -> bool:
        """Whether the state existed at an ISO date (of any precision)."""
        if self.founded and date[: len(self.founded)] < self.founded[: len(date)]:
            return False
        return not (self.dissolved and date[: len(self.dissolved)] > self.dissolved[: len(date)])


@dataclass(frozen=True, slots=True)
class Organisation:
    """An international organisation or a bloc: an actor, never a state."""

    code: str
    name: str
    kind: str = "organisation"
    qid: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Leader:
    """A person holding an office of a state for a period (``end`` None: in office)."""

    name: str
    surname: str
    state: str
    role: str
    start: str
    end: str | None = None
    aliases: tuple[str, ...] = ()

    def in_office(self, date: str) -> bool:
        if date[: len(self.start)] < self.start[: len(date)]:
            return False
        return not (self.end and date[: len(self.end)] > self.end[: len(date)])


def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Côte d'Ivoire" -> "cote divoire"."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("’", "'").replace("'", "").replace(".", "").replace("-", " ")
    if s.startswith("the "):
        s = s[4:]
    return " ".join(s.split())


def _date(v: object) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _tuple(v: object) -> tuple[str, ...]:
    if not v:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)  # type: ignore[union-attr]


class Gazetteer:
    """All actors and their names; built once per process by :func:`gazetteer`."""

    def __init__(self, states: list[State], orgs: list[Organisation], leaders: list[Leader]):
        self.states: dict[str, State] = {s.code: s for s in states}
        self.orgs: dict[str, Organisation] = {o.code: o for o in orgs}
        self.leaders = leaders
        self._folded: dict[str, str] = {}
        for o in orgs:
            for n in (o.code, o.name, *o.aliases):
                self._folded.setdefault(fold(n), o.code)
        for s in states:
            for n in (s.name, s.formal or "", *s.aliases, *s.demonyms, *s.capitals, *s.seats):
                if n:
                    self._folded[fold(n)] = s.code
        for s in states:  # codes win over names
            self._folded[fold(s.code)] = s.code
            if s.alpha2:
                self._folded.setdefault(fold(s.alpha2), s.code)
        self.leaders_by_name: dict[str, list[Leader]] = defaultdict(list)
        self.leaders_by_surname: dict[str, list[Leader]] = defaultdict(list)
        for p in leaders:
            for n in (p.name, *p.aliases):
                self.leaders_by_name[n].append(p)
            self.leaders_by_surname[p.surname].append(p)

    # -- names -----------------------------------------------------------
    def is_state(self, code: str) -> bool:
        return code in self.states

    def label(self, code: str) -> str:
        """Short English name of an actor, or the code itself when unknown."""
        if code in self.states:
            return self.states[code].name
        if code in self.orgs:
            return self.orgs[code].name
        return code

    def resolve(self, name: str) -> str:
        """Actor code for a name, code, demonym, capital or leader; UsageError if unknown.

        Case, accents, dots and a leading "the" are ignored.
        """
        key = fold(name)
        if key in self._folded:
            return self._folded[key]
        people = [p for n, ps in self.leaders_by_name.items() if fold(n) == key for p in ps]
        if people:
            return max(people, key=lambda p: p.start).state
        close = sorted(self.states[c].name for n, c in self._folded.items()
                       if n.startswith(key[:3]) and c in self.states and n == fold(self.states[c].name))[:5] \
            if key else []
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
            "; give a state's name or ISO code, e.g. 'North Korea' or PRK"
        raise UsageError(f"unknown state or actor {name!r}{hint}")

    # -- time ------------------------------------------------------------
    def state_at(self, code: str, date: str | None) -> str:
        """The state that stood for ``code`` at ``date``: Russia in 1948 was the Soviet Union.

        Walks predecessors while the state did not yet exist at the date; a
        date the state's data cannot place leaves the code unchanged.
        """
        s = self.states.get(code)
        if s is None or not date:
            return code
        seen = {code}
        while not s.exists_at(date) and s.predecessors:
            for p in s.predecessors:
                ps = self.states.get(p)
                if ps is not None and p not in seen and (ps.exists_at(date) or ps.predecessors):
                    s = ps
                    seen.add(p)
                    break
            else:
                break
        return s.code if s.exists_at(date) else code

    def lineage(self, code: str) -> set[str]:
        """The state with the predecessors it continues, transitively (Russia -> {RUS, SUN}).

        A predecessor counts when this state is its first-named successor, its
        continuator: Russia continues the Soviet Union, Ukraine does not.
        """
        return self._closure({code}, lambda s: (p for p in s.predecessors
                                               if p in self.states and self.states[p].successors[:1] == (s.code,)))

    def linked(self, codes: set[str]) -> set[str]:
        """The codes with every state their successions link to, transitively (both ways)."""
        return self._closure(codes, lambda s: (*s.successors, *s.predecessors))

    def _closure(self, codes: set[str], step: Callable[[State], Iterable[str]]) -> set[str]:
        """The codes and every state reachable from them by ``step``, transitively."""
        out: set[str] = set()
        todo = list(codes)
        while todo:
            c = todo.pop()
            if c in out:
                continue
            out.add(c)
            s = self.states.get(c)
            if s is not None:
                todo.extend(x for x in step(s) if x not in out)
        return out

    def leader_state(self, people: list[Leader], date: str | None) -> str | None:
        """The state a named person acted for at ``date`` (latest term when undated)."""
        if not people:
            return None
        if date:
            current = [p for p in people if p.in_office(date)]
            if current:
                return current[0].state
            past = [p for p in people if p.start[: len(date)] <= date]
            if past:
                return max(past, key=lambda p: p.start).state
        return max(people, key=lambda p: p.start).state


def _load_states() -> list[State]:
    out = []
    for r in load_yaml("states.yaml"):
        out.append(State(
            code=r["code"], name=r["name"], alpha2=r.get("alpha2"), formal=r.get("formal"),
            qid=r.get("qid"), aliases=_tuple(r.get("aliases")), demonyms=_tuple(r.get("demonyms")),
            capitals=_tuple(r.get("capitals")), seats=_tuple(r.get("seats")),
            agencies=_tuple(r.get("agencies")), founded=_date(r.get("founded")),
            dissolved=_date(r.get("dissolved")), successors=_tuple(r.get("successors")),
            predecessors=_tuple(r.get("predecessors"))))
    return out


def _load_orgs() -> list[Organisation]:
    return [Organisation(code=r["code"], name=r["name"], kind=r.get("kind", "organisation"),
                         qid=r.get("qid"), aliases=_tuple(r.get("aliases")),
                         demonyms=_tuple(r.get("demonyms")))
            for r in load_yaml("organisations.yaml")]


def _load_leaders() -> list[Leader]:
    with data_path("leaders.csv").open(encoding="utf-8", newline="") as f:
        return [Leader(name=r["name"].strip(), surname=r["surname"].strip(), state=r["state"].strip(),
                       role=r["role"].strip(), start=r["start"].strip(), end=r["end"].strip() or None,
                       aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()))
                for r in csv.DictReader(f) if r.get("name")]


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer built from the package's data files (once per process)."""
    return Gazetteer(_load_states(), _load_orgs(), _load_leaders())


def require_state(name: str) -> str:
    """Like :meth:`Gazetteer.resolve` but the answer must be a state."""
    g = gazetteer()
    code = g.resolve(name)
    if not g.is_state(code):
        raise UsageError(f"{name!r} is {g.label(code)}, an organisation, not a state")
    return code
