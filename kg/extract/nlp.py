"""The spaCy pipeline kg runs: blank English, no statistical model.

spaCy's tokenizer (with two extra infix rules), then kg's own sentence
splitter over the token strings, which also breaks at line ends and after
abbreviations such as "U.S." when a new sentence plainly starts.  Lemmas come from spacy-lookups-data's English
lookup table, read once into a dict: kg looks lemmas up only for the
tokens it needs, which is much cheaper than lemmatising every token.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import spacy
from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["SENTENCE_STARTERS", "get_nlp", "lemma_table", "normalize", "token_keys", "word_before"]

# One character for one character, so that offsets into the normalized text
# are offsets into the original.
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "ʼ": "'", "′": "'",
                            "“": '"', "”": '"', "„": '"', "\u00a0": " ", "\u2009": " ",
                            "\u202f": " ", "‐": "-", "‑": "-"})

SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I This That These Those His Her Its Their But However "
    "In On At For After Before When While Meanwhile Earlier Later Both Such Last Next".split())
_ENDS = frozenset({".", "!", "?", "...", "…"})
_QUOTES = frozenset({'"', "'", ")"})


def normalize(text: str) -> str:
    """Typographic quotes and odd spaces to ASCII, keeping every offset."""
    return text.translate(_TRANSLATE)


@dataclass(frozen=True, slots=True)
class Sent:
    """A sentence: tokens ``[start, end)`` and characters ``[start_char, end_char)`` of its doc."""

    start: int
    end: int
    start_char: int
    end_char: int

    def __len__(self) -> int:
        return self.end - self.start


def split_sentences(texts: list[str], spaces: list[str], offsets: list[int]) -> list[Sent]:
    """Sentences from token texts: after . ! ? (also after "U.S." when a sentence plainly
    starts), and at line breaks.  Pure Python over strings: no per-token spaCy objects."""
    n = len(texts)
    if not n:
        return []
    starts = [0]
    # only a token after one of these can start a sentence: one cheap pass, then the rules
    cands = [i + 1 for i, pt in enumerate(texts[:-1])
             if pt in _ENDS or pt in _QUOTES or pt[-1:] == "." or "\n" in pt]
    for i in cands:
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


def token_keys(doc: Doc, text: str | None = None) -> tuple[list[str], list[str], list[tuple[str, str]],
                                                          list[int], list[str]]:
    """(texts, lower-cased texts, (lemma, lower) pairs, character offsets, trailing spaces)
    of a doc's tokens, in one pass.  ``text`` is the doc's text when the caller has it
    (``doc.text`` builds it again token by token)."""
    if text is None:
        text = doc.text
    arr = doc.to_array([IDX, LENGTH, SPACY]).tolist()  # no per-token Python objects
    offsets = [a[0] for a in arr]
    texts = [text[a[0]:a[0] + a[1]] for a in arr]
    spaces = [" " if a[2] else "" for a in arr]
    lowers = list(map(str.lower, texts))
    keys = list(map(_key_table().__getitem__, lowers))
    return texts, lowers, keys, offsets, spaces


class _KeyTable(dict[str, tuple[str, str]]):
    """lower-cased word -> (lemma, word), made once per distinct word (bounded)."""

    def __init__(self, lemmas: dict[str, str]):
        super().__init__()
        self.lemmas = lemmas

    def __missing__(self, low: str) -> tuple[str, str]:
        if len(self) > 500_000:
            self.clear()  # a year of news has many rare words: keep memory flat
        v = self[low] = (self.lemmas.get(low, low), low)
        return v


@cache
def _key_table() -> _KeyTable:
    return _KeyTable(lemma_table())


@cache
def get_nlp() -> Language:
    """spaCy's blank English with kg's tokenizer rules and sentence splitter."""
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, r"(?<=\.)-(?=[A-Z])", r"(?<=[a-z])'(?=s\b)"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    return nlp
