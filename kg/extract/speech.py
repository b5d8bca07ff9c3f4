"""Reported speech: who speaks in a sentence, and what their words are about.

Much criticism and many threats in news reach the reader only as quoted
evaluation: "'This is a travesty of international law,' the ambassador
said", "Lavrov told Kerry that the sanctions were 'absolutely
unacceptable'", "'(Putin) will pay a price,' Biden said".  No verb of the
event (condemn, warn) is there; the speech act is the event.  Trigger
patterns marked ``speech: true`` in ``triggers.yaml`` are such evaluative
words; they count only when the sentence names its speaker, and the
speaker -- not the nearest actor -- is the subject.

>>> from kg.extract.speech import SPEECH_VERBS
>>> "said" in SPEECH_VERBS and "told" in SPEECH_VERBS
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.extract.actors import Mention
from kg.extract.nlp import word_before

__all__ = ["SPEECH_VERBS", "speaker", "spoken_about"]

#: verbs that report what somebody said (finite forms: "said", not "saying")
SPEECH_VERBS = frozenset({"said", "says", "told", "tells", "maintained", "maintains", "insisted", "insists",
                          "argued", "argues", "stated", "declared", "stressed", "added", "noted", "wrote",
                          "writes", "tweeted", "posted", "reiterated", "asserted", "claimed", "claims",
                          "charged", "remarked", "replied", "responded", "according"})
# verbs after which the speaker may follow: '"...," said the minister'
_INVERTING = frozenset({"said", "says", "added", "wrote", "writes", "according", "tweeted", "stated", "declared"})
_QUOTES = frozenset({'"', "'", "''", "``"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their"})


def speaker(mentions: Sequence[Mention], lowers: Sequence[str], lo: int, hi: int,
            is_state: Callable[[str], bool], last_person: str | None = None) -> tuple[Mention, int] | None:
    """The speaker of a sentence and the position of its speech verb, or None.

    The speaker is the actor (a state, or a person or office of one) next to
    a speech verb: before it ("Biden said", "Al Sudani, in an interview,
    said"), or after it when the verb inverts ('"...," said Foreign Minister
    Wang Yi', "according to Xinhua").  An actor inside a quotation is what is
    spoken about, not who speaks: a closing quotation mark between actor and
    verb rules it out.  "The minister said", "the spokeswoman told" name the
    person last named (``last_person``, a state code).
    """
    for v in range(lo, hi):
        w = lowers[v]
        if w not in SPEECH_VERBS:
            continue
        if w == "according" and not (v + 1 < hi and lowers[v + 1] == "to"):
            continue
        if w in _INVERTING and (w == "according" or (v > lo and (lowers[v - 1] in _QUOTES or lowers[v - 1] == ","))):
            # '"...," said the minister', "according to Xinhua"; not "the ministry said Russia would"
            j = v + 1 + (w == "according")
            while j < hi and lowers[j] in _DETERMINERS:
                j += 1
            after = next((m for m in mentions if m.start == j and m.code and is_state(m.code)), None)
            if after is not None:
                return after, v
            if w == "according":
                continue
        before = [m for m in mentions if m.end <= v and v - m.end <= 12 and m.code and is_state(m.code)
                  and m.kind != "media"]
        inner = {k for x in mentions if x.end <= v for k in range(x.start, x.end)}
        for m in reversed(before):
            if m.start >= 2 and lowers[m.start - 1] in ("to", "the") and \
                    ("ambassador" in lowers[m.start - 3:m.start] or "envoy" in lowers[m.start - 3:m.start]):
                continue  # "Russia's ambassador to Moldova said": the host does not speak
            # the words between, but those of other actors' names ("the US ambassador to the UN said")
            gap = [lowers[k] for k in range(m.end, v) if k not in inner or lowers[k] in _QUOTES]
            if any(t in _QUOTES for t in gap) or "that" in gap or ";" in gap:
                break  # inside a quotation, or in another clause
            if _adjacent(gap):
                return m, v
        if last_person and v - 2 >= lo and lowers[v - 2] == "the" and lowers[v - 1] in _SPEAKER_TITLES:
            return Mention(v - 2, v, (last_person,), "anaphor", person=True), v
    return None


_SPEAKER_TITLES = frozenset({"minister", "president", "spokesman", "spokeswoman", "spokesperson", "ambassador",
                             "envoy", "premier", "chancellor", "secretary", "diplomat"})


def _adjacent(gap: Sequence[str]) -> bool:
    """Whether the words between an actor and a speech verb leave the actor its subject:
    none, time and manner words ("on Tuesday", "also"), or a parenthesis between commas
    (", in an interview in Davos,").  Not "Mexican immigrants with impunity, a rights group"."""
    if not gap:
        return True
    if len(gap) >= 2 and gap[0] == "," and gap[-1] == ",":
        return True
    return all(t in _GAP_WORDS or (t.endswith("ly") and len(t) > 4) for t in gap)


_GAP_WORDS = frozenset({"on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        "today", "yesterday", "tonight", "also", "later", "earlier", "again", "then", "has",
                        "have", "had", "last", "week", "night", "morning", "evening", "afternoon", "in", "a",
                        "statement", "the", "separately", "meanwhile", "himself", "herself", "itself",
                        # offices after a name or demonym: "the Pakistani foreign ministry said"
                        "foreign", "ministry", "government", "spokesman", "spokeswoman", "spokesperson",
                        "official", "officials", "embassy", "office", "president", "minister", "prime",
                        "leader", "military", "army", "ambassador", "envoy", "department", "defence",
                        "defense", "affairs", "'s", "state", "cabinet", "presidency", "to"})


def spoken_about(mentions: Sequence[Mention], lowers: Sequence[str], lo: int, hi: int, who: Mention, verb: int,
                 cue: int, is_state: Callable[[str], bool]) -> list[Mention]:
    """The states the speaker's words (the evaluative cue at ``cue``) are about.

    Those named in the part of the sentence that holds the cue: the quotation
    before the speaker, or the clause after the speech verb; never the
    speaker's own state, nor a place named as where something happened
    ("in Gaza").
    """
    own = who.code

    def about(a: int, b: int) -> list[Mention]:
        out = []
        for m in mentions:
            if not (a <= m.start < b) or m is who or not m.code or not is_state(m.code) or m.code == own:
                continue
            if m.start > lo and (lowers[m.start - 1] in ("in", "at") or
                                 (m.kind in ("capital", "seat") and lowers[m.start - 1] == "to")):
                continue  # "the killing of civilians in Sudan": where, not whom the words are about
            if m.kind != "media":
                out.append(m)
        return out

    if cue < who.start:
        # the quotation first; else the doer of what the sentence goes on to tell
        # ('..." X said, after Chinese vessels blocked ...'; not '... after meeting US officials')
        return about(lo, who.start) or [m for m in about(max(who.end, verb + 1), hi) if _clause_subject(m, lowers)]
    # the clause after the verb; else ('"...," X said in a message') the quotation before the speaker
    return about(verb + 1, hi) or (about(lo, who.start) if cue <= verb + 1 else [])


def _clause_subject(m: Mention, lowers: Sequence[str]) -> bool:
    """Whether a mention opens a clause of time or reason: "after Chinese vessels blocked"."""
    return word_before(lowers, m.start, _DETERMINERS) in ("after", "as", "when", "because", "since", "while")
