"""The spaCy pipeline kg runs: blank English, no statistical model.

Tokenizer (with two extra infix rules), a sentence splitter that also breaks
after abbreviations such as "U.S." when a new sentence plainly starts, and
lookup lemmas from spacy-lookups-data.  Built once per process.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["SENTENCE_STARTERS", "get_nlp", "normalize"]

# One character for one character, so that offsets into the normalized text
# are offsets into the original.
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "ʼ": "'", "′": "'",
                            "“": '"', "”": '"', "„": '"', "\u00a0": " ", "\u2009": " ",
                            "\u202f": " ", "‐": "-", "‑": "-"})

SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I This That These Those His Her Its Their But However "
    "In On At For After Before When While Meanwhile Earlier Later Both Such Last Next".split())


def normalize(text: str) -> str:
    """Typographic quotes and odd spaces to ASCII, keeping every offset."""
    return text.translate(_TRANSLATE)


@Language.component("kg_sentences")
def _sentences(doc: Doc) -> Doc:
    """Sentence starts: after . ! ? (also inside "U.S."-like tokens) and at line breaks."""
    n = len(doc)
    if n:
        doc[0].is_sent_start = True
    for i in range(1, n):
        prev, tok = doc[i - 1], doc[i]
        pt = prev.text
        start = False
        if "\n" in pt or (prev.is_space and "\n" in prev.whitespace_ + pt):
            start = True
        elif pt in (".", "!", "?", "...", "…"):
            opening = tok.text in ("\"", "'", "(") and not tok.whitespace_ and i + 1 < n \
                and doc[i + 1].text[:1].isalnum()
            start = tok.text[:1].isupper() or tok.is_digit or opening
        elif pt in ('"', "'", ")") and not prev.is_sent_start and doc[i - 2].text in (".", "!", "?"):
            start = tok.text[:1].isupper()
        elif len(pt) > 2 and pt.endswith(".") and "." in pt[:-1] and tok.text in SENTENCE_STARTERS:
            start = True  # "... by the U.S. He said ..."
        tok.is_sent_start = start
    return doc


@cache
def get_nlp() -> Language:
    """spaCy's blank English with kg's sentence splitter and lookup lemmatizer."""
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, r"(?<=\.)-(?=[A-Z])", r"(?<=[a-z])'(?=s\b)"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp

