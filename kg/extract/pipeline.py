"""Article -> events: the extraction pipeline.

For each sentence: actor mentions (:mod:`kg.extract.actors`), relation
triggers (:mod:`kg.extract.triggers`), subject and object by the argument
patterns of news prose, modality (negated, planned, conditional events are
dropped), and a date (:mod:`kg.extract.dates`).  Then per article: states
mapped to the state of the event's time (Russia in 1948 -> Soviet Union) and
one event per (subject, relation, object), coarser dates folded into finer.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import combinations

from kg.errors import ReadError
from kg.extract.actors import PREPOSITIONS, ActorFinder, Discourse, Mention, actor_finder
from kg.extract.dates import DateExpr, anchor_kind, anchors_of, find_dates, shift
from kg.extract.nlp import (
    Sent,
    Tokens,
    WordClasses,
    get_tokenizer,
    may_end_sentence,
    normalize,
    split_sentences,
    word_before,
)
from kg.extract.speech import speaker, spoken_about
from kg.extract.triggers import Lexicon, TriggerMatch, lexicon
from kg.gazetteer import Gazetteer, gazetteer
from kg.model import Article, Event
from kg.relations import RELATIONS, event_type

__all__ = ["Extractor", "extract", "extract_many", "get_extractor"]

log = logging.getLogger(__name__)

NEGATION = frozenset({"not", "n't", "never", "no", "neither", "nor", "without", "cannot", "failure", "failed",
                      "fails", "refused", "refuses", "refusal", "declined"})
MODAL = frozenset({"will", "would", "could", "may", "might", "shall", "should", "can", "'ll", "'d",
                   "must", "wo", "ca"})
INTENT = frozenset({"schedule", "set", "vote", "plan", "intend", "expect", "hope", "seek", "aim", "want", "propose",
                    "consider",
                    "prepare", "threaten", "offer", "try", "attempt", "wish", "ready", "poised",
                    "likely", "scheduled", "due", "mull", "weigh", "urge", "ask", "demand", "call",
                    "invite", "push", "pressure", "press", "plot", "vow", "pledge", "promise",
                    "agree", "unlikely", "able", "going"})
ALLEGE = frozenset({"deny", "denied", "refuse", "refused", "fail", "failed", "decline", "declined",
                    "accuse", "accused", "allege", "alleged", "claim", "claimed", "blame", "suspect",
                    "reject", "rejected", "dismiss", "dismissed"})
CONDITION = frozenset({"if", "unless", "whether", "lest"})
BE = frozenset({"is", "are", "was", "were", "been", "being", "be", "get", "got", "gotten", "gets"})
PRESENT_AUX = frozenset({"has", "have", "is", "are", "'s", "'ve", "remains", "remain"})
BOUNDARY = frozenset({";", "where", "which", "who", "whom", "while", "whereas", "but", "because",
                      "although", "though", "said", "says", "saying", "according", "after", "before",
                      "when", "since", "amid", "following", "followed", "—", ":"})
STATUS_RELATIONS = frozenset({"establish_relations", "restore_relations", "sever_relations", "recognize"})
NOMINAL_INTENT = frozenset({"decision", "move", "plan", "plans", "bid", "effort", "efforts", "attempt", "call",
                            "calls", "request", "desire", "proposal", "intention", "readiness", "willingness",
                            "refusal", "threat", "threats", "right", "push", "pressure", "appeal", "offer",
                            "promise", "pledge", "announcement", "announcements", "demand", "demands",
                            "invitation", "wish", "hope", "hopes", "ambition", "aim", "goal", "option"})
# words between an event and a date that make the date another event's
_FUTURE_UNITS = frozenset({"week", "month", "year", "monday", "tuesday", "wednesday", "thursday", "friday",
                           "saturday", "sunday", "weekend", "summer", "spring", "autumn", "winter", "session",
                           "round", "january", "february", "march", "april", "may", "june", "july", "august",
                           "september", "october", "november", "december"})
_THAT_VERBS = frozenset({"warned", "warns", "warning", "warn", "said", "says", "saying", "threatened", "claimed",
                         "alleged", "charged", "accused", "insisted", "stressed", "noted", "added", "stated",
                         "announced", "concerned", "believes", "believed", "feared", "fears", "argued"})
_POSSESSIVE = frozenset({"its", "his", "her", "their", "our", "my"})
_DATE_BARRIERS_BEFORE = ("after", "before", "where", "when", "since")
# a relative clause opening before a date: ", who arrived on Monday, ..."
_RELATIVE_OPEN = re.compile(r",\s+(?:who|which)\b[^,]*$")
_DATE_BARRIERS_AFTER = ("after", "before", "where", "when", "which", "while", "since")
# events whose "... to establish relations" purpose clause names the same parties
_PURPOSE_SOURCES = frozenset({"sign_agreement", "meet", "correspond", "pledge_cooperation", "visit"})
# relations that exclude each other when their triggers overlap ("halted aid to": no aid)
# relations that one phrase can carry both of: "sent a congratulatory message" corresponds and praises
_BOTH = {("correspond", "praise"), ("sign_agreement", "pledge_cooperation"), ("correspond", "pledge_cooperation"),
         ("sign_agreement", "establish_relations"), ("sign_agreement", "restore_relations")}
_EXCLUDES = {("sanction", "provide_aid"), ("close_embassy", "open_embassy"), ("sever_relations", "establish_relations"),
             ("sever_relations", "restore_relations")}
# what stands before a page's own date on its line: "Updated : 2021-03-18", "Published on Mar 19, 2014"
_STAMP = re.compile(r"(?i)\b(?:published|updated|posted|modified|last updated|first published)\b\s*(?:on|at)?\s*:?\s*$")
# what may stand beside a date on a line of its own: a weekday, a time, punctuation
_DATE_LINE_REST = re.compile(r"(?i)\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\b"
                             r"|\b\d{1,2}:\d\d(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?|\b(?:gmt|utc|ist|et)\b|[^\w]")
_SAID_ON = re.compile(r"\b(?:said|says|told|announced|stated|reported|confirmed)(?: on| late| early)?\s*$")
# "the need for the world to recognise", "urged Israel to": the infinitive has an agent of its own
_OTHER_AGENT = frozenset({"for", "need", "urged", "urge", "called", "asked", "ask", "pressed", "invited"})
# a noun after these names what an act is about, not the act of the clause's subject
# words that start another scene between an act and a place: "the offensive in Gaza during a speech in Addis Ababa"
_SCENE_BREAK = frozenset({"during", "after", "before", "while", "at", "in"})
# words before an adjectival "visiting" ("met the visiting Pakistani premier"): the guest follows
_BEFORE_GUEST = frozenset({"the", "a", "with", "received", "met", "welcomed", "hosted", "greeted", "for", "and",
                           "meets", "receives", "welcomes", "hosts"})
_EVALUATIONS = frozenset({"criticize", "praise", "accuse", "warn"})
_EXCHANGE = frozenset({"exchange", "exchanged", "exchanging", "exchanges", "trade", "traded", "trading"})
# hostile acts that a state saying it will do them threatens ("said it would cut ties with"), the
# modals of that future, the verbs that say it, and the words of intent that may stand between
_THREAT_ACTS = frozenset({"sever_relations", "sanction", "expel_diplomats", "recall_ambassador", "close_embassy",
                          "attack"})
_WILL = frozenset({"will", "would", "'ll", "'d"})
_ANNOUNCE = frozenset({"say", "said", "announce", "declare", "state", "vow", "warn", "threaten", "tell", "told",
                       "insist", "add", "added"})
_THREAT_INTENT = frozenset({"threaten", "vow", "pledge", "promise"})
# verbs after which "from" + gerund names what was not done: "refrained from attacking"
_PREVENT = frozenset({"refrain", "bar", "ban", "prevent", "stop", "block", "prohibit", "deter", "dissuade", "keep",
                      "abstain", "discourage", "restrain", "forbid", "warn", "caution"})
_SUBORDINATORS = frozenset({"after", "when", "since", "while", "although", "though", "if", "before", "because",
                            "once", "until", "whereas"})
# the relation an act noun names ("said the attack was ..."): the act it refers back to
_ACT_RELATION = {"attack": "attack", "attacks": "attack", "strike": "attack", "strikes": "attack", "raid": "attack",
                 "invasion": "attack", "offensive": "attack", "bombing": "attack", "shelling": "attack",
                 "incursion": "attack", "sanctions": "sanction", "ban": "sanction", "expulsion": "expel_diplomats",
                 "expulsions": "expel_diplomats", "recognition": "recognize", "visit": "visit",
                 "recall": "recall_ambassador", "closure": "close_embassy", "annexation": "attack"}
_REVERSALS = frozenset({"lift", "lifted", "lifting", "lifts", "ease", "eased", "easing", "eases", "remove",
                        "removed", "removing", "scrap", "scrapped", "relax", "relaxed", "waive", "waived", "end",
                        "ended", "ending", "rescind", "rescinded", "revoke", "revoked", "suspend", "suspended"})
_LANDMARKS = frozenset({"border", "borders", "coast", "frontier", "waters", "shores", "shore", "coastline"})
_FORCES = frozenset({"troops", "forces", "tanks", "soldiers"})
_TARGET_PREPS = frozenset({"on", "against", "into", "upon", "inside"})
_TOPIC_PREPS = frozenset({"over", "about", "amid", "despite", "against", "regarding", "concerning"})
_TITLE_WORDS = frozenset({"president", "prime", "minister", "foreign", "secretary", "king", "queen", "chancellor",
                          "premier", "emir", "sheikh", "crown", "prince", "chairman", "vice", "deputy", "ambassador",
                          "leader", "state", "defence", "defense", "us", "general"})
_OPENING_PREPS = frozenset({"in", "during", "at", "after", "following", "through"})
_LETTER_NOUNS = frozenset({"message", "messages", "letter", "letters", "telegram", "cable", "note"})
_ACT_NOUNS = frozenset({"move", "decision", "ban", "plan", "deal", "attack", "raid", "strike", "strikes", "vote",
                        "step", "invasion", "recognition", "announcement", "agreement", "operation", "sanctions",
                        "measure", "measures", "annexation", "expulsion", "expulsions", "law", "policy", "test",
                        "launch", "offensive", "bombing", "shelling", "incursion", "referendum", "election",
                        "elections", "declaration", "visit", "action", "actions", "closure", "recall"})
ANAPHORIC_START = frozenset({"this", "that", "these", "those", "it", "the move", "the decision"})
DETERMINERS = frozenset({"the", "a", "an", "both", "either", "all", "its", "their", "his", "her"})
LOCATION_RELATIONS = frozenset({"visit", "open_embassy", "close_embassy", "attack", "recall_ambassador",
                                "expel_diplomats"})
ADVERBS = frozenset({"also", "reportedly", "formally", "officially", "recently", "already", "just",
                     "now", "finally", "again", "jointly", "both", "then", "first", "still", "once"})


@dataclass(slots=True)
class _Candidate:
    subject: str
    relation: str
    object: str
    date: str | None
    confidence: float
    sentence: int
    start: int
    end: int
    cameo: str | None


class _NewsDate(str):
    """A date an event has only by default, the article's news date (see :meth:`Extractor._finish`)."""


def _news_date(value: str | None) -> str | None:
    return _NewsDate(value) if value else None


class Extractor:
    """Reads events out of articles.  Build once, call :meth:`extract` per article.

    >>> from kg.model import Article
    >>> import datetime as dt
    >>> ex = get_extractor()
    >>> art = Article("a1", "Russia recognized Kosovo on Tuesday.", published=dt.date(2024, 5, 9))
    >>> [(e.subject, e.relation, e.object, e.date) for e in ex.extract(art)]
    [('RUS', 'recognize', 'XKX', '2024-05-07')]
    """

    def __init__(self, gaz: Gazetteer | None = None, lex: Lexicon | None = None,
                 finder: ActorFinder | None = None):
        self.gaz = gaz or gazetteer()
        self.lex = lex or lexicon()
        self.finder = finder or actor_finder()
        self.tokenizer = get_tokenizer()
        # the tokens each stage looks at, found in one pass per document
        self.word_classes = WordClasses({**self.finder.word_classes(), "trigger": self.lex.can_start,
                                         "date": lambda t: anchor_kind(t.lower()) is not None,
                                         "end": may_end_sentence})
        self._lowers: list[str] = []

    # ------------------------------------------------------------------
    def extract(self, article: Article) -> list[Event]:
        """The events of one article, deduplicated, in text order."""
        text = normalize(article.text)
        limit = self.tokenizer.max_length
        if len(text) > limit:
            raise ReadError(f"article {article.id!r} has {len(text):,} characters, over the "
                            f"{limit:,} that one article may have; split it", article.source, article.line)
        return self._extract_doc(article, self.tokenizer(text))

    def extract_many(self, articles: Iterable[Article],
                     on_error: Callable[[ReadError], None] | None = None) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) pairs, in input order.

        An article that cannot be read (too long) goes to ``on_error`` and is
        skipped; without a handler the error is raised.
        """
        for a in articles:
            try:
                events = self.extract(a)
            except ReadError as e:
                if on_error is None:
                    raise
                on_error(e)
                continue
            yield a, events

    # ------------------------------------------------------------------
    def _extract_doc(self, article: Article, doc: Tokens) -> list[Event]:
        self._text = text = doc.text
        pub = article.published
        ctx = Discourse(published=pub.isoformat() if pub else None)
        texts, lowers_all, keys, offsets, spaces = doc.texts, doc.lowers, doc.keys, doc.offsets, doc.spaces
        self._lowers = lowers_all  # the doc's lower-cased tokens, shared with the per-trigger steps
        where = self.word_classes.positions(texts)
        self.finder.set_doc(doc, texts, lowers_all, where)
        trig_starts = where["trigger"]
        cands: list[_Candidate] = []
        prose = 0  # sentences of running text seen so far (headlines and bylines excluded)
        prev_date: str | None = None
        last_events: list[_Candidate] = []
        sents = split_sentences(texts, spaces, offsets, where["end"])
        # one pass over the article, shared out by sentence
        all_dates = find_dates(text, pub, anchors_of(lowers_all, offsets, where["date"]))
        date_starts = [d.start for d in all_dates]
        lead = self._lead_date(sents, all_dates, pub, text)
        states = self.gaz.states  # codes of states (a mention's code may also be an organisation's, or None)
        for sno, sent in enumerate(sents):
            ctx.sentence_no = sno
            sent_text = text[sent.start_char:sent.end_char]
            if not sent_text.strip():
                continue
            mentions = self.finder.find(doc, sent, ctx)
            dates = all_dates[bisect_left(date_starts, sent.start_char):bisect_left(date_starts, sent.end_char)]
            self._note_pairs(mentions, ctx)
            stripped = sent_text.strip()
            headline = bool(stripped) and stripped[-1] not in '.!?"\'' and len(sent) < 25 and prose < 3
            news_head = headline or (prose < 2 and stripped[-1:] in ('.', '"', "'"))
            if stripped[-1:] in ('.', '!', '"', "'") and len(sent) > 6:
                prose += 1
            triggers = self.lex.find(keys, texts, sent.start, sent.end, trig_starts)
            triggers = _prune(triggers)
            found: list[_Candidate] = []
            question = stripped.endswith("?")
            for trig in triggers:
                if question or (trig.start > sent.start and texts[trig.start - 1] == "-"):
                    continue  # questions; "long-threatened", "Soviet-backed": parts of compounds
                got = self._events_for(doc, sent, sno, trig, mentions, dates, ctx, keys,
                                       lead, prev_date, last_events, news_head, cands)
                if not got and found and trig.start > sent.start and lowers_all[trig.start - 1] == "to" \
                        and trig.relation in STATUS_RELATIONS | {"pledge_cooperation"} \
                        and not _OTHER_AGENT.intersection(lowers_all[max(sent.start, trig.start - 8):trig.start]) \
                        and not self._blocked(trig.relation, keys, max(sent.start, trig.start - 3), trig.start,
                                              trig.start, sent.start):
                    # "signed a communique with A and B ... to establish relations": the same parties
                    end = doc.char_span(trig.start, trig.end)[1]
                    got = [_Candidate(c.subject, trig.relation, c.object, c.date, c.confidence * 0.85, sno,
                                      c.start, max(c.end, end), trig.pattern.cameo)
                           for c in found if c.sentence == sno and c.relation in _PURPOSE_SOURCES
                           and doc.offsets[trig.start] - c.end <= 100]  # not "..., stressed the need for X to"
                elif not got and trig.relation == "praise" and trig.pattern.noun:
                    # "Kim sent Putin a message of congratulations": the message's sender praises its addressee
                    # (and "exchanged congratulatory messages": each praises the other)
                    start, end = doc.char_span(trig.start, trig.end)
                    both = not _EXCHANGE.isdisjoint(lowers_all[max(sent.start, trig.start - 4):trig.start])
                    got = [_Candidate(a, "praise", b, c.date, c.confidence * 0.9, sno, c.start, max(c.end, end),
                                      trig.pattern.cameo)
                           for c in found if c.relation == "correspond" and c.start <= start <= c.end + 20
                           for a, b in ((c.subject, c.object), (c.object, c.subject))[:2 if both else 1]]
                found.extend(got)
            self._note_letter(stripped, lowers_all, sent, mentions, found, ctx, cands)
            if ctx.letter_date:
                for c in found:  # what a quoted letter says is dated by the letter, not by the news
                    if isinstance(c.date, _NewsDate):
                        c.date = _NewsDate(ctx.letter_date)
            if found:
                last_events = found
                for c in found:
                    if c.relation in RELATIONS and not RELATIONS[c.relation].symmetric:
                        ctx.last_subject = c.subject
            dated = [c.date for c in found if c.date]
            explicit = [d.value for d in dates if d.value and d.kind != "anniversary"]
            prev_date = (explicit[0] if explicit else (dated[0] if dated else None))
            seen_groups: set[int] = set()
            for m in mentions:
                if id(m) in seen_groups:
                    continue
                group = _group_right(mentions, m, lowers_all)
                if len(group) < 2:
                    continue  # one actor: neither a list nor a pair
                codes = tuple(dict.fromkeys(x.code for x in group if x.code in states))
                if len(codes) >= 3 and all(x.kind not in ("pair", "group") for x in group):
                    ctx.groups.append(codes)
                    seen_groups.update(id(x) for x in group)
                elif len(codes) == 2 and all(x.kind not in ("pair", "group", "pronoun") for x in group):
                    ctx.last_two = (codes[0], codes[1], sno)  # "Ireland and Norway": the next "two countries"
                    seen_groups.update(id(x) for x in group)
            for m in mentions:
                if m.code in states and m.kind not in ("pronoun", "anaphor", "pair"):
                    ctx.last_state = m.code
                    if m.kind not in ("agency", "media"):
                        ctx.recent.append(m.code)
                        head = _group_left(mentions, m, lowers_all)[0]
                        ctx.salience[m.code] += 1 if _prep_attached(head, lowers_all, sent.start) else 2
            cands.extend(found)
        return self._finish(article, text, cands)

    @staticmethod
    def _lead_date(sents: list[Sent], all_dates: list[DateExpr], pub: dt.date | None,
                   full_text: str = "") -> str | None:
        """The news date: the first day named in the opening sentences, within a month before
        publication; without one, the latest day of the week before publication named anywhere
        ("... received the list on March 23," a spokesperson said on Wednesday).  A day that
        dates only the telling ("the ministry said on Thursday") counts when no other is named."""
        if pub is None or not sents:
            return None
        limit = sents[min(5, len(sents) - 1)].end_char
        recent = [(d, (pub - dt.date.fromisoformat(d.value)).days) for d in all_dates  # type: ignore[arg-type]
                  if d.value and len(d.value) == 10 and d.kind in ("absolute", "relative")]
        recent = [(d, back) for d, back in recent if 0 <= back <= 31
                  and not _filing_date(d, full_text) and not _quoted(d, full_text)]
        for opening, days_back in ((True, 31), (False, 7)):
            found = [d for d, back in recent if (d.start < limit or not opening) and back <= days_back]
            told = [d for d in found if _SAID_ON.search(full_text, max(0, d.start - 14), d.start)]
            days = [d.value for d in found if d not in told] or [d.value for d in told]
            if days:
                return max(days)  # type: ignore[type-var]  # the latest: the news, not its background
        return None

    def _finish(self, article: Article, text: str, cands: list[_Candidate]) -> list[Event]:
        """States of the event's time, one event per type, coarse dates folded into fine ones.

        An event dated only by default with the news date takes the day the article gives
        the same event elsewhere, when it gives one day: "China, Kiribati establish ties"
        is the signing "on Friday" of the third paragraph."""
        days: dict[tuple[str, str, str], set[str]] = {}
        for c in cands:
            if c.date and len(c.date) == 10 and not isinstance(c.date, _NewsDate):
                days.setdefault(event_type(c.subject, c.relation, c.object), set()).add(c.date)
        events: list[Event] = []
        for c in cands:
            if isinstance(c.date, _NewsDate):
                told = days.get(event_type(c.subject, c.relation, c.object), set())
                c.date = next(iter(told)) if len(told) == 1 else str(c.date)
            subj = self.gaz.state_at(c.subject, c.date)
            obj = self.gaz.state_at(c.object, c.date)
            if subj == obj:
                continue
            kw = {}
            if c.cameo:
                kw["cameo"] = c.cameo
            events.append(Event.make(article.id, subj, c.relation, obj, date=c.date, sentence=c.sentence,
                                     span=(c.start, c.end), evidence=text[c.start:c.end].strip(),
                                     confidence=round(c.confidence, 3), **kw))
        return fold_dates(events)

    def _note_letter(self, stripped: str, lowers: list[str], sent: Sent, mentions: list[Mention],
                     found: list[_Candidate], ctx: Discourse, earlier: list[_Candidate]) -> None:
        """Who writes to whom in the letter an article quotes.

        "The message sent by the Belarusian head of state to the Russian leader reads:",
        "President Rouhani's message is as follows:" open a letter: its sender is the author
        of the first person and of "Please accept ..."; the addressee is the message's
        receiver, or the one the salutation names ("Dear ...", "Your Excellency ...")."""
        is_state = self.gaz.is_state
        if ":" in lowers[sent.start:sent.end]:
            colon = lowers.index(":", sent.start, sent.end)
            if any(w in _LETTER_NOUNS for w in lowers[sent.start:colon]):
                # "The message went on: ...": the letter's day is that of the last message the
                # article told of, if it gave one
                ctx.letter_date = next((c.date for c in reversed(earlier + found) if c.relation == "correspond"
                                        and c.date and not isinstance(c.date, _NewsDate)), ctx.letter_date)
        if stripped.endswith(":") and any(w in _LETTER_NOUNS for w in lowers[sent.start:sent.end]):
            sent_by = [c for c in found if c.relation == "correspond"]
            if sent_by:
                ctx.author, ctx.addressee = sent_by[0].subject, sent_by[0].object
                return
            people = [m for m in mentions if m.code and is_state(m.code) and m.kind not in ("pronoun", "pair")]
            to = [m for m in people if _prep_before(m, lowers, sent.start) == "to"]
            by = [m for m in people if _prep_before(m, lowers, sent.start) == "by"] or \
                [m for m in people if m not in to]
            ctx.author = by[0].code if by else None
            ctx.addressee = to[0].code if to else None
        elif ctx.author and not ctx.addressee and lowers[sent.start] in ("dear", "your"):
            other = next((m.code for m in mentions if m.code and is_state(m.code) and m.code != ctx.author), None)
            ctx.addressee = other

    def _note_pairs(self, mentions: list[Mention], ctx: Discourse) -> None:
        named = dict.fromkeys(m.code for m in mentions if m.code in self.gaz.states)
        for a, b in combinations(list(named)[:4], 2):
            ctx.note_pair(a, b)

    # ------------------------------------------------------------------
    def _events_for(self, doc: Tokens, sent: Sent, sno: int, trig: TriggerMatch,
                    mentions: list[Mention], dates: list[DateExpr], ctx: Discourse,
                    keys: list[tuple[str, str]], lead: str | None, prev_date: str | None,
                    last_events: list[_Candidate], news_head: bool = False,
                    history: list[_Candidate] | None = None) -> list[_Candidate]:
        history = history or []
        rel = trig.relation
        pat = trig.pattern
        lo, hi = sent.start, sent.end
        lowers = self._lowers
        if trig.head > trig.start and any(w in NEGATION or w in MODAL for w in lowers[trig.start:trig.head]):
            return []  # "the ambassador was not recalled", "relations would be restored"
        if trig.start > lo and lowers[trig.start].endswith("ing") and (
                lowers[trig.start - 1] == "against" or (lowers[trig.start - 1] == "from" and any(
                    keys[k][0] in _PREVENT for k in range(max(lo, trig.start - 5), trig.start - 1)))):
            return []  # "warned Somalia against hosting the talks", "refrained from attacking": not done
        if rel in ("sanction", "provide_aid"):
            rev = [k for k in range(max(lo, trig.start - 4), trig.start) if lowers[k] in _REVERSALS]
            if rev and "to" not in lowers[max(lo, rev[0] - 2):rev[0]]:
                return []  # "lifted its sanctions on Fiji" ends a sanction; "urged China to lift its ban": one stands
        if pat.letter:
            if not (ctx.author and ctx.addressee) or ctx.author == ctx.addressee:
                return []
            return self._direct(doc, sent, sno, trig, [(ctx.author, ctx.addressee)], trig.start, trig.end, pat.conf,
                                dates, lead, prev_date, keys, news_head, ctx.published)
        if pat.speech:
            return self._speech_events(doc, sent, sno, trig, mentions, dates, ctx, keys, lead, prev_date,
                                       last_events, news_head, history)
        passive = False
        as_noun = False
        if not pat.noun and _noun_use(lowers, trig.start, lo):
            # "the unprovoked attack by Russian forces": a verb pattern used as a noun
            pat = replace(pat, noun=True)
            as_noun = True
        if not pat.noun:
            j = trig.start - 1
            while (j >= lo and lowers[j] in ADVERBS) or (j >= lo and lowers[j].endswith("ly") and j > lo):
                j -= 1
            if j >= lo and lowers[j] in BE and lowers[trig.start] != keys[trig.start][0] \
                    and not lowers[trig.start].endswith("ing"):
                passive = True  # "was recognized by", not "is recalling"
            # adjectival "-ing" forms after a determiner: "the deepening ties"
            if lowers[trig.start].endswith("ing") and trig.start > lo and \
                    lowers[trig.start - 1] in DETERMINERS | {"'s", "'", "close", "growing"} \
                    and lowers[trig.start] != "visiting":  # "the visiting Jordanian king": see below
                return []
        left = [m for m in mentions if m.end <= trig.start]
        clause_start = lo
        if any(w in _SUBORDINATORS for w in lowers[lo:lo + 4]) and "," in lowers[lo:trig.start]:
            # "A month after Hamas attacked Israel, Bolivia cut ties": the main clause starts after the comma
            clause_start = lowers.index(",", lo, trig.start) + 1
            left = [m for m in left if m.start >= clause_start] or left
        # objects may sit inside the trigger phrase ("expelled three Russian diplomats")
        right = [m for m in mentions if (m.start >= trig.end or (m.start > trig.start and
                                         (m.kind in ("demonym", "person", "leader", "surname")
                                          # "gave Sweden an ultimatum": the verb's first object
                                          or (m.start == trig.start + 1 and not pat.noun and m.kind == "name")
                                          or (m.end < trig.end and lowers[m.end] == "'s")
                                          or lowers[m.start - 1] in ("to", "from", "in", "by", "with")
                                          or (m.end < trig.end and lowers[m.end] == "with"))))
                 and m.start - trig.end <= 18]
        right = _until_boundary(right, lowers, trig.head + 1, hi)
        clause_end = hi
        if any(w in _SUBORDINATORS for w in lowers[lo:trig.start]) and "," not in lowers[lo:trig.start]:
            # "A month after Hamas attacked Israel, Bolivia cut ties": the clause ends at its comma
            clause_end = next((k for k in range(trig.end, hi) if lowers[k] == ","), hi)
            right = [m for m in right if m.start < clause_end]
        if pat.near is not None:
            right = [m for m in right if m.start - trig.end <= pat.near]
        # subject
        subj_group: list[Mention] = []
        obj_group: list[Mention] = []
        between = False
        if passive:
            by = next((m for m in right if _after_by(m, lowers)), None)
            obj = _subject(left, lowers, lo)
            if by is None:
                if not RELATIONS[rel].symmetric or obj is None:
                    return []
                # "an agreement between Australia and Indonesia was signed": the left group
                subj_group = _group_left(mentions, obj, lowers) if not _prep_attached(obj, lowers, lo) \
                    else _group_left(mentions, left[-1], lowers)
            else:
                subj_group = _group_right(mentions, by, lowers)
                if obj is None and not RELATIONS[rel].symmetric:
                    return []
                obj_group = _group_left(mentions, obj, lowers) if obj is not None else []
        else:
            subj = _subject(left, lowers, lo, trig.start)
            if pat.noun:
                # "Western criticism of", "Russia's invasion of": the adjacent possessor acts
                adj = next((m for m in reversed(left) if m.end == trig.start or
                            (m.end + 1 == trig.start and lowers[m.end] in ("'s", "'"))), None)
                # "Chile's ambassador to Peru was recalled": the actor's mention takes in the trigger's noun
                adj = next((m for m in mentions if m.start < trig.start < m.end <= trig.end), adj)
                if adj is not None:
                    subj = adj
                else:
                    j = trig.start - 1
                    while j > lo and lowers[j] in DETERMINERS | {"this", "that", "latest", "new", "recent"}:
                        j -= 1
                    if j - 2 >= lo and lowers[j] == "of":  # "over the sale of arms"
                        j -= 2
                        while j > lo and lowers[j] in DETERMINERS:
                            j -= 1
                    if j >= lo and lowers[j] in _TOPIC_PREPS:
                        subj = None  # "protested over the sale of arms to Taiwan": somebody else's act
            # a clause that opens with a prepositional phrase: "During the talks with X, Y said",
            # also after "that" or a comma ("Kwatra said that during the discussions with X, Modi ...")
            pp = next((k for k in range(trig.start - 1, max(lo, trig.start - 5) - 1, -1)
                       if lowers[k] in _OPENING_PREPS), None)
            opening_pp = pp is not None and (pp == lo or lowers[pp - 1] in ("that", ","))
            if subj is None and ((trig.start <= lo + 1 and lowers[trig.start].endswith("ing")) or opening_pp):
                # "Expressing concern about X, the ministers ...", "In the discussions, the two envoys ...":
                # the main clause's subject
                comma = next((k for k in range(trig.end, hi) if lowers[k] == ","), None)
                if comma is not None:
                    subj = next((m for m in mentions if m.start > comma and not _prep_attached(m, lowers, lo)),
                                None)
                    right = [m for m in right if comma is None or m.start < comma]
            if trig.start > lo and lowers[trig.start - 1] == "," and lowers[trig.start].endswith("ing") and left:
                # ", warning that ...": a participle takes the subject of the main clause
                main = next((m for m in left if not _prep_attached(m, lowers, lo)), None)
                if main is not None:
                    subj = main
            if pat.inverse or (pat.noun and rel in ("correspond", "praise")):
                # "a message from Xi to Kim", "Kim received a letter from Xi": the agent follows "from"
                frm = next((m for m in right if lowers[m.start - 1] == "from" or
                            (lowers[m.start - 1] in DETERMINERS and lowers[m.start - 2] == "from")), None)
                if frm is not None:
                    receiver = subj
                    subj = frm
                    right = [m for m in right if m is not frm and not (m.start > frm.start and
                                                                      _joined(frm, m, lowers))]
                    if receiver is not None and not any(lowers[m.start - 1] == "to" for m in right):
                        right = [receiver]
                elif pat.inverse:
                    return []
            if pat.noun and rel in ("visit", "meet", "correspond", "provide_aid", "praise") and len(right) >= 2 \
                    and lowers[right[0].start - 1] == "of" and any(lowers[m.start - 1] == "to" for m in right[1:]):
                # "the visit of Prime Minister Modi to Argentina": the agent follows "of"
                subj = right[0]
                right = right[1:]
            if pat.noun:
                # "the recognition of Palestine by Ireland, Spain and Norway": the agent follows "by"
                by = next((m for m in right if _after_by(m, lowers)), None)
                if by is not None:
                    if pat.swap and subj is not None:
                        # "the Iranian ambassador was summoned by Britain": the agent acts on the owner
                        owner = subj
                        agents = self._codes(_group_right(mentions, by, lowers), mentions, ctx, lowers)
                        pairs = [(s_, o_) for s_ in agents for o_ in self._codes([owner], mentions, ctx, lowers)
                                 if s_ != o_]
                        return self._direct(doc, sent, sno, trig, pairs, min(owner.start, trig.start),
                                            max(trig.end, by.end), pat.conf, dates, lead, prev_date, keys, news_head,
                                            ctx.published)
                    subj = by
                    after = _group_right(mentions, by, lowers)
                    # "the attack by Russian forces in Ukraine": the object may follow the agent
                    right = [m for m in right if m.start < by.start or
                             (m.start >= after[-1].end and _prep_before(m, lowers) in ("in", "on", "against", "into",
                                                                                       "to"))]
            if rel in ("open_embassy", "close_embassy"):
                # "the Ethiopian Embassy in Islamabad": the demonym owns the embassy
                owner = next((m for m in mentions if trig.start <= m.start < trig.end and m.end + 1 < len(lowers)
                              and (lowers[m.end] in _EMBASSY or (lowers[m.end] in ("'s", "'")
                                   and lowers[m.end + 1] in _EMBASSY)
                                   or (lowers[m.start - 1] == "of" and lowers[m.start - 2] in _EMBASSY))), None)
                # ("the Ethiopian Embassy in Islamabad", "the embassy of Norway in Kabul")
                if owner is not None:
                    subj = owner
                    right = [m for m in right if m is not owner]
            if rel == "visit" and lowers[trig.start] == "visiting" and trig.start > lo \
                    and lowers[trig.start - 1] in _BEFORE_GUEST:
                # "talks with visiting Pakistani Prime Minister Shehbaz Sharif": the guest visits the host
                guest = next((m for m in mentions if m.start in (trig.end, trig.end + 1) and m.code), None)
                host = [subj.code] if subj is not None and subj.code else ([ctx.dateline] if ctx.dateline else [])
                if guest is None or not host or host[0] == guest.code:
                    return []
                return self._direct(doc, sent, sno, trig, [(guest.code, host[0])], min(trig.start, guest.start),
                                    max(trig.end, guest.end), pat.conf * 0.9, dates, lead, prev_date, keys, news_head,
                                    ctx.published)
            if subj is not None:
                subj_group = _group_left(mentions, subj, lowers) if subj.end <= trig.start else \
                    _group_right(mentions, subj, lowers)
                if subj.start >= clause_start:
                    subj_group = [m for m in subj_group if m.start >= clause_start]
            subj_set = set(self._codes(subj_group, mentions, ctx, lowers))  # resolved: "it" is the state meant
            right = [m for m in right if not _speaker(m, lowers, hi) and not _absolute_with(mentions, m, lowers, hi)
                     and not (m.kind == "pronoun" and lowers[m.start] in _POSSESSIVE
                              # "criticised its citizenship law": whose law is criticised is the target
                              and not (rel in _EVALUATIONS and m.start == trig.end))]
            objs = [m for m in right if m not in subj_group and not (m.codes and set(m.codes) <= subj_set)]
            if rel not in LOCATION_RELATIONS:
                objs = [m for m in objs if not ((m.kind in ("capital", "seat") and lowers[m.start - 1] in ("in", "at"))
                                                or (m.kind == "seat" and lowers[m.start - 2:m.start] == ["at", "the"]))]
            else:
                # "the offensive in Gaza during a speech in Addis Ababa": a place far from the act is the scene
                # of something else
                objs = [m for m in objs if not (m.kind in ("capital", "seat") and lowers[m.start - 1] in ("in", "at")
                                                and _SCENE_BREAK.intersection(lowers[trig.end:m.start - 1]))]
            if rel in STATUS_RELATIONS or rel in ("recall_ambassador", "expel_diplomats"):
                # "downgraded relations over Taiwan": what it is about, not the other party
                # (but "cut ties over Israel's treatment of ...": the possessor is)
                objs = [m for m in objs if _prep_before(m, lowers) not in ("over", "about")
                        or (m.end < hi and lowers[m.end] in ("'s", "'"))]
            if rel == "praise" and lowers[trig.start].startswith("welcom") and objs and objs[0].person \
                    and trig.end == objs[0].start:
                # "Duda welcomed Ukrainian President Zelensky to Warsaw": a host receiving a guest
                rel = "meet"
                pat = replace(pat, relation="meet", cameo=None)
            if as_noun and rel == "attack":
                # "its attack was revenge for the Israeli assassination": a noun's target follows on/against/in
                near = max([trig.end] + [m.end for m in mentions if trig.end <= m.start and _after_by(m, lowers)
                                         and m.start - trig.end <= 3])  # "the attack by Russian forces in ..."
                objs = [m for m in objs if m.start == trig.end or _prep_before(m, lowers) in _TARGET_PREPS
                        or (_prep_before(m, lowers) in ("in", "at", "of") and m.start - near <= 4)]
            # "bombarded areas near the Turkish border": a landmark, not a party
            objs = [m for m in objs if not (_prep_before(m, lowers) in ("near", "along", "off", "beyond", "across")
                                            and m.end < hi and lowers[m.end] in _LANDMARKS)]
            if rel == "provide_aid" and _FORCES.intersection(lowers[trig.start:trig.end]):
                # "sent troops into Ukraine" is an incursion, not help ("an airdrop of aid into Gaza" is help)
                objs = [m for m in objs if _prep_before(m, lowers) not in ("into", "across", "inside")]
            if pat.text.startswith("switch"):
                # "switched recognition from Taipei to Beijing": the new one follows "to"
                to = [m for m in objs if lowers[m.start - 1] == "to"]
                if to:
                    objs = to
            if objs and objs[0].code and not self.gaz.is_state(objs[0].code):
                # "complained to the United Nations over Israeli raids": the state is the target
                states = [m for m in objs if m.code and self.gaz.is_state(m.code)]
                if states:
                    objs = states
            if objs:
                first = objs[0]
                obj_group = [m for m in _group_right(mentions, first, lowers) if m.start < clause_end]
                between = (first.start >= 1 and lowers[first.start - 1] in ("between", "among")) or \
                    (first.start >= 2 and lowers[first.start - 2] == "between")
        # "countries that establish ties": the subject is the relative pronoun's antecedent;
        # "the decision to recognise": the subject owns the decision
        j = trig.start - 1
        while j >= lo and lowers[j] in ADVERBS:
            j -= 1
        if not passive and j >= lo and (lowers[j] in ("that", "which", "who") or
                                        (lowers[j] == "to" and j - 1 >= lo and lowers[j - 1] in NOMINAL_INTENT)):
            k = j if lowers[j] != "to" else j - 1
            owner = [m for m in subj_group if m.end in (k, k - 1) or (m.end + 1 == k and lowers[m.end] == "'s")]
            if not owner and lowers[j] in ("which", "who") and lowers[j - 1] == ",":
                # "... were cut by Saudi Arabia, Bahrain and Egypt, which accused Doha": the list before
                ante = next((m for m in mentions if m.end == k - 1 and m.code), None)
                owner = _group_left(mentions, ante, lowers) if ante is not None else []
            if not owner:
                return []
            subj_group = owner
        elif not passive and j - 1 > lo and lowers[j] == "to" and lowers[j - 1].endswith("ing") \
                and lowers[j - 1] not in ("going", "according"):
            # "... in response to their governments deciding to recognise": the gerund's own subject
            near = [m for m in mentions if j - 5 <= m.end <= j - 1 and m.start >= lo]
            if not near:
                return []
            subj_group = _group_left(mentions, near[-1], lowers)
        # modality
        window_lo = max(lo, (subj_group[-1].end if subj_group and subj_group[-1].end <= trig.start
                             else trig.start - 8), trig.start - 12)
        if window_lo < trig.start - 1 and lowers[window_lo] == "," and lowers[window_lo + 1] in ("which", "who"):
            # "Serbia, which has never recognized Kosovo, recalled ...": the clause's words are its own
            close = next((k for k in range(window_lo + 2, trig.start) if lowers[k] == ","), None)
            if close is not None:
                window_lo = close + 1
        pre_lo = max(lo, (subj_group[0].start if subj_group else window_lo) - 3)
        if self._blocked(rel, keys, window_lo, trig.start, pre_lo, lo):
            if not (rel in _THREAT_ACTS and self._threat(keys, lo, window_lo, trig.start, hi, subj_group)):
                return []
            # "Gambia said it would sever relations with Senegal unless ...": not done, but a threat made
            rel = "warn"
            pat = replace(pat, relation="warn", cameo=None, conf=pat.conf * 0.8)
        for k in range(trig.start, min(hi, trig.end + 12)):
            if lowers[k] in BOUNDARY or lowers[k] == ",":
                break  # "..., who is due to visit next week": another clause's future
            if lowers[k] == "tomorrow" or (lowers[k] == "next" and k + 1 < hi and lowers[k + 1] in _FUTURE_UNITS):
                return []  # "is to travel to Azerbaijan next week": not yet happened
        # resolve codes
        subj_codes = self._codes(subj_group, mentions, ctx, lowers)
        obj_codes = self._codes(obj_group, mentions, ctx, lowers)
        conf = pat.conf
        if pat.head == 1 and pat.text.startswith("this") and trig.start != sent.start:
            return []  # "the recognition" inside a sentence is not a reference back
        date_override: str | None = None
        if not subj_codes and not obj_codes and lowers[sent.start] in ("this", "that", "the") and pat.noun \
                and trig.start <= sent.start + 2:
            # "This recognition marked ...", "The exchange of letters comes ...": the event told before
            ev = next((e for e in reversed(history) if e.relation == rel), None)
            if ev is None and rel == "recognize":
                ev = next((e for e in last_events if e.relation == "establish_relations"), None)
            if ev is None:
                return []
            subj_codes, obj_codes = [ev.subject], [ev.object]
            conf *= 0.8
            date_override = ev.date
        if RELATIONS[rel].symmetric and len(subj_codes) == 1 and not obj_codes and subj_group:
            # "Lavrov told Kerry during a phone call": the call is between the two
            other = [m for m in left if m.end <= subj_group[0].start and m.code and m.code != subj_codes[0]
                     and self.gaz.is_state(m.code) and not _prep_attached(m, lowers, lo)
                     and subj_group[0].start - m.end <= 4]
            if other:
                obj_codes = [other[-1].code]  # type: ignore[list-item]
                conf *= 0.8
        if not RELATIONS[rel].symmetric and subj_codes and set(subj_codes) == set(obj_codes):
            return []  # "both men lauded their two countries' ties": not one side acting on the other
        if pat.text.startswith("anniversary") and not any(d.kind == "anniversary" for d in dates):
            return []  # an anniversary without its number dates nothing
        if RELATIONS[rel].symmetric and len([c for c in subj_codes if self.gaz.is_state(c)]) >= 2 and obj_codes \
                and not between and all(not self.gaz.is_state(c) or m.kind in ("capital", "seat")
                                        for m in obj_group for c in m.codes):
            obj_codes = []  # "Xi and Biden met on the sidelines of the APEC summit in Lima"
        # "praised each other", "exchanged congratulatory messages": both directions
        if not RELATIONS[rel].symmetric and len(subj_codes) >= 2 and not obj_codes and \
                ((rel == "sever_relations" and not passive and not pat.noun
                  and "with" not in lowers[trig.start:trig.end + 2])  # "Djibouti and Eritrea severed ties"
                 or "each" in lowers[trig.start + 1:trig.end + 3] or "one" in lowers[trig.end:trig.end + 2]
                 or any(k in ("exchange", "exchanged", "exchanging", "mutual", "trade", "traded", "trading")
                        for k in lowers[max(lo, trig.start - 3):trig.end])):
            return self._reciprocal(rel, subj_codes, conf, sno, doc, trig, dates, lowers, lead, prev_date,
                                    window_lo, keys, news_head, ctx, sent)
        # "welcomed the recognition of Palestine by Ireland, Spain and Norway": the act's agents are the target
        if rel in _EVALUATIONS and subj_codes and \
                (not obj_codes or set(obj_codes) <= set(subj_codes) or (obj_group and obj_group[0].kind != "pronoun")):
            k = trig.end
            while k < hi and lowers[k] in DETERMINERS | {"this", "that", "these", "latest", "new", "official"}:
                k += 1
            if k < hi and lowers[k] in _ACT_NOUNS:
                by = next((m for m in mentions if m.start > k and m.start - k <= 12 and _after_by(m, lowers)), None)
                if by is not None:
                    agents = self._codes(_group_right(mentions, by, lowers), mentions, ctx, lowers)
                    if agents and not set(agents) & set(subj_codes):
                        obj_codes = agents
        # "condemned the move": the move is the last event's, its actors the target
        if not obj_codes and subj_codes and rel in _EVALUATIONS and last_events:
            k = trig.end
            while k < hi and lowers[k] in DETERMINERS | {"this", "that", "these", "latest", "new"}:
                k += 1
            j = sent.start + (lowers[sent.start] in ("the", "this", "that"))
            if (k < hi and lowers[k] in _ACT_NOUNS and k > trig.end - 1) or \
                    (pat.noun and lowers[j] in _ACT_NOUNS and j < trig.start and lowers[sent.start] != lowers[j]):
                # "condemned the move" / "The move was described by Russia as hostile"
                targets = [e.subject for e in last_events if e.subject not in subj_codes]
                obj_codes = list(dict.fromkeys(targets))
                conf *= 0.75
        if pat.swap:
            subj_codes, obj_codes = obj_codes, subj_codes  # "Russia's ambassador to Moldova was summoned"
        pairs = self._pairs(rel, subj_codes, obj_codes, between, ctx, subj_group, obj_group)
        if not pairs:
            return []
        if any(m.kind in ("pronoun", "pair", "anaphor", "surname") for m in subj_group + obj_group):
            conf *= 0.85
        if subj_group and trig.start - subj_group[-1].end > 10:
            conf *= 0.85
        # date
        if date_override is not None:
            date = date_override
        else:
            date = self._date(doc, sent, trig, dates, lowers, lead, prev_date, pairs, window_lo, keys,
                              news_head, ctx.published)
        if date and ctx.published and date[: len(ctx.published)] > ctx.published[: len(date)]:
            return []  # a date after publication: planned, not happened
        tok_start = min([trig.start] + [m.start for m in subj_group])
        tok_end = max([trig.end] + [m.end for m in obj_group])
        start, end = doc.char_span(tok_start, tok_end)
        out = [_Candidate(s, rel, o, date, min(conf, 0.99), sno, start, end, pat.cameo) for s, o in pairs]
        # respectively: "with A and B on D1 and D2, respectively"
        if "respectively" in lowers[lo:hi] and len(obj_codes) > 1:
            abs_dates = [d.value for d in dates if d.value and d.kind in ("absolute", "relative")
                         and d.start >= doc.offsets[trig.start]]
            if len(abs_dates) == len(obj_codes):
                order = {c: i for i, c in enumerate(obj_codes)}
                for c in out:
                    other = c.object if c.object in order else c.subject
                    if other in order:
                        c.date = abs_dates[order[other]]
        return out

    def _direct(self, doc: Tokens, sent: Sent, sno: int, trig: TriggerMatch, pairs: list[tuple[str, str]], a: int,
                b: int, conf: float, dates: list[DateExpr], lead: str | None, prev_date: str | None,
                keys: list[tuple[str, str]], news_head: bool, published: str | None) -> list[_Candidate]:
        """Candidates of pairs a rule found outright (a letter's author and addressee, a guest and its
        host, an envoy and who summoned it), dated by the trigger, tokens ``[a, b)`` as evidence."""
        date = self._date(doc, sent, trig, dates, self._lowers, lead, prev_date, [], max(sent.start, trig.start - 8),
                          keys, news_head, published)
        start, end = doc.char_span(a, b)
        return [_Candidate(s, trig.relation, o, date, conf, sno, start, end, trig.pattern.cameo) for s, o in pairs]

    def _speech_events(self, doc: Tokens, sent: Sent, sno: int, trig: TriggerMatch, mentions: list[Mention],
                       dates: list[DateExpr], ctx: Discourse, keys: list[tuple[str, str]], lead: str | None,
                       prev_date: str | None, last_events: list[_Candidate], news_head: bool,
                       history: list[_Candidate]) -> list[_Candidate]:
        """An evaluation in reported speech ("'... a travesty of international law,' X said"):
        the speaker is the subject; the object is the state the words are about, or, when the
        words are about an act ("the decision", "this violation"), the actors of that act."""
        lo, hi = sent.start, sent.end
        lowers = self._lowers
        is_state = self.gaz.is_state
        found = speaker(mentions, lowers, lo, hi, is_state, ctx.last_person)
        if found is None:
            return []
        who, verb = found
        if who.start <= trig.start < who.end:
            return []
        subj_group = _group_left(mentions, who, lowers) if any(m is who for m in mentions) else [who]
        subj = [c for c in self._codes(subj_group, mentions, ctx, lowers) if is_state(c)]
        if not subj:
            return []
        conf = trig.pattern.conf
        # "said the decision to recognise ... undermined": the act's doers, told before
        k = verb + 1 + (verb + 1 < hi and lowers[verb + 1] == "that")
        act = trig.start > verb and k + 1 < hi and lowers[k] in DETERMINERS | {"this", "that", "these"} \
            and lowers[k + 1] in _ACT_NOUNS
        objs = [] if act else spoken_about(mentions, lowers, lo, hi, who, verb, trig.start, is_state)
        obj: list[str] = []
        if objs:
            obj = [c for c in self._codes(_group_right(mentions, objs[0], lowers), mentions, ctx, lowers)
                   if is_state(c) and c not in subj]
        else:
            # the last act told: its doer, or, when the speaker did it, the one it was done to
            # (without an act named, only a conflict just told: "France and Germany signed a deal.
            # The minister said the delays were unacceptable" is no criticism of Germany)
            base = [e for e in reversed(history) if e.subject not in subj] if act else \
                [e for e in last_events if e.relation in RELATIONS and RELATIONS[e.relation].goldstein < 0]
            if act:  # "the attack": the last attack told, if any
                base = [e for e in base if e.relation == _ACT_RELATION.get(lowers[k + 1])] or base
            if act and base:
                base = [e for e in history if e.sentence == base[0].sentence and e.relation == base[0].relation]
            for e in base:
                other = e.object if e.subject in subj else e.subject
                if other not in subj and other not in obj and is_state(other):
                    obj.append(other)
            conf *= 0.85
        if not obj:
            return []
        pairs = [(s, o) for s in subj for o in obj if s != o]
        # dated as the speech: the date by the speech verb ("said on Tuesday"), not by the words
        said = TriggerMatch(trig.pattern, verb, verb + 1, verb)
        date = self._date(doc, sent, said, dates, lowers, lead, prev_date, pairs, max(lo, verb - 8), keys,
                          news_head, ctx.published)
        if date and ctx.published and date[: len(ctx.published)] > ctx.published[: len(date)]:
            return []
        start, end = doc.char_span(min(trig.start, who.start), max(trig.end, who.end))
        return [_Candidate(s, trig.relation, o, date, conf, sno, start, end, trig.pattern.cameo) for s, o in pairs]

    def _reciprocal(self, rel, subj_codes, conf, sno, doc, trig, dates, lowers, lead, prev_date, window_lo, keys,
                    news_head, ctx, sent) -> list[_Candidate]:
        date = self._date(doc, sent, trig, dates, lowers, lead, prev_date, [], window_lo, keys, news_head,
                          ctx.published)
        start, end = doc.char_span(trig.start, trig.end)
        return [_Candidate(a, rel, b, date, conf * 0.9, sno, start, end, trig.pattern.cameo)
                for a in subj_codes for b in subj_codes if a != b]

    @staticmethod
    def _threat(keys: list[tuple[str, str]], lo: int, a: int, b: int, hi: int, subj_group: list[Mention]) -> bool:
        """Whether a hostile act blocked as not yet done is one its subject says it will do unless
        (or if) something happens, an ultimatum: the words before it ``[a, b)`` hold "will"/"would"
        and nothing else that blocks, a verb of saying (said, announced, vowed, warned) stands before
        them in the sentence, and "unless" or "if" after it.  ("said it would close its embassy"
        without a condition is most often a decision announced, not a threat.)"""
        if not subj_group or not any(low in ("unless", "if") for _, low in keys[b:hi]):
            return False
        words = [low for _, low in keys[a:b]]
        modal = next((k for k, w in enumerate(words) if w in _WILL), None)
        if modal is None or any(w in NEGATION or w in CONDITION or w in ALLEGE
                                or (w in MODAL and w not in _WILL) for w in words):
            return False
        if any(keys[k][0] in INTENT and keys[k][0] not in _THREAT_INTENT for k in range(a + modal, b)):
            return False  # "would consider cutting ties", "will seek sanctions"
        return any(keys[k][0] in _ANNOUNCE for k in range(lo, a + modal))

    def _blocked(self, rel: str, keys: list[tuple[str, str]], a: int, b: int, pre: int, lo: int) -> bool:
        pledge = rel == "pledge_cooperation"
        for k in range(a, b):
            lem, low = keys[k]
            if k > a and keys[k - 1][1] == "-":
                continue
            if low in NEGATION or lem in NEGATION:
                return True
            if low in CONDITION:
                return True
            if low == "would" and k + 2 < b and keys[k + 1][1] == "like" and keys[k + 2][1] == "to":
                continue  # "I would like to offer my congratulations": said, so done
            if k >= a + 2 and keys[k - 1][1] == "would" and low == "like":
                continue
            if not pledge and (low in MODAL or (lem in INTENT and rel != "warn"
                               and not (lem == "agree" and rel in STATUS_RELATIONS))):
                return True  # "agreed to resume relations" restores them; "agreed to meet" is a plan
            if lem in ALLEGE or low in ALLEGE:
                return True
            if pledge and lem in ("want", "wish", "plan", "intend", "consider"):
                return True  # wanting closer ties is not pledging them
        for k in range(pre, a):
            lem, low = keys[k]
            if low in CONDITION or lem in ALLEGE or low in ALLEGE or low in ("neither", "nor"):
                return True  # ... "Neither Russia nor China has recognized Kosovo"
        # headline future: "X to visit Y"
        return b - 1 >= lo and keys[b - 1][1] == "to" and b - 2 >= lo and a == b - 1

    def _codes(self, group: list[Mention], mentions: list[Mention], ctx: Discourse,
               lowers: list[str]) -> list[str]:
        out: list[str] = []
        for m in group:
            codes = m.codes
            if m.kind == "pair":
                # "the two countries": two states just named together, else the pair the article is about;
                # "Ireland and Norway ... their governments": a list named before in the sentence
                listed: list[Mention] = []
                if lowers[m.start] == "their":
                    before = [x for x in mentions if x.end <= m.start and x.code and self.gaz.is_state(x.code)]
                    listed = _group_left(mentions, before[-1], lowers) if before else []
                lt = ctx.last_two
                if len(listed) >= 2 and all(x.code and x.kind not in ("pronoun", "pair") for x in listed):
                    codes = tuple(x.code for x in listed)  # type: ignore[misc]
                else:
                    fp = (lt[0], lt[1]) if lt and ctx.sentence_no - lt[2] <= 1 and lowers[m.start] != "both" \
                        else ctx.focus_pair()
                    codes = fp if fp else ()
            elif m.kind == "pronoun" and not m.person:
                # "it": the nearest earlier state in the sentence not after a preposition;
                # "its": the nearest earlier state ("sanctions on Iran over its attack")
                lo = min((x.start for x in mentions), default=m.start)
                possessive = lowers[m.start] == "its"
                prior = [x for x in mentions if x.end <= m.start and x.code and self.gaz.is_state(x.code)
                         and x.kind not in ("pronoun", "pair", "media")
                         and (possessive or not _prep_attached(x, lowers, max(0, lo - 3)))]
                if possessive and prior and _joined_any(mentions, prior[-1], lowers):
                    prior = []  # "Iran and Iraq ... its": ambiguous, use the discourse
                if prior:
                    codes = (prior[-1].code,)  # type: ignore[assignment]
            elif m.kind == "pronoun" and m.person:
                prior = [x for x in mentions if x.end <= m.start and x.person and x.code]
                if prior:
                    codes = (prior[-1].code,)  # type: ignore[assignment]
            for c in codes:
                if c and c not in out:
                    out.append(c)
        return out

    def _pairs(self, rel: str, subj: list[str], obj: list[str], between: bool, ctx: Discourse,
               subj_group: list[Mention], obj_group: list[Mention]) -> list[tuple[str, str]]:
        symmetric = RELATIONS[rel].symmetric
        pairs: list[tuple[str, str]] = []
        if between and len(obj) >= 2:
            if symmetric:
                return [(a, b) for a, b in combinations(obj, 2)]
            subj = [s for s in subj if s not in obj] or subj
            return [(s, o) for s in subj for o in obj if s != o]
        if subj and obj:
            pairs = [(s, o) for s in subj for o in obj if s != o]
        elif symmetric and len(subj) >= 2:
            grouped = {c for m in subj_group if m.kind == "group" for c in m.codes}
            others = [c for c in subj if c not in grouped]
            if grouped and others:
                # "the four states and Qatar signed a declaration": the group is one party
                pairs = [(a, b) for a in subj if a in grouped for b in others]
            else:
                pairs = list(combinations(subj, 2))
        elif symmetric and len(obj) >= 2 and not subj:
            pairs = list(combinations(obj, 2))
        return pairs

    def _date(self, doc: Tokens, sent: Sent, trig: TriggerMatch, dates: list[DateExpr],
              lowers: list[str], lead: str | None, prev_date: str | None,
              pairs: list[tuple[str, str]], window_lo: int, keys: list[tuple[str, str]],
              news_head: bool = False, published: str | None = None) -> str | None:
        tstart, tend = doc.char_span(trig.start, trig.end)
        rel = trig.relation
        best: tuple[float, DateExpr] | None = None
        for d in dates:
            if d.kind == "anniversary":
                if rel == "establish_relations" and d.start <= tstart + 40 and d.end >= tstart - 40:
                    return d.value
                continue
            if d.kind == "offset":
                if d.end <= tstart and d.direction == 1 and "after" in d.text.lower():
                    # "X comes a month after EVENT": EVENT = anchor - amount
                    anchor = next((x.value for x in dates if x.value and x.end <= d.start and x.kind != "anniversary"),
                                  None) or lead
                    if anchor and tstart - d.end < 120:
                        dist = tstart - d.end
                        if best is None or dist < best[0]:
                            best = (dist, DateExpr(d.start, d.end, d.text,
                                                   _vague(shift(anchor, -d.amount, d.unit), d), "offset"))
                elif d.text.lower().split()[-1] in ("later", "earlier"):
                    # "a day later", "the same day": from the date last named before it
                    anchor = next((x.value for x in reversed(dates) if x.value and x.end <= d.start
                                   and x.kind not in ("anniversary", "offset")), None) or prev_date or lead
                    if anchor:
                        d = DateExpr(d.start, d.end, d.text, _vague(shift(anchor, d.direction * d.amount, d.unit), d),
                                     "offset")
                    else:
                        continue
                else:
                    continue
            if not d.value:
                continue
            if d.end <= tstart:
                gap = self._text[d.end:tstart]
                dist = len(gap) + (60 if any(w in gap.lower().split() for w in _DATE_BARRIERS_BEFORE) else 0) \
                    + (100 if ";" in gap else 0)  # "In 1972, A and B normalized relations; six years later ..."
                if "," in gap and _RELATIVE_OPEN.search(self._text, max(sent.start_char, d.start - 150), d.start):
                    dist += 80  # "X, who arrived on Monday for a visit, held talks": the clause's own day
            elif d.start >= tend:
                gap = self._text[tend:d.start]
                words = gap.lower().replace(",", " ").split()
                dist = len(gap) * 0.8 + (60 if any(w in words for w in _DATE_BARRIERS_AFTER) else 0) \
                    + (100 if ";" in gap else 0)
            else:
                dist = 0
            if best is None or dist < best[0]:
                best = (dist, d)
        if best is not None and best[0] < 200:
            return best[1].value
        # no date in the sentence
        if any(d.kind == "vague" for d in dates):
            return None  # "in the 1980s": a time kg cannot write, and not the news date either
        first = lowers[sent.start]
        if first in ANAPHORIC_START or " ".join(lowers[sent.start:sent.start + 2]) in ANAPHORIC_START:
            return prev_date
        if news_head:
            # headlines and lead sentences tell the news of the day: "Russia expels US diplomats"
            return _news_date(lead or published)
        for k in range(max(sent.start, trig.start - 6), trig.start):
            if lowers[k] == "had":
                return None  # past perfect: background, its time not given
        for k in range(max(sent.start, trig.start - 8), trig.start):
            if lowers[k] in ("is", "are", "remains", "remain") and trig.pattern.noun:
                return None  # a state of affairs: "Russia is facing sanctions for its invasion"
        # otherwise the news date, as event coders do (GDELT dates events by their article)
        return _news_date(lead or published)


def fold_dates(events: list[Event]) -> list[Event]:
    """One event per (subject, relation, object) and date: a coarser or missing
    date folds into a compatible finer one; the most confident report is kept."""
    by_key: dict[tuple[str, str, str], list[Event]] = {}
    for e in events:
        by_key.setdefault(e.key, []).append(e)
    out: list[Event] = []
    for group in by_key.values():
        kept: list[Event] = []
        for e in sorted(group, key=lambda e: (-len(e.date or ""), e.sentence)):
            same = next((k for k in kept if not e.date or (k.date or "")[: len(e.date)] == e.date), None)
            if same is None:
                kept.append(e)
            elif e.confidence > same.confidence and e.date == same.date:
                kept[kept.index(same)] = e
        out.extend(kept)
    out.sort(key=lambda e: (e.sentence, e.span, e.relation, e.subject, e.object))
    return out


def _filing_date(d: DateExpr, text: str) -> bool:
    """'Pyongyang, April 13 (KCNA) --', 'Updated: 2021-03-18 05:52', 'Published on Mar 19, 2014':
    the day a story was filed or its page stamped, not the day of its news."""
    after = text[d.end:d.end + 3].lstrip()
    line_start = text.rfind("\n", 0, d.start) + 1
    if d.start - line_start < 40 and after[:1] in ("(", "-", "—", "–", ":"):
        return True
    line_end = text.find("\n", d.end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start - (d.end - d.start) < 40:  # a short line: is it only a date ("Sun Sep 29, 2019")?
        rest = text[line_start:d.start] + " " + text[d.end:line_end]
        if not _DATE_LINE_REST.sub("", rest).strip():
            return True
    return _STAMP.search(text, max(line_start, d.start - 30), d.start) is not None


def _quoted(d: DateExpr, text: str) -> bool:
    """Whether a date stands inside a quotation ("... the events today and also yesterday"): its
    "today" is the speaker's day, not the day of publication.  Quotes are counted in its paragraph."""
    para = text.rfind("\n\n", 0, d.start) + 1
    return text.count('"', para, d.start) % 2 == 1


def _vague(value: str | None, d: DateExpr) -> str | None:
    """'days after' or 'weeks after' cannot keep a day: keep the month."""
    if value and len(value) == 10 and (d.unit != "day" or (not d.text.split()[0][0].isdigit()
                                        and d.text.split()[0].lower() not in ("a", "one", "two", "three", "an"))):
        return value[:7]
    return value


def _prune(triggers: list[TriggerMatch]) -> list[TriggerMatch]:
    """Keep the longest trigger at each place; of overlapping ones of one relation, one."""
    triggers.sort(key=lambda t: (t.start, -(t.end - t.start), -t.pattern.conf))
    out: list[TriggerMatch] = []
    for t in triggers:
        if any(o.relation == t.relation and t.start < o.end and o.start < t.end for o in out):
            continue
        if any(o.start <= t.start and t.end <= o.end and o.relation != t.relation and
               (o.end - o.start) > (t.end - t.start) and (o.relation, t.relation) not in _BOTH for o in out):
            continue  # contained in a longer trigger of another relation
        if any(t.start < o.end and o.start < t.end and (o.relation, t.relation) in _EXCLUDES for o in out):
            continue  # "halted economic aid to": the sanction, not the aid
        out.append(t)
    return out


# words that are prepositions but also open clauses ("a month after Kim made a trip")
_CLAUSE_OPENERS = frozenset({"after", "before", "since", "until", "as"})


# nouns whose "of X" names the actor: "the Government of X", "the President of X"
_OF_HEADS = frozenset({"government", "president", "ministry", "minister", "embassy", "people", "leader",
                       "king", "queen", "emir", "prime", "foreign", "authorities", "delegation", "kingdom",
                       "republic", "state", "representative", "ambassador", "parliament", "army", "forces",
                       "navy", "military", "troops", "administration", "chancellor", "premier", "envoy",
                       "affairs", "council", "cabinet", "secretary", "officials", "mission", "consulate",
                       "spokesman", "spokeswoman", "spokesperson", "head", "chief", "crown", "prince",
                       "sultan", "monarch", "regime", "side", "behalf", "coast", "guard", "diplomats",
                       "delegations", "leaders", "ministers", "envoys", "representatives", "counterparts",
                       "counterpart", "diplomat", "official", "delegates", "negotiators"})


def _prep_before(m: Mention, lowers: list[str], lo: int = 0) -> str:
    """The word before a mention and its determiners ("to" in "to the Kazakh president")."""
    return word_before(lowers, m.start, DETERMINERS, lo)


def _prep_attached(m: Mention, lowers: list[str], lo: int) -> bool:
    j = m.start - 1
    while j >= lo and lowers[j] in DETERMINERS:
        j -= 1
    if j >= lo and lowers[j] in ("of", "from") and j - 1 >= lo and lowers[j - 1] in _OF_HEADS:
        return False  # "the Government of X", "officials from X"
    return j >= lo and lowers[j] in PREPOSITIONS and lowers[j] not in _CLAUSE_OPENERS


def _relative_spans(lowers: list[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """', which has never recognized Kosovo,': token spans of relative clauses between commas."""
    spans = []
    for k in range(lo, hi - 1):
        if lowers[k] == "," and lowers[k + 1] in ("which", "who", "whose", "whom"):
            end = next((j for j in range(k + 2, hi) if lowers[j] == ","), None)
            if end is not None:
                spans.append((k, end))
    return spans


def _subject(left: list[Mention], lowers: list[str], lo: int, trig_start: int | None = None) -> Mention | None:
    """The nearest actor before the trigger that is not inside a prepositional phrase
    or a relative clause ("Serbia, which never recognized Kosovo, recalled ...")."""
    hi = trig_start if trig_start is not None else (left[-1].end if left else lo)
    inside = [(a, b) for a, b in _relative_spans(lowers, lo, hi) if b < hi]
    for m in reversed(left):
        if any(a < m.start < b for a, b in inside):
            continue
        if lowers[m.start] in _POSSESSIVE and m.kind in ("pronoun", "pair") and \
                (trig_start is None or m.end != trig_start):
            continue  # "violating its airspace and carrying out a strike": "its" owns, it does not act
        head = m
        # take the whole conjunction: "between North Korea and Russia" is one phrase
        k = left.index(m)
        while k > 0 and _joined(left[k - 1], left[k], lowers):
            k -= 1
            head = left[k]
        if _prep_attached(head, lowers, lo):
            # "with Iran, Saudi Arabia and China signing a statement": an absolute clause
            j = head.start - 1
            while j >= lo and lowers[j] in DETERMINERS:
                j -= 1
            if not (trig_start is not None and m.end == trig_start and lowers[j] == "with"
                    and lowers[trig_start].endswith("ing")):
                continue
        return m
    return None


_EMBASSY = frozenset({"embassy", "embassies", "consulate", "consulates", "mission", "missions", "consulate-general"})
_AGENT_NOUNS = frozenset({"troops", "forces", "soldiers", "aircraft", "warplanes", "jets", "militiamen", "police",
                          "officials", "authorities", "government", "governments", "navy", "army", "units"})


def _after_by(m: Mention, lowers: list[str]) -> bool:
    """'by Spain', 'by the US', 'by troops from the Soviet Union': the agent of a passive or a noun."""
    j = m.start - 1
    while j >= 0 and (lowers[j] in DETERMINERS or lowers[j] in _TITLE_WORDS):
        j -= 1  # "by President Joe Biden"
    if j >= 0 and lowers[j] == "by":
        return True
    if j >= 1 and lowers[j] in ("from", "of"):
        k = j - 1
        while k >= 0 and (lowers[k] in _AGENT_NOUNS or lowers[k] in DETERMINERS):
            k -= 1
        return k < j - 1 and k >= 0 and lowers[k] == "by"
    return False


# words that may stand between the members of a list: "the US and most Western nations"
_LIST_FILLERS = frozenset({"the", "both", "most", "many", "other", "several", "some", "all", "fellow"})


_JOINS = frozenset({("and",), (",",), (",", "and"), ("or",), ("as", "well", "as"), ("and", "its"), ("and", "their"),
                    ("&",)})
_ONE_WORD_JOINS = frozenset(j[0] for j in _JOINS if len(j) == 1)


def _joined(a: Mention, b: Mention, lowers: list[str]) -> bool:
    """Whether ``b`` follows ``a`` in a list: "A and B", "A, B", "A as well as B"."""
    gap = b.start - a.end
    if a.kind == "pair" or b.kind == "pair" or not 0 < gap <= 6:
        return False  # "... with Putin and the two leaders signed": clauses, not a list
    if gap == 1:
        return lowers[a.end] in _ONE_WORD_JOINS
    return tuple(w for w in lowers[a.end:b.start] if w not in _LIST_FILLERS) in _JOINS


_NOUN_DET = frozenset({"the", "a", "an", "its", "their", "his", "her", "'s", "this", "that", "our", "new", "latest"})


def _noun_use(lowers: list[str], i: int, lo: int) -> bool:
    """Whether the word at i is used as a noun: a determiner before it, adjectives between."""
    if lowers[i].endswith(("ed", "ing")) or lowers[i] in ("struck", "met", "sent", "gave", "held"):
        return False
    for j in range(i - 1, max(lo, i - 5) - 1, -1):
        w = lowers[j]
        if w in _NOUN_DET:
            return True
        if not w.isalpha() or w in BE or w in MODAL or w in ("to", "not", "n't", "did", "does", "do"):
            return False
    return False


_SPEECH = frozenset({"said", "says", "told", "reported", "reports", "stated", "announced", "added"})


def _absolute_with(mentions: list[Mention], m: Mention, lowers: list[str], hi: int) -> bool:
    """'..., with Iran, Saudi Arabia and China signing a statement': a clause of its own."""
    group = _group_right(mentions, m, lowers)
    first = _group_left(mentions, m, lowers)[0]
    end = group[-1].end
    return first.start > 0 and lowers[first.start - 1] == "with" and end < hi and lowers[end].endswith("ing")


def _speaker(m: Mention, lowers: list[str], hi: int) -> bool:
    """'Thai military sources said', 'Xinhua reported': who tells, not whom it is about."""
    for k in range(m.end, min(m.end + 3, hi)):
        if lowers[k] in _SPEECH:
            return True
        if lowers[k] not in ("military", "sources", "officials", "official", "media", "state", "news", "agency", "'s",
                             "police", "diplomatic", "government", "source", "spokesman", "spokeswoman"):
            return False
    return False


def _joined_any(mentions: list[Mention], m: Mention, lowers: list[str]) -> bool:
    return len(_group_left(mentions, m, lowers)) > 1 or len(_group_right(mentions, m, lowers)) > 1


def _group_left(mentions: list[Mention], m: Mention, lowers: list[str]) -> list[Mention]:
    k = mentions.index(m)
    group = [m]
    while k > 0 and _joined(mentions[k - 1], mentions[k], lowers):
        k -= 1
        group.insert(0, mentions[k])
    return group


def _group_right(mentions: list[Mention], m: Mention, lowers: list[str]) -> list[Mention]:
    k = mentions.index(m)
    group = [m]
    while k + 1 < len(mentions) and _joined(mentions[k], mentions[k + 1], lowers):
        k += 1
        group.append(mentions[k])
    return group


def _until_boundary(right: list[Mention], lowers: list[str], start: int, hi: int) -> list[Mention]:
    """Mentions after the trigger up to the end of its clause."""
    stop = hi
    for k in range(start, hi):
        if lowers[k] in BOUNDARY or (lowers[k] == "that" and k > start and lowers[k - 1] not in _THAT_VERBS):
            stop = k  # "countries that establish ties with Kosovo": a relative clause; "warned that X": not
            break
    return [m for m in right if m.start < stop]


_EXTRACTOR: Extractor | None = None


def get_extractor() -> Extractor:
    """The process-wide extractor (data files are loaded once)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR


def extract(article: Article) -> list[Event]:
    """The events of one article (see :class:`Extractor`)."""
    return get_extractor().extract(article)


def extract_many(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) for many articles, in order."""
    return get_extractor().extract_many(articles)
