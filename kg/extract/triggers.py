"""Relation triggers: the lexicon of ``kg/data/triggers.yaml`` matched on lemmas.

A pattern is a sequence of slots (``word|word``, optional ``slot?``, gaps
``*``/``**``); see the data file's header.  Matching is by lemma or lower-cased
form, so "signed", "signs" and "signing" all meet ``sign``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from kg.data import load_yaml
from kg.extract.nlp import lemma_table
from kg.relations import RELATIONS

__all__ = ["Lexicon", "TriggerMatch", "TriggerPattern", "lexicon"]

_GAP_STOP = frozenset({".", ";", ":", ",", "!", "?", "(", ")", "—", "–", "\n"})
_QUOTE_TOKENS = frozenset({'"', "'", "''", "``"})


@dataclass(frozen=True, slots=True)
class _Slot:
    words: frozenset[str] | None  # None: a gap; matched against lemma or lower-cased form
    optional: bool = False
    gap: int = 0
    exact: frozenset[str] = frozenset()  # matched against the lower-cased form only
    lows: frozenset[str] = frozenset()  # words | exact: what the lower-cased form may be


@dataclass(frozen=True, slots=True)
class TriggerPattern:
    relation: str
    text: str
    slots: tuple[_Slot, ...]
    conf: float
    noun: bool
    head: int
    cameo: str | None
    inverse: bool = False
    near: int | None = None
    speech: bool = False  # an evaluation that counts only as a named speaker's words (see kg.extract.speech)
    letter: bool = False  # words of a quoted letter: its author to its addressee ("Please accept ...")
    swap: bool = False  # the actor found as subject is the one acted on ("X's envoy was summoned")


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A trigger found in a sentence: token range ``[start, end)`` and its head token."""

    pattern: TriggerPattern
    start: int
    end: int
    head: int

    @property
    def relation(self) -> str:
        return self.pattern.relation


def _parse(relation: str, spec: str | dict) -> TriggerPattern:
    d = {"p": spec} if isinstance(spec, str) else dict(spec)
    slots = []
    for part in str(d["p"]).split():
        if part in ("*", "**"):
            slots.append(_Slot(None, gap=3 if part == "*" else 6))
            continue
        optional = part.endswith("?")
        alts = part.rstrip("?").split("|")
        words = frozenset(w.lower() for w in alts if not w.startswith("="))
        exact = frozenset(w[1:].lower() for w in alts if w.startswith("="))
        slots.append(_Slot(words, optional, exact=exact, lows=words | exact))
    if relation not in RELATIONS:
        raise ValueError(f"triggers.yaml: unknown relation {relation!r}")
    return TriggerPattern(relation, d["p"], tuple(slots), float(d.get("conf", 0.8)),
                          bool(d.get("noun", False)), int(d.get("head", 0)), d.get("cameo"),
                          bool(d.get("inverse", False)), d.get("near"), bool(d.get("speech", False)),
                          bool(d.get("letter", False)), bool(d.get("swap", False)))


class Lexicon:
    """All trigger patterns, indexed by the words their first slot accepts."""

    def __init__(self, patterns: Sequence[TriggerPattern]):
        self.patterns = list(patterns)
        self._by_first: dict[str, list[TriggerPattern]] = defaultdict(list)
        for p in self.patterns:
            first = (p.slots[0].words or frozenset()) | p.slots[0].exact
            for w in first:
                self._by_first[w].append(p)
        self.first_words = frozenset(self._by_first)
        self._first_cache: dict[tuple[str, str], tuple[TriggerPattern, ...]] = {}

    def _candidates(self, key: tuple[str, str]) -> tuple[TriggerPattern, ...]:
        """The patterns whose first slot accepts a token of this (lemma, lower-cased form),
        in lexicon order, each once; remembered per key."""
        lem, low = key
        out: dict[int, TriggerPattern] = {}
        for p in self._by_first.get(lem, []) + (self._by_first.get(low, []) if low != lem else []):
            s0 = p.slots[0]
            if lem in (s0.words or ()) or low in s0.lows:
                out.setdefault(id(p), p)
        if len(self._first_cache) > 100_000:
            self._first_cache.clear()
        v = self._first_cache[key] = tuple(out.values())
        return v

    def can_start(self, text: str) -> bool:
        """Whether a token with this text can begin a trigger (by its lemma or its form)."""
        low = text.lower()
        return low in self.first_words or lemma_table().get(low, low) in self.first_words

    def starts(self, keys: Sequence[tuple[str, str]]) -> list[int]:
        """Indices of the tokens that can begin a trigger: one pass per document, so that
        :meth:`find` looks only at these (most words begin none)."""
        first = self.first_words
        return [i for i, (lem, low) in enumerate(keys) if lem in first or low in first]

    def find(self, keys: Sequence[tuple[str, str]], texts: Sequence[str], lo: int, hi: int,
             starts: Sequence[int] | None = None) -> list[TriggerMatch]:
        """Trigger matches among tokens ``lo..hi`` (keys: (lemma, lower) per token;
        ``starts``: :meth:`starts` of the same keys, to skip the other tokens)."""
        out: list[TriggerMatch] = []
        if starts is None:
            starts = self.starts(keys)
        for i in starts[bisect_left(starts, lo):bisect_left(starts, hi)]:
            key = keys[i]
            cands = self._first_cache.get(key)
            if cands is None:
                cands = self._candidates(key)
            for p in cands:
                ends = self._match(p.slots, 1, i + 1, keys, texts, hi, [i])
                if ends is not None:
                    end, positions = ends
                    head_slot = min(p.head, len(positions) - 1)
                    out.append(TriggerMatch(p, i, end, positions[head_slot]))
        return out

    def _match(self, slots: tuple[_Slot, ...], k: int, i: int, keys: Sequence[tuple[str, str]],
               texts: Sequence[str], hi: int, pos: list[int]) -> tuple[int, list[int]] | None:
        """Slots ``k..`` matched from token ``i``: (end, token of each slot), or None.

        Word slots are followed in a loop; only gaps and optional words that matched
        branch (the first way that completes wins: shortest gap, optional word taken).
        A quotation mark inside a phrase is passed over: 'a "strong protest"'.
        """
        n = len(slots)
        while k < n:
            s = slots[k]
            if k and i < hi and texts[i] in _QUOTE_TOKENS:
                i += 1
            if s.words is None:  # a gap of up to s.gap tokens, shortest first
                nxt = slots[k + 1] if k + 1 < n else None
                must = nxt is not None and nxt.words is not None and not nxt.optional
                for g in range(0, s.gap + 1):
                    if g and (i + g - 1 >= hi or texts[i + g - 1] in _GAP_STOP):
                        break
                    j = i + g
                    if must:  # the next word cannot be here: this gap length fails without trying
                        if j < hi and texts[j] in _QUOTE_TOKENS:
                            j += 1
                        if not (j < hi and (keys[j][0] in nxt.words or keys[j][1] in nxt.lows)):  # type: ignore[union-attr,operator]
                            continue
                    r = self._match(slots, k + 1, i + g, keys, texts, hi, pos)
                    if r is not None:
                        return r
                return None
            if i < hi and (keys[i][0] in s.words or keys[i][1] in s.lows):
                if s.optional:
                    r = self._match(slots, k + 1, i + 1, keys, texts, hi, [*pos, i])
                    if r is not None:
                        return r
                    pos = [*pos, i]  # then without it
                else:
                    pos = [*pos, i]
                    i += 1
            elif s.optional:
                pos = [*pos, i]
            else:
                return None
            k += 1
        return i, pos


@cache
def lexicon() -> Lexicon:
    """The lexicon of the package's ``triggers.yaml`` (once per process)."""
    data = load_yaml("triggers.yaml")
    return Lexicon([_parse(rel, spec) for rel, specs in data.items() for spec in specs])
