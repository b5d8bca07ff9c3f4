"""A synthetic news corpus with gold events, for benchmarks and sanity scoring.

Articles are written from templates in the prose of wire news (datelines,
attributions, "French President Emmanuel Macron", "Moscow recalled its
ambassador", "the two countries also signed ...").  States, demonyms,
capitals and leaders come from kg's own data files (``kg/data/states.yaml``,
``kg/data/leaders.csv``); dates are relative ("on Tuesday", "last month",
"in March") and absolute ("on 9 March 2021", "in 2019").  Some sentences are
negated, planned or conditional, and some are filler: they carry no event.

Each record is one JSON line in the format of the evaluation sets::

    {"id", "url", "published", "title", "text",
     "events": [{"subject", "relation", "object", "date", "evidence", "template"}]}

The gold events are what the templates imply, with dates resolved by the
generator itself (not by kg), so scoring kg against them is a fair check.
``template`` (ignored by ``score.py``) names the template that wrote the
event, so that :mod:`benchmarks.score_corpus` can give recall per template.

Deterministic: article ``i`` of seed ``s`` depends only on ``(s, i)``, and
generation streams (constant memory at any size)::

    .venv/bin/python benchmarks/corpus.py 10k --seed 1 -o corpus.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TextIO

__all__ = ["FILLERS", "NEGATIVES", "TEMPLATES", "World", "generate", "parse_size", "world", "write_jsonl"]

# ---------------------------------------------------------------------------
# The world: states, names and leaders drawn from kg's data files

#: Monarchies: their head of state is not a "President"; only heads of
#: government and foreign ministers speak for them here.
MONARCHIES = frozenset(
    "GBR SAU JPN THA QAT ARE KWT BHR OMN JOR MAR ESP NLD BEL SWE NOR DNK BRN BTN KHM MYS SWZ LSO TON "
    "LIE MCO AND VAT CAN AUS NZL JAM BHS BLZ ATG KNA LCA VCT GRD PNG SLB TUV LUX".split())
#: Short names that take "the" in running prose.
_THE = re.compile(r"^(United |Central African|Czech|Dominican Republic|Republic of|Netherlands|Philippines|Bahamas|"
                  r"Gambia|Maldives|Marshall Islands|Solomon Islands|Seychelles|Comoros|Holy See)")
_TITLES = {"head_of_state": "President", "head_of_government": "Prime Minister", "leader": "leader",
           "foreign_minister": "Foreign Minister"}
_HOG_TITLE = {"DEU": "Chancellor", "AUT": "Chancellor", "CHN": "Premier"}
_FM_TITLE = {"USA": "Secretary of State", "GBR": "Foreign Secretary"}


@dataclass(frozen=True, slots=True)
class StateInfo:
    """How the generator names one state."""

    code: str
    name: str          # "United States"
    the: bool          # takes "the" in prose
    demonym: str | None
    capital: str | None
    founded: str | None
    weight: float


@dataclass(frozen=True, slots=True)
class Person:
    """A leader in office, with the title prose gives them."""

    name: str
    surname: str | None  # last word of the name when prose may use it alone
    code: str
    title: str


class World:
    """States and leaders as kg's data files describe them, filtered to forms the gazetteer resolves."""

    def __init__(self) -> None:
        from kg.gazetteer import gazetteer

        gaz = self.gaz = gazetteer()
        self.states: list[StateInfo] = []
        leader_states = {p.state for p in gaz.leaders}

        def ok(form: str | None, code: str) -> bool:
            if not form or "," in form:
                return False
            try:
                return gaz.resolve(form) == code
            except Exception:
                return False

        for s in gaz.states.values():
            if s.dissolved or (s.founded and s.founded > "2009"):
                continue
            if not ok(s.name, s.code):
                continue
            dem = next((d for d in s.demonyms if ok(d, s.code) and d[:1].isupper()), None)
            cap = next((c for c in s.capitals if ok(c, s.code)), None)
            weight = 3.0 if s.code in leader_states else 1.0
            self.states.append(StateInfo(s.code, s.name, bool(_THE.match(s.name)), dem, cap, s.founded, weight))
        self.by_code = {s.code: s for s in self.states}
        self._weights = [s.weight for s in self.states]
        self._cum: list[float] = []
        total = 0.0
        for w in self._weights:
            total += w
            self._cum.append(total)
        self._leaders: dict[str, list[Any]] = {}
        for p in gaz.leaders:
            if p.role in _TITLES and p.state in self.by_code:
                self._leaders.setdefault(p.state, []).append(p)

    def pick(self, rng: random.Random, exclude: set[str] | frozenset[str] = frozenset()) -> StateInfo:
        """A state at random (states with known leaders three times as likely)."""
        while True:
            s = rng.choices(self.states, cum_weights=self._cum)[0]
            if s.code not in exclude:
                return s

    def leaders(self, code: str, date: str) -> tuple[Person, ...]:
        """Leaders of ``code`` in office at ``date`` whose full name kg maps back to ``code``."""
        out = []
        for p in self._leaders.get(code, ()):
            if not p.in_office(date):
                continue
            if p.role == "head_of_state" and code in MONARCHIES:
                continue
            people = self.gaz.leaders_by_name.get(p.name, [])
            if self.gaz.leader_state(people, date) != code:
                continue
            if any(w in p.name for w in ("King", "Queen", "Pope", "Emir", "Sheikh", "Sultan", "Ayatollah")):
                continue
            title = _TITLES[p.role]
            if p.role == "head_of_government":
                title = _HOG_TITLE.get(code, title)
            elif p.role == "foreign_minister":
                title = _FM_TITLE.get(code, title)
            last = p.name.split()[-1]
            surname = last if last == p.surname and last.isalpha() and len(last) > 2 else None
            out.append(Person(p.name, surname, code, title))
        return tuple(out)


@cache
def world() -> World:
    return World()


# ---------------------------------------------------------------------------
# Templates
#
# Slots: {S:kind} the subject, {O:kind} the object, {O2:kind} a second object
# (one event per object), {D} the date phrase, {N} a count, {K} a number of
# days, {M} an amount.  Subject kinds: st (a state: name, organ or capital),
# ld (a leader when one is known, else a state), any (either), forces
# ("Russian forces"), and (in "{S:and} and {O:and}": a name or a leader named
# without "of X", which would swallow the conjunction).  Object kinds: n (name), cap (capital or name), ld,
# dem (demonym adjective), poss ("Iran's"), gov ("the Iranian government").
# Extra relations listed with a template are implied by the same sentence
# (subject -> object, same date).

@dataclass(frozen=True, slots=True)
class Template:
    relation: str
    text: str
    extra: tuple[str, ...] = ()


def _t(rel: str, *texts: str, extra: tuple[str, ...] = ()) -> list[Template]:
    return [Template(rel, t, extra) for t in texts]


TEMPLATES: list[Template] = [
    *_t("establish_relations",
        "{S:and} and {O:and} established diplomatic relations{D}.",
        "{S:st} established diplomatic ties with {O:n}{D}.",
        "{S:st} formally established diplomatic relations with {O:n}{D}, the foreign ministry said."),
    *_t("establish_relations", "{S:and} and {O:and} signed a joint communiqué establishing diplomatic relations{D}.",
        extra=("sign_agreement",)),
    *_t("recognize",
        "{S:st} recognized {O:n} as an independent state{D}.",
        "{S:st} formally recognised the independence of {O:n}{D}.",
        "{O:n} was recognized by {S:n}{D}.",
        "{S:st} announced{D} that it recognized {O:n}."),
    *_t("restore_relations",
        "{S:and} and {O:and} restored diplomatic relations{D}, ending years of estrangement.",
        "{S:st} resumed diplomatic ties with {O:n}{D}.",
        "{S:and} and {O:n} normalized relations{D} after a {K}-year rupture."),
    *_t("sever_relations",
        "{S:st} severed diplomatic relations with {O:n}{D}.",
        "{S:st} cut diplomatic ties with {O:n}{D}.",
        "{S:st} said{D} it was suspending diplomatic relations with {O:n}."),
    *_t("sever_relations",
        "{S:st} broke off diplomatic ties with {O:n}{D}, accusing {O:gov} of meddling in its affairs.",
        extra=("accuse",)),
    *_t("recall_ambassador",
        "{S:st} recalled its ambassador from {O:cap}{D}.",
        "{S:st} recalled its ambassador to {O:n} for consultations{D}.",
        "{S:st} recalled its ambassadors from {O:n} and {O2:n}{D}.",
        "{S:st} withdrew its envoy from {O:n}{D}."),
    *_t("expel_diplomats",
        "{S:st} expelled {N} {O:dem} diplomats{D}.",
        "{S:st} declared {O:poss} ambassador persona non grata{D}.",
        "{S:st} ordered the expulsion of {N} {O:dem} diplomats{D}.",
        "{S:st} expelled the {O:dem} ambassador{D}, giving the envoy {N} days to leave."),
    *_t("open_embassy",
        "{S:st} opened an embassy in {O:cap}{D}.",
        "{S:st} inaugurated its first embassy in {O:n}{D}.",
        "{S:st} officially opened a consulate in {O:cap}{D}."),
    *_t("close_embassy",
        "{S:st} closed its embassy in {O:cap}{D}, citing security concerns.",
        "{S:st} shut its embassy in {O:n}{D}.",
        "{S:st} suspended operations at its embassy in {O:cap}{D}."),
    *_t("visit",
        "{S:ld} visited {O:n}{D}.",
        "{S:ld} arrived in {O:cap}{D} for a {K}-day state visit.",
        "{S:ld} made a {K}-day trip to {O:n}{D}.",
        "{S:ld} travelled to {O:n}{D} for talks on trade and security."),
    *_t("meet",
        "{S:ld} met {O:ld} on the sidelines of a regional summit{D}.",
        "{S:ld} held talks with {O:ld}{D}.",
        "{S:and} and {O:and} spoke by phone{D}.",
        "Officials from {S:n} and {O:n} met in Geneva{D}."),
    *_t("correspond",
        "{S:ld} sent a letter to {O:ld}{D}.",
        "{S:and} and {O:and} exchanged messages{D}."),
    *_t("correspond",
        "{S:ld} sent a congratulatory message to {O:ld}{D}.",
        "{S:ld} sent congratulations to {O:ld}{D} on the country's national day.",
        extra=("praise",)),
    *_t("sign_agreement",
        "{S:and} and {O:and} signed a trade agreement{D}.",
        "{S:st} signed a memorandum of understanding on energy with {O:n}{D}.",
        "{S:and} and {O:and} signed a joint statement{D} on regional security.",
        "{S:and} and {O:n} inked a deal{D} to build a new rail link."),
    *_t("praise",
        "{S:ld} praised {O:n} for its role in the peace process{D}.",
        "{S:st} thanked {O:n} for its support{D}.",
        "{S:ld} congratulated {O:ld}{D} on the country's national day.",
        "{S:st} hailed {O:poss} decision to release the detained sailors{D}."),
    *_t("pledge_cooperation",
        "{S:and} and {O:and} pledged to strengthen cooperation in trade and energy{D}.",
        "{S:and} and {O:and} vowed{D} to deepen ties between the two countries.",
        "{S:and} and {O:n} agreed{D} to expand their strategic partnership."),
    *_t("criticize",
        "{S:any} condemned {O:poss} missile test{D}.",
        "{S:st} criticized {O:n} over its treatment of journalists{D}.",
        "{S:st} expressed concern over {O:poss} military build-up{D}.",
        "{S:st} summoned {O:poss} ambassador{D} over the remarks."),
    *_t("accuse",
        "{S:any} accused {O:n} of interfering in its internal affairs{D}.",
        "{S:st} accused {O:n}{D} of violating the ceasefire.",
        "{S:st} blamed {O:n} for the collapse of the negotiations{D}."),
    *_t("warn",
        "{S:any} warned {O:n} against further provocations{D}.",
        "{S:st} warned {O:n}{D} that it would respond to any aggression.",
        "{S:st} issued a stern warning to {O:n}{D}."),
    *_t("provide_aid",
        "{S:st} sent humanitarian aid to {O:n}{D}.",
        "{S:st} delivered a new package of military assistance to {O:n}{D}.",
        "{S:st} provided {O:n} with ${M} million in emergency aid{D}."),
    *_t("sanction",
        "{S:st} imposed sanctions on {O:n}{D}.",
        "{S:st} announced new sanctions against {O:dem} officials{D}.",
        "{S:st} imposed sanctions on {O:n} and {O2:n}{D}.",
        "{S:st} slapped an arms embargo on {O:n}{D}."),
    *_t("attack",
        "{S:st} launched air strikes on {O:n}{D}.",
        "{S:forces} attacked {O:dem} positions near the border{D}.",
        "{S:st} fired missiles at {O:n}{D}."),
]

#: Sentences that name a relation without asserting it happened: negated,
#: denied, planned, conditional.  No gold event.
NEGATIVES: list[str] = [
    "{S:st} did not recognize {O:n}.",
    "{S:st} has never recognized {O:n}.",
    "{S:ld} will visit {O:n} next month.",
    "{S:st} is expected to sign a trade agreement with {O:n} later this year.",
    "{S:st} denied launching air strikes on {O:n}.",
    "{S:st} could impose sanctions on {O:n} if the talks fail.",
    "{S:and} and {O:n} plan to open embassies in each other's capitals.",
    "{S:st} refused to recognize {O:n}.",
    "It was unclear whether {S:st} would recall its ambassador from {O:n}.",
    "{S:st} has not restored diplomatic relations with {O:n}.",
    "{S:ld} is scheduled to travel to {O:n} next week.",
    "{S:and} and {O:n} are expected to establish diplomatic relations next year.",
]

#: Sentences with no relation at all.  {A}/{B}: names of the article's states.
FILLERS: list[str] = [
    "Trade between the two countries reached ${M} billion last year, according to official figures.",
    "Analysts said the move was largely symbolic.",
    "The foreign ministry gave no further details.",
    "Officials in {Acap} declined to comment further.",
    "\"We are satisfied with the outcome,\" a senior official told reporters.",
    "Markets in the region were little changed on the news.",
    "The talks covered trade, energy and regional security.",
    "Relations between the two countries have been tense for years.",
    "{A} has a population of about {N2} million people.",
    "It was not immediately clear how {B} would respond.",
    "The two countries share a long history of trade.",
    "Diplomats said the atmosphere had been cordial.",
]

#: After a sentence about the article's pair: the pair referred back to.
ANAPHORIC: list[Template] = [
    *_t("sign_agreement", "The two countries also signed {N} agreements on trade and investment{D}."),
    *_t("pledge_cooperation", "Both sides also pledged to boost cooperation in energy{D}."),
    *_t("pledge_cooperation", "The two sides also agreed to deepen ties{D}."),
]

#: A short stable name per template ("recognize.2"), kept with each gold event
#: as ``template`` so that recall can be read per template.
TEMPLATE_IDS: dict[Template, str] = {}
for _group, _items in (("", TEMPLATES), ("anaphoric:", ANAPHORIC)):
    _seen: dict[str, int] = {}
    for _tpl in _items:
        _seen[_tpl.relation] = _seen.get(_tpl.relation, 0) + 1
        TEMPLATE_IDS[_tpl] = f"{_group}{_tpl.relation}.{_seen[_tpl.relation]}"

_HEADLINE = {
    "establish_relations": "{A} and {B} establish diplomatic ties", "recognize": "{A} recognizes {B}",
    "restore_relations": "{A} and {B} restore relations", "sever_relations": "{A} cuts ties with {B}",
    "recall_ambassador": "{A} recalls ambassador from {B}", "expel_diplomats": "{A} expels {B} diplomats",
    "open_embassy": "{A} opens embassy in {B}", "close_embassy": "{A} closes embassy in {B}",
    "visit": "{A} leader visits {B}", "meet": "{A}, {B} leaders hold talks",
    "correspond": "{A} and {B} exchange messages", "sign_agreement": "{A}, {B} sign agreement",
    "praise": "{A} praises {B}", "pledge_cooperation": "{A} and {B} pledge closer ties",
    "criticize": "{A} criticizes {B}", "accuse": "{A} accuses {B}", "warn": "{A} warns {B}",
    "provide_aid": "{A} sends aid to {B}", "sanction": "{A} sanctions {B}", "attack": "{A} strikes {B}",
}
_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_COUNT = ["two", "three", "four", "five", "six", "10", "12"]
_AGENCIES = ["Reuters", "AP", "AFP"]
_ATTRIBUTION = ["", "", ", the foreign ministry said", ", state media reported", ", officials said"]


# ---------------------------------------------------------------------------
# Dates, resolved by the generator


def _ym(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def date_phrase(rng: random.Random, pub: dt.date, lead: bool = False) -> tuple[str, str | None]:
    """A date phrase (with its leading space) and the date it means, at its precision."""
    r = rng.random()
    if lead:
        kinds = ["weekday"] * 12 + ["yesterday", "last_month", "this_month", "ago_weeks", "mdy", "none"]
    else:
        kinds = ["weekday"] * 4 + ["last_month", "this_month", "in_month", "last_year", "ago_weeks",
                                   "mdy", "dmy", "my", "year", "none", "none", "none"]
    kind = kinds[int(r * len(kinds))]
    if kind == "weekday":
        d = pub - dt.timedelta(days=rng.randint(1, 6))
        return f" on {_WEEKDAYS[d.weekday()]}", d.isoformat()
    if kind == "yesterday":
        return " yesterday", (pub - dt.timedelta(days=1)).isoformat()
    if kind == "last_month":
        return " last month", _ym(pub.replace(day=1) - dt.timedelta(days=1))
    if kind == "this_month" and pub.day >= 8:
        return " earlier this month", _ym(pub)
    if kind == "in_month" and pub.month > 1:
        m = rng.randint(1, pub.month - 1)
        return f" in {_MONTHS[m - 1]}", f"{pub.year:04d}-{m:02d}"
    if kind == "last_year":
        return " last year", f"{pub.year - 1:04d}"
    if kind == "ago_weeks":
        n = rng.choice([2, 3])
        return f" {['', '', 'two', 'three'][n]} weeks ago", _ym(pub - dt.timedelta(days=7 * n))
    if kind in ("mdy", "dmy", "my", "year"):
        d = pub - dt.timedelta(days=rng.randint(1, 5 * 365))
        if kind == "mdy":
            return f" on {_MONTHS[d.month - 1]} {d.day}, {d.year}", d.isoformat()
        if kind == "dmy":
            return f" on {d.day} {_MONTHS[d.month - 1]} {d.year}", d.isoformat()
        if kind == "my":
            if (d.year, d.month) == (pub.year, pub.month):
                return f" in {d.year}", f"{d.year:04d}"
            return f" in {_MONTHS[d.month - 1]} {d.year}", _ym(d)
        return f" in {d.year}", f"{d.year:04d}"
    return "", None


def _leading(phrase: str) -> str:
    """' on Tuesday' -> 'On Tuesday, ' (a date phrase moved to the front)."""
    p = phrase.strip()
    return p[:1].upper() + p[1:] + ", "


# ---------------------------------------------------------------------------
# Articles


@dataclass
class _Writer:
    world: World
    rng: random.Random
    pub: dt.date
    introduced: set[str] = field(default_factory=set)
    events: list[dict[str, Any]] = field(default_factory=list)
    keys: set[tuple[str, str, str]] = field(default_factory=set)
    _people: dict[str, tuple[Person, ...]] = field(default_factory=dict)

    # -- actors --------------------------------------------------------
    def name(self, s: StateInfo) -> str:
        return f"the {s.name}" if s.the else s.name

    def poss(self, s: StateInfo) -> str:
        n = self.name(s)
        return n + ("'" if n.endswith("s") else "'s")

    def person(self, s: StateInfo) -> Person | None:
        people = self._people.get(s.code)
        if people is None:
            people = self._people[s.code] = self.world.leaders(s.code, self.pub.isoformat())
        return self.rng.choice(people) if people else None

    def leader_phrase(self, p: Person, s: StateInfo, conj: bool = False) -> str:
        if p.name in self.introduced and p.surname and self.rng.random() < 0.7:
            return p.surname
        self.introduced.add(p.name)
        r = self.rng.random()
        if s.demonym and (r < 0.55 or (conj and r < 0.85)):
            return f"{s.demonym} {p.title} {p.name}"
        if conj:
            return p.name
        if r < 0.75:
            return f"{p.title} {p.name} of {self.name(s)}"
        if r < 0.85:
            return f"{self.poss(s)} {p.title.lower()} {p.name}" if p.title != "leader" else p.name
        return p.name

    def state_phrase(self, s: StateInfo) -> str:
        r = self.rng.random()
        if r < 0.6 or not s.demonym:
            if r > 0.9 and s.capital:
                return s.capital  # "Moscow recalled its ambassador"
            return self.name(s)
        if r < 0.75:
            return f"the {s.demonym} foreign ministry"
        if r < 0.85:
            return f"the {s.demonym} government"
        if r < 0.93 and s.capital:
            return s.capital
        return f"{self.poss(s)} foreign ministry"

    def conj(self, s: StateInfo) -> str:
        """A name or a leader, for one side of "A and B"."""
        p = self.person(s) if self.rng.random() < 0.4 else None
        return self.leader_phrase(p, s, conj=True) if p is not None else self.name(s)

    def subject(self, s: StateInfo, kind: str) -> str:
        if kind == "n":
            return self.name(s)
        if kind == "forces":
            return f"{s.demonym} forces" if s.demonym else f"{self.poss(s)} armed forces"
        if kind == "and":
            return self.conj(s)
        if kind in ("ld", "any"):
            p = self.person(s)
            if p is not None and (kind == "ld" or self.rng.random() < 0.4):
                return self.leader_phrase(p, s)
        return self.state_phrase(s)

    def object(self, s: StateInfo, kind: str) -> str:
        if kind == "cap":
            return s.capital if s.capital and self.rng.random() < 0.5 else self.name(s)
        if kind == "dem":
            return s.demonym or ""
        if kind == "poss":
            return self.poss(s)
        if kind == "and":
            return self.conj(s)
        if kind == "gov":
            return f"the {s.demonym} government" if s.demonym else f"{self.poss(s)} government"
        if kind in ("ld", "any"):
            p = self.person(s)
            if p is not None and (kind == "ld" or self.rng.random() < 0.3):
                return self.leader_phrase(p, s)
        return self.name(s)

    # -- sentences -----------------------------------------------------
    @staticmethod
    def needs(text: str, s: StateInfo, o: StateInfo | None) -> bool:
        """Whether the states have the names a template needs."""
        for m in _SLOT.finditer(text):
            who, kind = m.group(1), m.group(2)
            st = s if who == "S" else o
            if st is None:
                continue
            if kind in ("dem", "forces") and not st.demonym:
                return False
            if kind == "cap" and who == "O" and not st.capital:
                return False
        return True

    def fill(self, text: str, s: StateInfo | None, o: StateInfo | None, o2: StateInfo | None,
             date: str, cap: bool = True) -> str:
        def sub(m: re.Match[str]) -> str:
            slot, kind = m.group(1), m.group(2) or "n"
            if slot == "S":
                return self.subject(s, kind)  # type: ignore[arg-type]
            if slot == "O":
                return self.object(o, kind)  # type: ignore[arg-type]
            if slot == "O2":
                return self.object(o2, kind)  # type: ignore[arg-type]
            if slot == "D":
                return date
            if slot == "N":
                return self.rng.choice(_COUNT)
            if slot == "K":
                return self.rng.choice(["two", "three", "four"])
            if slot == "M":
                return str(self.rng.choice([5, 12, 20, 50, 100, 250]))
            if slot == "N2":
                return str(self.rng.randint(2, 90))
            return m.group(0)

        out = _SLOT.sub(sub, text)
        return out[:1].upper() + out[1:] if cap else out

    def gold(self, rel: str, s: str, o: str, date: str | None, evidence: str, template: str) -> bool:
        from kg.relations import RELATIONS

        if RELATIONS[rel].symmetric and o < s:
            s, o = o, s
        key = (s, rel, o)
        if key in self.keys:
            return False
        self.keys.add(key)
        self.events.append({"subject": s, "relation": rel, "object": o, "date": date, "evidence": evidence,
                            "template": template})
        return True

    def event_sentence(self, tpl: Template, s: StateInfo, o: StateInfo, lead: bool = False,
                       prefix: str = "", suffix: str = "") -> str | None:
        """One sentence asserting ``tpl``'s events; None if its events are already in the article."""
        from kg.relations import RELATIONS

        o2 = self.world.pick(self.rng, {s.code, o.code}) if "{O2" in tpl.text else None
        if o2 is not None and not self.needs(tpl.text.replace("O2", "O"), s, o2):
            return None
        pairs = [(s.code, o.code)] + ([(s.code, o2.code)] if o2 else [])
        rels = (tpl.relation, *tpl.extra)
        for a, b in pairs:
            for rel in rels:
                k = (min(a, b), rel, max(a, b)) if RELATIONS[rel].symmetric else (a, rel, b)
                if k in self.keys:
                    return None
        phrase, date = date_phrase(self.rng, self.pub, lead)
        text = tpl.text
        cap = True
        if phrase and self.rng.random() < 0.15 and text.endswith("{D}.") and text.startswith("{S") and not prefix:
            text = text.replace("{D}", "")
            prefix, phrase, cap = _leading(phrase), "", False
        body = prefix + self.fill(text, s, o, o2, phrase, cap)
        if suffix and body.endswith("."):
            body = body[:-1] + suffix + "."
        for a, b in pairs:
            for rel in rels:
                self.gold(rel, a, b, date, body, TEMPLATE_IDS.get(tpl, tpl.relation))
        return body


def _article(w: World, seed: int, i: int) -> dict[str, Any]:
    rng = random.Random(f"kg-corpus:{seed}:{i}")
    pub = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 9 * 365))
    wr = _Writer(w, rng, pub)
    a = w.pick(rng)
    b = w.pick(rng, {a.code})
    main = rng.choice(TEMPLATES)
    while not wr.needs(main.text, a, b):
        main = rng.choice(TEMPLATES)
    # lead: dateline, the main event, an attribution
    prefix = ""
    if rng.random() < 0.4 and a.capital:
        prefix = f"{a.capital.upper()} ({rng.choice(_AGENCIES)}) — "
    suffix = rng.choice(_ATTRIBUTION) if main.text.endswith("{D}.") else ""
    lead = wr.event_sentence(main, a, b, lead=True, prefix=prefix, suffix=suffix)
    paragraphs: list[list[str]] = [[lead or ""]]
    body: list[str] = []
    # more events about the pair, in either direction
    def add_event(tpl: Template, s: Any, o: Any) -> None:
        if wr.needs(tpl.text, s, o):
            sent = wr.event_sentence(tpl, s, o)
            if sent:
                body.append(sent)

    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        tpl = rng.choice(TEMPLATES)
        s, o = (a, b) if rng.random() < 0.7 else (b, a)
        add_event(tpl, s, o)
    fillers = [f for f in FILLERS if "{Acap}" not in f or a.capital]
    for f in rng.sample(fillers, rng.randint(1, 3)):
        body.insert(rng.randint(0, len(body)), wr.fill(f.replace("{Acap}", a.capital or "")
                                                         .replace("{A}", wr.name(a)).replace("{B}", wr.name(b)),
                                                         a, b, None, ""))
    # the pair referred back to, right after the lead
    if rng.random() < 0.3 and "{O2" not in main.text:
        sent = wr.event_sentence(rng.choice(ANAPHORIC), a, b)
        if sent:
            body.insert(0, sent)
    if rng.random() < 0.4:
        neg = rng.choice(NEGATIVES)
        s, o = (a, b) if rng.random() < 0.5 else (b, a)
        if wr.needs(neg, s, o):
            body.append(wr.fill(neg, s, o, None, ""))
    # background: when relations were established
    year = rng.randint(1993, pub.year - 2)
    if rng.random() < 0.25 and all((x.founded or "0") < str(year) for x in (a, b)):
        tpl = Template("establish_relations", rng.choice([
            "{S:n} and {O:n} established diplomatic relations in " + str(year) + ".",
            "The two countries established diplomatic relations in " + str(year) + "."]))
        k = (min(a.code, b.code), "establish_relations", max(a.code, b.code))
        if k not in wr.keys:
            text = wr.fill(tpl.text, a, b, None, "")
            wr.gold("establish_relations", a.code, b.code, str(year), text, "background:establish_relations")
            body.append(text)
    # a third state, at the end
    if rng.random() < 0.3:
        c = w.pick(rng, {a.code, b.code})
        tpl = rng.choice(TEMPLATES)
        s, o = (a, c) if rng.random() < 0.5 else (c, a)
        add_event(tpl, s, o)
    while body:
        n = rng.choice([1, 1, 2])
        paragraphs.append(body[:n])
        body = body[n:]
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    title = _HEADLINE[main.relation].format(A=a.name, B=b.name)
    return {"id": f"gen-{seed}-{i:06d}", "url": None, "published": pub.isoformat(), "title": title,
            "text": text, "events": wr.events}


def generate(n: int, seed: int = 0, start: int = 0) -> Iterator[dict[str, Any]]:
    """Articles ``start .. start+n-1`` of ``seed``, one dict at a time."""
    w = world()
    for i in range(start, start + n):
        yield _article(w, seed, i)


def write_jsonl(out: TextIO | str | Path, n: int, seed: int = 0) -> int:
    """Write ``n`` articles as JSON Lines (streaming); returns the number of gold events."""
    if not hasattr(out, "write"):
        with open(out, "w", encoding="utf-8") as f:  # type: ignore[arg-type]
            return write_jsonl(f, n, seed)
    events = 0
    for art in generate(n, seed):
        events += len(art["events"])
        out.write(json.dumps(art, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
    return events


def parse_size(s: str) -> int:
    """'1k' -> 1000, '100k' -> 100000, '2m' -> 2000000, '300' -> 300."""
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1_000_000}.get(s[-1:], 1)
    return int(float(s[:-1] if mult > 1 else s) * mult)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", type=parse_size, help="number of articles: 300, 1k, 10k, 100k")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = ap.parse_args(argv)
    if args.output:
        n = write_jsonl(args.output, args.size, args.seed)
        print(f"{args.size} articles, {n} gold events -> {args.output}", file=sys.stderr)
    else:
        try:
            write_jsonl(sys.stdout, args.size, args.seed)
        except BrokenPipeError:  # "| head": the reader has what it wanted
            sys.stderr.close()
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
