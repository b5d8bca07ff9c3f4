"""Tokens, sentences and lemmas: spaCy's English tokenizer rules, no statistical model.

:class:`Tokenizer` splits a text as spaCy's blank English tokenizer (with two
extra infix rules) does, token for token, but without building a spaCy
``Doc``: spaCy splits each whitespace-separated chunk on its own, so kg asks
spaCy once per distinct chunk and remembers the answer, and a text becomes
plain lists of strings and offsets (:class:`Tokens`).  Then kg's own
sentence splitter runs over the token strings; it also breaks at line ends
and after abbreviations such as "U.S." when a new sentence plainly starts.
Lemmas come from spacy-lookups-data's English lookup table, read once into
a dict and looked up once per distinct word.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import spacy
from spacy.language import Language

__all__ = [
    "SENTENCE_STARTERS",
    "Tokenizer",
    "Tokens",
    "WordClasses",
    "get_nlp",
    "get_tokenizer",
    "lemma_table",
    "may_end_sentence",
    "new_nlp",
    "normalize",
    "split_sentences",
    "word_before",
]

# One character for one character, so that offsets into the normalized text
# are offsets into the original.
_REPLACE = (("’", "'"), ("‘", "'"), ("´", "'"), ("`", "'"), ("ʼ", "'"), ("′", "'"), ("“", '"'), ("”", '"'),
            ("„", '"'), ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "), ("‐", "-"), ("‑", "-"))

SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I This That These Those His Her Its Their But However "
    "In On At For After Before When While Meanwhile Earlier Later Both Such Last Next".split())
_ENDS = frozenset({".", "!", "?", "...", "…"})
_QUOTES = frozenset({'"', "'", ")"})


def normalize(text: str) -> str:
    """Typographic quotes and odd spaces to ASCII, keeping every offset.

    One ``str.replace`` per character present: each is a C scan of the text,
    several times faster than ``str.translate`` with a table on non-ASCII text.
    """
    if text.isascii():
        return text
    for a, b in _REPLACE:
        if a in text:
            text = text.replace(a, b)
    return text


@dataclass(frozen=True, slots=True)
class Sent:
    """A sentence: tokens ``[start, end)`` and characters ``[start_char, end_char)`` of its doc."""

    start: int
    end: int
    start_char: int
    end_char: int

    def __len__(self) -> int:
        return self.end - self.start


def may_end_sentence(token: str) -> bool:
    """Whether a sentence can end at this token (only these are looked at by :func:`split_sentences`)."""
    return token in _ENDS or token in _QUOTES or token[-1:] == "." or "\n" in token


def split_sentences(texts: list[str], spaces: list[str], offsets: list[int],
                    ends: Sequence[int] | None = None) -> list[Sent]:
    """Sentences from token texts: after . ! ? (also after "U.S." when a sentence plainly
    starts), and at line breaks.  Pure Python over strings: no per-token spaCy objects.
    ``ends``: the tokens where :func:`may_end_sentence` holds, when the caller knows them."""
    n = len(texts)
    if not n:
        return []
    starts = [0]
    # only a token after one of these can start a sentence: one cheap pass, then the rules
    if ends is None:
        ends = [i for i, pt in enumerate(texts) if may_end_sentence(pt)]
    for i in [i + 1 for i in ends if i + 1 < n]:
        pt, tt = texts[i - 1], texts[i]
        prev_start = starts[-1] == i - 1
        start = False
        if "\n" in pt:
            start = True
        elif pt in _ENDS:
            opening = tt in ('"', "'", "(") and not spaces[i] and i + 1 < n and texts[i + 1][:1].isalnum()
            start = tt[:1].isupper() or tt.isdigit() or opening
        elif pt in _QUOTES and not prev_start and i >= 2 and texts[i - 2] in (".", "!", "?"):
            start = tt[:1].isupper()
        elif len(pt) > 2 and pt.endswith(".") and "." in pt[:-1] and tt in SENTENCE_STARTERS:
            start = True  # "... by the U.S. He said ..."
        if start:
            starts.append(i)
    bounds = [*starts, n]
    return [Sent(a, b, offsets[a], offsets[b - 1] + len(texts[b - 1])) for a, b in pairwise(bounds)]


def word_before(lowers: Sequence[str], i: int, skip: Collection[str], lo: int = 0) -> str:
    """The word before token ``i``, past any words in ``skip`` (determiners), never before token
    ``lo``; "" at ``lo``.  "to" for "... to the Kazakh president" (i at "Kazakh")."""
    j = i - 1
    while j > lo and lowers[j] in skip:
        j -= 1
    return lowers[j] if j >= lo else ""


@cache
def lemma_table() -> dict[str, str]:
    """spacy-lookups-data's English lemma lookup table, lower-cased, as a plain dict."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        table = json.load(f)
    out: dict[str, str] = {}
    for form, lemma in table.items():
        out.setdefault(form.lower(), lemma.lower())
    return out


class _KeyTable(dict[str, tuple[str, str]]):
    """lower-cased word -> (lemma, word), made once per distinct word (bounded)."""

    def __init__(self, lemmas: dict[str, str]):
        super().__init__()
        self.lemmas = lemmas

    def __missing__(self, low: str) -> tuple[str, str]:
        if len(self) > 200_000:
            self.clear()  # a year of news has many rare words: keep memory flat
        v = self[low] = (self.lemmas.get(low, low), low)
        return v


@cache
def _key_table() -> _KeyTable:
    return _KeyTable(lemma_table())


@cache
def get_nlp() -> Language:
    """spaCy's blank English with kg's tokenizer rules (one per process; see :func:`new_nlp`)."""
    return new_nlp()


def new_nlp() -> Language:
    """A new spaCy blank English with kg's two extra infix rules: a hyphen after an
    abbreviation before a capital ("U.S.-Russia") and "'s" after a lower-case letter."""
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, r"(?<=\.)-(?=[A-Z])", r"(?<=[a-z])'(?=s\b)"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    return nlp


@dataclass(frozen=True, slots=True)
class Tokens:
    """A tokenized text, as parallel lists: what kg keeps of a document.

    ``keys`` holds (lemma, lower-cased word) per token; ``spaces`` is " " where
    a space follows the token and "" where none does, as spaCy's ``whitespace_``.
    """

    text: str
    texts: list[str]
    lowers: list[str]
    keys: list[tuple[str, str]]
    offsets: list[int]
    spaces: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def char_span(self, a: int, b: int) -> tuple[int, int]:
        """Characters ``[start, end)`` of tokens ``[a, b)``."""
        return self.offsets[a], self.offsets[b - 1] + len(self.texts[b - 1])


# a segment: a whitespace-free chunk and the whitespace after it
_SEGMENT = re.compile(r"\S+\s*")
_LEAD = re.compile(r"\s*")
# per token of a segment, five fields in a row: text, lower-cased text, (lemma, lower), trailing space, length
# including the whitespace that follows; a flat tuple, so that a text's tokens are one concatenation
_FIELDS = 5
_Record = tuple[str | tuple[str, str] | int, ...]


class Tokenizer:
    """spaCy's tokenization of a text, token for token, into :class:`Tokens`.

    spaCy splits on whitespace and then splits each chunk by its prefix, suffix,
    infix and exception rules, independently of its neighbours.  This class keeps
    spaCy's rules but not its ``Doc``: each distinct chunk (with the whitespace
    after it) goes to spaCy's tokenizer once, and its tokens, their lower-cased
    forms, lemma keys, trailing spaces and lengths are remembered.  A text is then
    a few dictionary look-ups and list concatenations, all in C.  Whitespace is
    handled as spaCy handles it: one space after a token is that token's trailing
    space, and any other run of whitespace is a token of its own.

    One difference, on purpose: spaCy's special cases can reach across a space
    ("x' ''kg" gives three single quotes); here a chunk splits the same wherever
    it stands ("''kg" is a double quote and "kg", as spaCy splits it alone).

    >>> t = get_tokenizer()("U.S.-led talks don't end.  Next")
    >>> t.texts
    ['U.S.-led', 'talks', 'do', "n't", 'end', '.', ' ', 'Next']
    """

    max_length = 1_000_000  # characters of one text, as spaCy's default
    max_segments = 50_000  # segments remembered per generation (two are kept: ~70 MB at most)
    max_vocab = 200_000  # words in spaCy's vocabulary, which grows with every new one, before a new spaCy
    max_remembered = 100  # characters of the longest segment remembered

    def __init__(self, nlp: Language | None = None):
        self._spacy = (nlp or get_nlp()).tokenizer
        self._records: dict[str, _Record] = {}  # this generation
        self._older: dict[str, _Record] = {}  # the one before: what is still in use moves up
        self._keys = _key_table()

    def _remember(self, segment: str, rec: _Record) -> None:
        if len(self._records) >= self.max_segments:
            self._older = self._records  # forget the generation before; a year of news has many rare words
            self._records = {}
        self._records[segment] = rec

    def _record(self, toks: list[tuple[int, str]], segment: str) -> _Record:
        """A segment's record from its chunk's tokens (offset, text), with the whitespace after
        the chunk (a text's opening whitespace is a segment without a chunk: one token)."""
        chunk = segment.rstrip()
        ws_at = len(chunk)
        spaces = [""] * len(toks)
        if segment[ws_at:ws_at + 1] == " " and toks:
            spaces[-1] = " "
            ws_at += 1
        if ws_at < len(segment):  # whitespace beyond one space is a token of its own
            toks = toks + [(ws_at + t.idx, t.text) for t in self._spacy(segment[ws_at:])]
            spaces += [""] * (len(toks) - len(spaces))
        ends = [a for a, _ in toks[1:]] + [len(segment)]
        fields: list[str | tuple[str, str] | int] = []
        for (a, t), space, end in zip(toks, spaces, ends, strict=True):
            low = t.lower()
            low = t if low == t else low  # one string, not two equal ones
            fields += (t, low, self._keys[low], space, end - a)
        return tuple(fields)

    def _learn(self, segment: str) -> _Record:
        """The record of a new segment, its chunk split by spaCy's tokenizer.  (One call per
        chunk: in one text, spaCy's special cases can reach across a space, "x' ''kg" giving
        three quotes; kg splits every chunk the same wherever it stands.)"""
        if len(self._spacy.vocab) > self.max_vocab:
            self._spacy = new_nlp().tokenizer  # the same rules, without the words seen so far
        chunk = segment.rstrip()
        rec = self._record([(t.idx, t.text) for t in self._spacy(chunk)], segment)
        if len(segment) <= self.max_remembered:  # a URL or a run of junk is not worth keeping
            self._remember(segment, rec)
        return rec

    def __call__(self, text: str) -> Tokens:
        lead = _LEAD.match(text).end()  # type: ignore[union-attr]
        segments = _SEGMENT.findall(text, lead)
        records = list(map(self._records.get, segments))
        if None in records:
            records = self._fill(segments, records)
        if lead:
            records.insert(0, self._record([], text[:lead]))
        flat = list(itertools.chain.from_iterable(records))
        offsets = list(itertools.accumulate(flat[4::_FIELDS], initial=0))  # type: ignore[call-overload]
        offsets.pop()  # the end of the text
        return Tokens(text, flat[0::_FIELDS], flat[1::_FIELDS], flat[2::_FIELDS], offsets,  # type: ignore[arg-type]
                      flat[3::_FIELDS])

    def _fill(self, segments: list[str], records: list[_Record | None]) -> list[_Record]:
        """The records of a text's segments, the missing ones taken from the older generation
        or learnt."""
        known: dict[str, _Record] = {}
        for seg, rec in zip(segments, records, strict=True):
            if rec is None and seg not in known:
                old = self._older.get(seg)
                if old is None:
                    known[seg] = self._learn(seg)
                else:
                    known[seg] = old
                    self._remember(seg, old)
        return [known[seg] if rec is None else rec for seg, rec in zip(segments, records, strict=True)]


@cache
def get_tokenizer() -> Tokenizer:
    """The process's :class:`Tokenizer` (its chunk memory is shared by all callers)."""
    return Tokenizer()


class WordClasses:
    """Where the tokens of some classes are, found in one pass over a text's tokens.

    A class is a test of a token's text.  Each distinct text is tested once and
    its classes remembered, so that a document costs one dictionary look-up per
    token, and the positions of each class come out together, instead of one
    pass over the document per class.

    >>> wc = WordClasses({"cap": str.istitle, "the": lambda t: t.lower() == "the"})
    >>> wc.positions(["The", "cat", "met", "Bob", "."])
    {'cap': [0, 3], 'the': [0]}
    """

    max_words = 200_000  # distinct texts remembered; then forgotten, to keep memory flat

    def __init__(self, classes: Mapping[str, Callable[[str], bool]]):
        self.names = tuple(classes)
        self._tests = tuple(classes.values())
        self._masks: dict[str, int] = {}
        self._members: dict[int, tuple[int, ...]] = {}  # per mask, the indices of its classes

    def _classes(self, mask: int) -> tuple[int, ...]:
        v = self._members[mask] = tuple(k for k in range(len(self.names)) if mask >> k & 1)
        return v

    def _mask(self, text: str) -> int:
        if len(self._masks) >= self.max_words:
            self._masks.clear()
        m = self._masks[text] = sum(1 << k for k, test in enumerate(self._tests) if test(text))
        return m

    def positions(self, texts: Sequence[str]) -> dict[str, list[int]]:
        """Per class name, the indices of the tokens in it, ascending."""
        masks = list(map(self._masks.get, texts))
        if None in masks:
            masks = [self._mask(t) if m is None else m for m, t in zip(masks, texts, strict=True)]
        out: list[list[int]] = [[] for _ in self.names]
        adds = [x.append for x in out]
        members = self._members
        for i in itertools.compress(range(len(masks)), masks):
            m = masks[i]
            for k in members[m] if m in members else self._classes(m):
                adds[k](i)
        return dict(zip(self.names, out, strict=True))
