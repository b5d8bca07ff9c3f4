"""Actor mentions: which tokens of a sentence name a state, and which state.

Stages, in order, for each sentence:

1. dictionary matches (names, demonyms, capitals, seats of power, state
   agencies, organisations, leaders' full names), case-insensitive but with
   a capital first letter, and exact case for acronyms such as "US";
2. people introduced with their office: "Russian President Vladimir Putin",
   "Kiribati's President Taneti Mamau", "Wang Yi, China's foreign minister",
   "President Mamau of Kiribati" - the person is registered for the article;
3. later references: surnames of registered people and of leaders in office,
   pronouns ("he", "its"), "the two countries", "both sides", "this country".

The :class:`Discourse` carries what earlier sentences established (people,
the state last in focus, the pair in focus) through the article.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

from kg.data import load_yaml
from kg.extract.nlp import Sent, Tokens, get_tokenizer
from kg.gazetteer import Gazetteer, gazetteer

__all__ = ["ActorFinder", "Discourse", "Mention", "actor_finder"]

PREPOSITIONS = frozenset(
    "of to in with from by on at for against between over about toward towards into than among "
    "amongst via under after before during per upon onto across through within "
    "without near beside besides versus vs vs. despite except unlike regarding concerning amid".split())
_NAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "de", "da", "do", "dos", "van", "von", "der",
                             "la", "le", "di", "du", "ben", "abu", "-", "al-", "el-"})


_NOT_PERSON = frozenset({"National", "Day", "Independence", "Foreign", "Ministry", "Embassy", "Government",
                         "Parliament", "Army", "Navy", "Air", "Force", "State", "Council", "Party", "Assembly",
                         "Federation", "Republic", "Kingdom", "Union", "Office", "House", "Bank", "Central",
                         "People", "Supreme", "Court", "Security", "Defense", "Defence", "Revolution",
                         "Constitution", "Olympic", "Cup", "League", "Games", "Airlines", "Airways", "News",
                         "Agency", "Television", "Times", "Post", "Daily", "Press", "Media", "Day's"})
# first letters of capitalised words (a set lookup is cheaper than str.isupper() on every token)
_UPPER = frozenset(c for c in map(chr, range(sys.maxunicode + 1)) if c.isupper())
_PAIR_PEOPLE = frozenset({"ministers", "leaders", "presidents", "premiers", "envoys", "counterparts"})
_MEDIA = frozenset({"media", "agency", "television", "tv", "radio", "newspaper", "broadcaster"})


@dataclass(slots=True, eq=False)
class Mention:
    """Tokens ``[start, end)`` of a doc that name an actor.

    Mentions compare by identity: two mentions of the same words are still two
    (and lists of them are searched often, so comparing is cheap).

    ``codes`` holds the actor code, or two codes for a pair ("the two
    countries"); it is empty while a reference is unresolved.
    """

    start: int
    end: int
    codes: tuple[str, ...]
    kind: str
    person: bool = False
    weight: float = 1.0
    #: the one actor code, or None for a pair or an unresolved reference (read often: computed once)
    code: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.code = self.codes[0] if len(self.codes) == 1 else None


@dataclass
class Discourse:
    """What the article has said so far, for resolving later references."""

    published: str | None
    persons: dict[str, str] = field(default_factory=dict)  # name or surname -> state code
    last_person: str | None = None
    last_state: str | None = None
    last_subject: str | None = None
    pair_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    pair_last: dict[tuple[str, str], int] = field(default_factory=dict)
    salience: Counter[str] = field(default_factory=Counter)
    dateline: str | None = None
    groups: list[tuple[str, ...]] = field(default_factory=list)  # lists of states named together
    last_two: tuple[str, str, int] | None = None  # the last two states named together, and where
    recent: list[str] = field(default_factory=list)
    sentence_no: int = 0
    author: str | None = None  # the writer of the letter or message the article quotes
    addressee: str | None = None
    letter_date: str | None = None  # the day that letter was sent or received, when the article gives it

    def protagonist(self) -> str | None:
        """The state the article is about: most often named, in subject position counting double."""
        if not self.salience:
            return None
        return max(self.salience, key=lambda c: (self.salience[c], -self.recent[::-1].index(c)
                                                 if c in self.recent else 0))

    def focus_pair(self) -> tuple[str, str] | None:
        """The pair of states the article is mostly about so far."""
        if not self.pair_counts:
            return None
        return max(self.pair_counts, key=lambda p: (self.pair_counts[p], self.pair_last[p]))

    def note_pair(self, a: str, b: str, weight: int = 1) -> None:
        if a == b:
            return
        p = (a, b) if a < b else (b, a)
        self.pair_counts[p] += weight
        self.pair_last[p] = self.sentence_no


class ActorFinder:
    """Finds and resolves actor mentions; one per process (see :func:`actor_finder`)."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        tokenize = get_tokenizer()
        data = load_yaml("actors.yaml")
        self.titles = [tuple(t.lower().split()) for t in data["titles"]]
        self.titles.sort(key=len, reverse=True)
        self.title_first = {t[0] for t in self.titles}
        self.organs = [tuple(t.lower().split()) for t in data["organs"]]
        self.pair_nouns = [tuple(t.lower().split()) for t in data["pair_nouns"]]
        pron = data["pronouns"]
        self.person_pronouns = frozenset(pron["person"])
        self.state_pronouns = frozenset(pron["state"])
        self.group_pronouns = frozenset(pron["group"])
        self.state_anaphors = [tuple(t.lower().split()) for t in data["state_anaphors"]]
        self._anaphor_first = frozenset(a[0] for a in self.state_anaphors)
        self._anaphors_by_two: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for a in self.state_anaphors:  # by their first two words ("the ministry", "the foreign ...")
            self._anaphors_by_two.setdefault(a[:2], []).append(a)
        self._titles_by_first: dict[str, list[tuple[str, ...]]] = {}
        for t in self.titles:  # longest first, as self.titles
            self._titles_by_first.setdefault(t[0], []).append(t)
        # words that can begin a reference: pronouns, "the two ...", "this country", "here"
        self._ref_words = frozenset({"the", "these", "those", "all", "this", "that", "two", "both", "their", "here",
                                     "i", "my", "we", "our", "us", "me"}) | self.person_pronouns | \
            self.state_pronouns | self.group_pronouns | self._anaphor_first
        self.family_first = frozenset(data["family_name_first"])
        # what may follow a determiner that begins a reference (see _references): a pair's people,
        # "two" and other numbers, the second word of a state anaphor; or a head noun within six words
        self._det_next = frozenset(_PAIR_PEOPLE) | {"two", "three"} | set(self._NUMBERS) | \
            {a[1] for a in self.state_anaphors if len(a) > 1 and a[0] in self._DETERMINERS}
        self._det_heads = self._ANAPHOR_HEADS | {"nation"}
        self.ambiguous_surnames = frozenset(data.get("ambiguous_surnames", ()))
        self.entries: dict[str, tuple[str, str, str]] = {}  # lower form -> (code or name, kind, form)
        forms: dict[str, tuple[str, str]] = {}
        for o in gaz.orgs.values():
            for n in (o.name, *o.aliases):
                forms.setdefault(n, (o.code, "org"))
            for n in o.demonyms:
                forms.setdefault(n, (o.code, "org"))
        for s in gaz.states.values():
            for kind, names in (("name", (s.name, s.formal or "", *s.aliases)), ("demonym", s.demonyms),
                                ("capital", s.capitals), ("seat", s.seats), ("agency", s.agencies)):
                for n in names:
                    if n and n not in forms:
                        forms[n] = (s.code, kind)
        for name in gaz.leaders_by_name:
            forms.setdefault(name, (name, "leader"))
        by_lower: dict[str, list[str]] = {}
        for form in forms:
            by_lower.setdefault(form.lower(), []).append(form)
        # the dictionary as phrases of lower-cased tokens, the first form of each spelling
        # tokenized as written ("U.S." is one token, "u.s." is not): per phrase (code, kind,
        # the exact forms an acronym must have, or None)
        self._phrases: dict[tuple[str, ...], tuple[str, str, list[str] | None]] = {}
        for low, fs in by_lower.items():
            code, kind = forms[fs[0]]
            self.entries[low] = (code, kind, fs[0])
            bare = fs[0].replace(".", "")
            acronym = bare.isupper() and len(bare) <= 5
            phrase = tuple(tokenize(fs[0]).lowers)
            self._phrases.setdefault(phrase, (code, kind, by_lower[low] if acronym else None))
        self._first_words = frozenset(p[0] for p in self._phrases)
        # one-word names by their word; longer ones: per first word, per second word their lengths, longest first
        follow: dict[str, dict[str, set[int]]] = {}
        for p in self._phrases:
            if len(p) > 1:
                follow.setdefault(p[0], {}).setdefault(p[1], set()).add(len(p))
        self._phrase_follow = {w: {w2: sorted(ns, reverse=True) for w2, ns in d.items()} for w, d in follow.items()}
        self._single = {p[0]: hit for p, hit in self._phrases.items() if len(p) == 1}
        # a name matches only capitalised, but for acronyms whose exact forms start otherwise
        self._lower_starts = frozenset(p[0] for p, (_, _, exact) in self._phrases.items()
                                       if exact and any(f[0] not in _UPPER for f in exact))
        self.surname_leaders = gaz.leaders_by_surname
        self._doc: Tokens | None = None
        self._texts: list[str] = []
        self._lowers: list[str] = []
        self._matches: list[tuple[int, int, str, str]] = []
        self._match_starts: list[int] = []

    # ------------------------------------------------------------------
    def _title_at(self, lowers: list[str], i: int, hi: int) -> int:
        """Length of the longest office title starting at token i (0 if none)."""
        if i >= hi or lowers[i] not in self.title_first:
            return 0
        for t in self._titles_by_first[lowers[i]]:
            n = len(t)
            if i + n <= hi and tuple(lowers[i:i + n]) == t:
                return n
        return 0

    def _titles_run(self, lowers: list[str], i: int, hi: int) -> int:
        """Tokens taken by a run of titles ("Deputy Prime Minister and Foreign Minister")."""
        j = i
        while True:
            n = self._title_at(lowers, j, hi)
            if not n:
                # "Minister of Foreign Affairs", "Minister for Foreign Affairs"
                break
            j += n
            if j < hi and lowers[j] in ("of", "for") and j + 2 < hi and lowers[j + 1] == "foreign" \
                    and lowers[j + 2] == "affairs":
                j += 3
            if j < hi and lowers[j] == "and" and self._title_at(lowers, j + 1, hi):
                j += 1
        return j - i

    def _name_run(self, doc: Tokens, i: int, hi: int, taken: set[int]) -> int:
        """Tokens of a person's name starting at i: capitalised words and particles."""
        j = i
        while j < hi and j - i < 6 and j not in taken:
            t = self._texts[j]
            if (t[:1].isupper() and t.isalpha()) or (t[:1].isupper() and "." in t and len(t) <= 3) \
                    or (t[:1].isupper() and "-" in t):
                j += 1
            elif t.lower() in _NAME_PARTICLES and j > i and j + 1 < hi and self._texts[j + 1][:1].isalpha():
                j += 1
            elif j > i and self._texts[j - 1] == "-" and t.isalpha():
                j += 1
            else:
                break
        while j > i and self._texts[j - 1].lower() in _NAME_PARTICLES:
            j -= 1
        return j - i

    def _register(self, doc: Tokens, a: int, b: int, code: str, ctx: Discourse) -> None:
        words = [t for t in self._texts[a:b] if t != "-"]
        if not words:
            return
        full = " ".join(words)
        ctx.persons[full] = code
        ctx.persons[words[-1]] = code
        if code in self.family_first or len(words) == 1:
            ctx.persons[words[0]] = code
        ctx.last_person = code

    def _leader_code(self, name: str, ctx: Discourse) -> str | None:
        return self.gaz.leader_state(self.gaz.leaders_by_name.get(name, []), ctx.published)

    def word_classes(self) -> dict[str, Callable[[str], bool]]:
        """The tests of a token's text behind the positions :meth:`set_doc` takes (see
        :class:`kg.extract.nlp.WordClasses`): capitalised words, words that can begin a
        reference, words that can begin a dictionary name."""
        refw, first, lower_starts = self._ref_words, self._first_words, self._lower_starts
        return {"cap": lambda t: t[0] in _UPPER, "ref": lambda t: t.lower() in refw,
                "name": lambda t: (low := t.lower()) in first and (t[0] in _UPPER or low in lower_starts)}

    def set_doc(self, doc: Tokens, texts: list[str], lowers: list[str],
                positions: dict[str, list[int]] | None = None) -> None:
        """The document about to be read: its token texts (computed once by the caller) and
        the dictionary matches over the whole document, shared out to sentences later.
        ``positions``: the tokens of each of :meth:`word_classes`, when the caller has them."""
        self._doc, self._texts, self._lowers = doc, texts, lowers
        if positions is None:
            positions = {name: [i for i, t in enumerate(texts) if test(t)]
                         for name, test in self.word_classes().items()}
        # the only tokens the per-sentence loops look at: capitalised words and reference words
        self._caps = caps = positions["cap"]
        self._refs = sorted({*caps, *positions["ref"]})
        raw: list[tuple[int, int, str, str]] = []
        phrases, single, follow, n = self._phrases, self._single, self._phrase_follow, len(lowers)

        def add(s: int, e: int, hit: tuple[str, str, list[str] | None]) -> None:
            code, kind, exact = hit
            if exact is not None:
                if doc.text[slice(*doc.char_span(s, e))] not in exact:
                    return  # acronyms in exact case only: "US", never "us"
            elif not texts[s][:1].isupper():
                return
            raw.append((s, e, code, kind))

        for s in positions["name"]:  # all names that start here, longest first
            low = lowers[s]
            if s + 1 < n and (nexts := follow.get(low)) is not None:
                for k in nexts.get(lowers[s + 1], ()):
                    if s + k <= n and (hit := phrases.get(tuple(lowers[s:s + k]))) is not None:
                        add(s, s + k, hit)
            if (hit := single.get(low)) is not None:
                add(s, s + 1, hit)
        self._matches = raw
        self._match_starts = [m[0] for m in raw]

    def find(self, doc: Tokens, sent: Sent, ctx: Discourse) -> list[Mention]:
        """Resolved mentions of one sentence, left to right; updates the discourse."""
        lo, hi = sent.start, sent.end
        if self._doc is not doc:  # token texts once per document, not once per sentence
            self.set_doc(doc, doc.texts, doc.lowers)
        lowers = self._lowers
        raw = [m for m in self._matches[bisect_left(self._match_starts, lo):bisect_left(self._match_starts, hi)]
               if m[1] <= hi]
        mentions: list[Mention] = []
        last_end = lo
        for s, e, code, kind in raw:
            if s < last_end:
                continue
            if kind == "leader":
                code = self._leader_code(code, ctx) or ""
                if not code:
                    continue
                self._register(doc, s, e, code, ctx)
                mentions.append(Mention(s, e, (code,), "leader", person=True))
            else:
                mentions.append(Mention(s, e, (code,), kind))
            last_end = e
        prev_person = ctx.last_person
        mentions = self._datelines(doc, mentions, lo, ctx)
        mentions = [m for m in mentions if not self._inside_name(doc, m, lo, hi)]
        mentions = self._people(doc, lowers, mentions, lo, hi, ctx)
        mentions = self._merge_organs(doc, lowers, mentions)
        mentions = self._references(doc, lowers, mentions, lo, hi, ctx, prev_person)
        return mentions

    _NOT_NAME = frozenset({"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                           "The", "A", "In", "On", "At", "And", "But", "As", "For", "With", "From", "By", "To",
                           "January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December", "I", "He", "She", "It", "They"})

    def _inside_name(self, doc: Tokens, m: Mention, lo: int, hi: int) -> bool:
        """'Atletico Madrid', 'the Washington Post': a capital inside another proper name."""
        if m.kind not in ("capital",):
            return False
        nxt = self._texts[m.end] if m.end < hi else ""
        prv = self._texts[m.start - 1] if m.start - 1 >= lo else ""
        if nxt[:1].isupper() and nxt.isalpha() and nxt not in self._NOT_NAME and \
                nxt.lower() not in self.title_first and not nxt.isupper():
            return True
        return bool(prv[:1].isupper() and prv.isalpha() and prv not in self._NOT_NAME and
                    m.start - 1 > lo and prv.lower() not in self.title_first and not prv.isupper()
                    and self._texts[m.start - 2] not in (".", "\n"))

    def _datelines(self, doc: Tokens, mentions: list[Mention], lo: int, ctx: Discourse) -> list[Mention]:
        """'MOSCOW (AP) —', 'BEIJING:' name where the story was filed, not an actor."""
        out = []
        for m in mentions:
            if m.kind in ("capital", "name") and m.start <= lo + 1 and m.end < len(doc) \
                    and self._texts[m.end] in ("(", "—", "–", ":", "-", ",") and \
                    ((self._texts[m.start].isupper() and len(self._texts[m.start]) > 3) or
                     (m.kind == "capital" and self._texts[m.end] != "," and ctx.sentence_no <= 6)):
                ctx.dateline = m.code
                continue
            out.append(m)
        return out

    def _people(self, doc: Tokens, lowers: list[str], mentions: list[Mention], lo: int, hi: int,
                ctx: Discourse) -> list[Mention]:
        taken = {i for m in mentions for i in range(m.start, m.end)}
        out: list[Mention] = []
        skip_until = -1
        for idx, m in enumerate(mentions):
            if m.start < skip_until:
                continue
            code = m.code
            j = m.end
            if code and self.gaz.is_state(code) and m.kind in ("demonym", "name", "agency"):
                if m.kind == "name" and j < hi and lowers[j] in ("'s", "'"):
                    j += 1
                n = self._titles_run(lowers, j, hi)
                k = j + n
                nm = self._name_run(doc, k, hi, taken) if k < hi else 0
                nxt = mentions[idx + 1] if idx + 1 < len(mentions) else None
                if nxt is not None and j <= nxt.start <= k and nxt.kind == "leader":
                    # (the leader's own name may take in the title: "Saudi Crown Prince Mohammed bin Salman")
                    # "Russian President Vladimir Putin": one mention, the explicit state wins
                    out.append(Mention(m.start, nxt.end, (code,), "person", person=True))
                    self._register(doc, nxt.start, nxt.end, code, ctx)
                    skip_until = nxt.end
                    continue
                if nm and not n and any(self._texts[x] in _NOT_PERSON for x in range(k, k + nm)):
                    nm = 0  # "Russia's National Day", "Iran's Foreign Ministry": not a person
                if (n or (m.kind == "name" and j > m.end)) and nm:
                    out.append(Mention(m.start, k + nm, (code,), "person", person=True))
                    self._register(doc, k, k + nm, code, ctx)
                    taken.update(range(k, k + nm))
                    continue
                if n:
                    out.append(Mention(m.start, k, (code,), "person", person=True))
                    ctx.last_person = code
                    continue
            out.append(m)
        # "Wang Yi, China's foreign minister" / "Taneti Mamau, Kiribati's president"
        # "President Mamau of Kiribati"
        nxt = lo
        extra: list[Mention] = []
        caps = self._caps
        for i in caps[bisect_left(caps, lo):bisect_left(caps, hi)]:
            if i < nxt or i in taken:
                continue
            n = self._title_at(lowers, i, hi)
            if n:
                k = i + self._titles_run(lowers, i, hi)
                # "President of Russia Vladimir Putin", "the Prime Minister of India"
                if k + 1 < hi and lowers[k] == "of":
                    st = next((m for m in out if m.start == k + 1 + (lowers[k + 1] == "the")
                               and m.kind in ("name", "leader", "person") and m.code), None)
                    if st is not None:
                        nm2 = self._name_run(doc, st.end, hi, taken) if st.kind == "name" else 0
                        end = st.end + nm2
                        if nm2:
                            self._register(doc, st.end, end, st.code, ctx)  # type: ignore[arg-type]
                        else:
                            ctx.last_person = st.code
                        out = [m for m in out if not (i <= m.start < end)]
                        extra.append(Mention(i, end, st.codes, "person", person=True))
                        taken.update(range(i, end))
                        nxt = end
                        continue
                nm = self._name_run(doc, k, hi, taken)
                if nm and k + nm + 1 < hi and lowers[k + nm] == "of":
                    st = next((m for m in out if m.start == k + nm + 1 + (lowers[k + nm + 1] == "the")
                               and m.kind == "name"), None)
                    if st is not None and st.code:
                        self._register(doc, k, k + nm, st.code, ctx)
                        extra.append(Mention(i, k + nm, st.codes, "person", person=True))
                        taken.update(range(i, k + nm))
                        nxt = k + nm
                        continue
            nm = self._name_run(doc, i, hi, taken)
            if nm >= 2 and i + nm + 2 < hi and self._texts[i + nm] == ",":
                j = i + nm + 1 + (lowers[i + nm + 1] == "the")
                st = next((m for m in out if m.start == j), None)
                if st is not None and st.code and self.gaz.is_state(st.code):
                    after = st.end + (1 if st.end < hi and lowers[st.end] in ("'s", "'") else 0)
                    if self._title_at(lowers, after, hi) or st.kind == "person":
                        self._register(doc, i, i + nm, st.code, ctx)
                        extra.append(Mention(i, i + nm, st.codes, "person", person=True))
                        taken.update(range(i, i + nm))
                        nxt = i + nm
                        continue
            nxt = i + max(nm, 1)
        if extra:
            out = sorted(out + extra, key=lambda m: m.start)
        return out

    def _references(self, doc: Tokens, lowers: list[str], mentions: list[Mention], lo: int, hi: int,
                    ctx: Discourse, prev_person: str | None = None) -> list[Mention]:
        taken = {i for m in mentions for i in range(m.start, m.end)}
        starts = {m.start for m in mentions}
        extra: list[Mention] = []
        firsts: list[int] = []
        nxt = lo
        refs = self._refs  # most words refer to nothing: only these are looked at
        refw, persons, surnames = self._ref_words, ctx.persons, self.surname_leaders
        for i in refs[bisect_left(refs, lo):bisect_left(refs, hi)]:
            if i < nxt or i in taken:
                continue
            low = lowers[i]
            text = self._texts[i]
            if low not in refw and text not in persons and text not in surnames:
                continue  # a capitalised word that can only be a surname, and is nobody's
            if low in self._DETERMINERS and text not in persons and i + 1 < len(lowers) and \
                    lowers[i + 1] not in self._det_next and not lowers[i + 1].isdigit() and \
                    self._det_heads.isdisjoint(lowers[i + 1:i + 8]):
                continue  # "the", "this", ... that begin no reference (the rules below would find none)
            if low in ("his", "her", "its", "their") and i + 1 in starts:
                continue  # "his Argentine counterpart": the counterpart is the actor
            # "the ministers", "the leaders": the two people of the pair in focus
            if low == "the" and i + 1 < hi and lowers[i + 1] in _PAIR_PEOPLE and \
                    not (i + 2 < hi and lowers[i + 2] == "of"):
                extra.append(Mention(i, i + 2, (), "pair", weight=0.7))
                nxt = i + 2
                continue
            # the two countries / both sides / their two countries
            if low in ("two", "both") or (low in ("the", "their") and i + 1 < hi and lowers[i + 1] == "two"):
                j = i + 1 if low in ("two", "both") else i + 2
                if low == "both" and j < hi and lowers[j] in ("the", "their"):
                    j += 1
                    if j < hi and lowers[j] == "two":
                        j += 1
                for noun in self.pair_nouns:
                    n = len(noun)
                    if tuple(lowers[j:j + n]) == noun:
                        extra.append(Mention(i, j + n, (), "pair"))
                        nxt = j + n
                        break
                continue
            # "the three Sahel states" -> the last list of three states
            n, size = self._group_at(doc, lowers, i, hi)
            if n:
                group = next((g for g in reversed(ctx.groups) if len(g) == size), None)
                weight = 0.8
                if group is None:
                    # no list of that size: the last states named, if that many ("... to Mali and Niger
                    # ... to Burkina Faso, after the three Sahel states ...")
                    named = [m.code for m in mentions if m.end <= i and m.code in self.gaz.states]
                    last = list(dict.fromkeys(reversed(ctx.recent + named)))[:size]
                    group, weight = (tuple(reversed(last)), 0.6) if len(last) == size else (None, weight)
                if group:
                    extra.append(Mention(i, i + n, group, "group", weight=weight))
                nxt = i + n
                continue
            # "this country" -> the article's protagonist; "the tiny Pacific island nation" -> the last state
            organ = 0
            if low in self._anaphor_first:
                organ = next((len(a) for a in self._anaphors_by_two.get(tuple(lowers[i:i + 2]), ())
                              if tuple(lowers[i:i + len(a)]) == a and a[-1] not in self._ANAPHOR_HEADS), 0)
            if organ and i + organ + 1 < hi and lowers[i + organ] == "of" and i + organ + 1 in starts:
                organ = 0  # "the government of Pakistan": named by what follows
            if organ and not (i > lo and lowers[i - 1] in self._PREDICATIVE):
                # "the ministry", "the department": the state last acting, or the article's
                code = ctx.last_subject or ctx.protagonist()
                if code:
                    extra.append(Mention(i, i + organ, (code,), "anaphor", weight=0.7))
                nxt = i + organ
                continue
            n = 0 if i + 1 in starts else self._anaphor_at(doc, lowers, i, hi)  # not "the Dominican Republic"
            if n:
                if low in ("his", "her"):
                    people = [m for m in mentions + extra if m.person and m.code and m.end <= i]
                    code = people[-1].code if people else (ctx.last_subject or prev_person)
                elif low == "this":
                    code = ctx.protagonist() or ctx.last_state
                else:
                    prior = [m for m in mentions if m.end <= i and m.code and self.gaz.is_state(m.code)
                             and m.kind not in ("agency", "media", "pronoun", "anaphor")]
                    code = prior[-1].code if prior else (ctx.recent[-1] if ctx.recent else None)
                if code:
                    extra.append(Mention(i, i + n, (code,), "anaphor", weight=0.8))
                nxt = i + n
                continue
            if low in self.person_pronouns:
                prior = [m for m in mentions + extra if m.person and m.code and m.end <= i]
                code = prior[-1].code if prior else prev_person
                if code:
                    extra.append(Mention(i, i + 1, (code,), "pronoun", person=True, weight=0.8))
            elif low in ("i", "my", "we", "our", "us", "me") and (text != "US"):
                firsts.append(i)  # resolved below, once the sentence's names are all known
            elif low == "here" and ctx.dateline:
                extra.append(Mention(i, i + 1, (ctx.dateline,), "capital", weight=0.7))
            elif low in self.state_pronouns:
                # resolved later against the sentence; the discourse's state is the fallback
                code = ctx.last_subject or ctx.last_state
                extra.append(Mention(i, i + 1, (code,) if code else (), "pronoun", weight=0.7))
            elif low in self.group_pronouns:
                extra.append(Mention(i, i + 1, (), "pair", weight=0.6))
            elif text[:1].isupper() and text.isalpha() and len(text) > 1:
                code = ctx.persons.get(text)
                prev = self._texts[i - 1] if i > lo else ""
                after_title = prev.lower() in self.title_first or prev.lower() in ("minister", "secretary")
                if code is None and text in self.ambiguous_surnames and not after_title:
                    pass  # "28 May", "Kim" of another family: not a leader without a title
                elif code is None and not (prev[:1].isupper() and prev.isalpha() and i - 1 > lo
                                           and prev.lower() not in self.title_first):
                    # a leader's surname, unless it ends an unknown full name ("Xiomara Castro")
                    code = self._surname(text, ctx)
                if code:
                    # take the whole registered name if it continues ("Kim Jong Un")
                    extra.append(Mention(i, i + 1, (code,), "surname", person=True))
                    ctx.last_person = code
        if firsts:
            # "'I would like to ...,' Rouhani said": the speaker; else the letter's author, or the last person
            named = sorted(mentions + extra, key=lambda m: m.start)
            code = self._speaker(lowers, named, lo, hi) or ctx.author or prev_person
            if code:
                extra.extend(Mention(i, i + 1, (code,), "pronoun", person=True, weight=0.7) for i in firsts)
        if extra:
            mentions = sorted(mentions + extra, key=lambda m: m.start)
        return mentions

    _NUMBERS: ClassVar[dict[str, int]] = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                                         "nine": 9, "ten": 10}
    _GROUP_HEADS = frozenset({"countries", "states", "nations", "governments", "members", "capitals"})
    _DETERMINERS = frozenset({"the", "this", "that", "these", "those", "all"})

    def _group_at(self, doc: Tokens, lowers: list[str], i: int, hi: int) -> tuple[int, int]:
        """('the three Sahel states' length, 3) at i, or (0, 0)."""
        if lowers[i] not in ("the", "these", "those", "all"):
            return 0, 0
        j = i + 1
        if (j < hi and lowers[j] == "three") or (j < hi and lowers[j] in self._NUMBERS) or \
                (j < hi and lowers[j].isdigit() and 2 < int(lowers[j]) < 30):
            size = self._NUMBERS.get(lowers[j]) or int(lowers[j])
            for k in range(j + 1, min(j + 4, hi)):
                if lowers[k] in self._GROUP_HEADS:
                    return k + 1 - i, size
                if not self._texts[k].isalpha():
                    break
        return 0, 0

    _ANAPHOR_HEADS = frozenset({"country", "nation", "island-nation", "kingdom", "archipelago", "emirate",
                                "republic", "island", "regime"})
    _PREDICATIVE = frozenset({"became", "become", "becomes", "is", "was", "are", "were", "be", "being",
                              "remains", "remained"})

    def _anaphor_at(self, doc: Tokens, lowers: list[str], i: int, hi: int) -> int:
        """Length of 'this country' / 'the (adjectives) nation' at i, or 0."""
        if lowers[i] in ("his", "her"):
            # "his country": the state of the person speaking or acting
            return 2 if i + 1 < hi and lowers[i + 1] in ("country", "nation", "government") else 0
        if lowers[i] not in ("this", "the", "that") or (i + 1 < hi and lowers[i + 1] in ("his", "her", "its", "their")):
            return 0  # "said that his country ...": the reference starts at "his"
        if i > 0 and lowers[i - 1] in self._PREDICATIVE:
            return 0  # "became the first country to ...": a description, not a reference
        j = i + 1
        while j < hi and j - i <= 5:
            w = lowers[j]
            if w in self._ANAPHOR_HEADS or (w == "nation" or (w == "-" and j + 1 < hi and lowers[j + 1] == "nation")):
                if w == "-":
                    j += 1
                end = j + 1
                if end < hi and lowers[end] in ("of", "'s") and lowers[end] == "of":
                    return 0  # "the Republic of Korea" is a name, not a reference
                if lowers[i] == "this" and j != i + 1:
                    return 0
                if end < hi and lowers[end] in ("-", "nation"):
                    end += 1 + (lowers[end] == "-")
                return end - i
            if not self._texts[j].isalpha() and self._texts[j] != "-":
                return 0
            if w in ("first", "only", "latest", "last", "second", "third", "one", "other", "two", "same"):
                return 0
            j += 1
        return 0

    _SPEECH = frozenset({"said", "says", "told", "wrote", "writes", "added", "stated", "noted", "declared",
                         "stressed", "according", "reads", "read"})

    def _speaker(self, lowers: list[str], mentions: list[Mention], lo: int, hi: int) -> str | None:
        """Who speaks in a sentence with "X said": the first-person pronouns are theirs."""
        for m in mentions:
            if not m.code:
                continue
            after = lowers[m.end] if m.end < hi else ""
            before = lowers[m.start - 1] if m.start - 1 >= lo else ""
            if after in self._SPEECH or before in self._SPEECH:
                return m.code
        return None

    def _surname(self, text: str, ctx: Discourse) -> str | None:
        """A leader's surname alone: the one state of the leaders in office on the
        publication date with that surname, or, undated or out of office, the one
        state of everybody with that surname ("Obama", but never "Kim")."""
        people = self.surname_leaders.get(text)
        if not people:
            return None
        if ctx.published:
            current = {p.state for p in people if p.in_office(ctx.published)}
            if current:
                return current.pop() if len(current) == 1 else None
        states = {self.gaz.state_at(p.state, None) for p in people}
        return states.pop() if len(states) == 1 else None

    def _merge_organs(self, doc: Tokens, lowers: list[str], mentions: list[Mention]) -> list[Mention]:
        """'North Korean state media KCNA' and 'the Russian foreign ministry' are one actor."""
        out: list[Mention] = []
        for m in mentions:
            if out and m.code and out[-1].code == m.code and m.kind not in ("pronoun", "anaphor") \
                    and out[-1].kind not in ("pronoun", "anaphor") and self._organ_gap(lowers, out[-1].end, m.start):
                prev = out[-1]
                media = "agency" in (m.kind, prev.kind) or any(lowers[k] in _MEDIA for k in range(prev.end, m.start))
                kind = "person" if m.person or prev.person else "media" if media else prev.kind
                out[-1] = Mention(prev.start, m.end, prev.codes, kind, person=m.person or prev.person)
                continue
            if m.kind in ("demonym", "name") and m.end + 1 < len(lowers) and \
                    (lowers[m.end] in _MEDIA or (lowers[m.end + 1] in _MEDIA and lowers[m.end] in ("state", "news"))):
                m = Mention(m.start, m.end, m.codes, "media", m.person, m.weight)
            out.append(m)
        return out

    def _organ_gap(self, lowers: list[str], a: int, b: int) -> bool:
        """Whether tokens a..b are only organ words ("state media", "foreign ministry", "'s")."""
        if b < a or b - a > 4:
            return False
        i = a
        while i < b:
            if lowers[i] in ("'s", "'", "the"):
                i += 1
                continue
            for organ in self.organs:
                if tuple(lowers[i:i + len(organ)]) == organ and i + len(organ) <= b:
                    i += len(organ)
                    break
            else:
                n = self._title_at(lowers, i, b)
                if not n:
                    return False
                i += n
        return True


@cache
def actor_finder() -> ActorFinder:
    """The finder built from the package's gazetteer (once per process)."""
    return ActorFinder(gazetteer())
