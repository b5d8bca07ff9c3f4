"""kg's tokenizer splits text exactly as spaCy's blank English tokenizer (with kg's rules) does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.nlp import Tokenizer, WordClasses, get_nlp, get_tokenizer, normalize

CORPUS = Path(__file__).parent / "corpus" / "regression.jsonl"


def spacy_tokens(text: str) -> tuple[list[str], list[int], list[str]]:
    doc = get_nlp()(text)
    return [t.text for t in doc], [t.idx for t in doc], [t.whitespace_ for t in doc]


def spacy_chunk_tokens(text: str) -> tuple[list[str], list[int], list[str]]:
    """spaCy's tokens of each whitespace-separated chunk on its own, put back in place: kg's spec."""
    texts, offsets, spaces = [], [], []
    for m in re.finditer(r"\S+|\s+", text):
        if m.group().isspace():
            ws, at = m.group(), m.start()
            if texts and ws[0] == " ":
                spaces[-1] = " "
                ws, at = ws[1:], at + 1
            if ws:
                texts.append(ws)
                offsets.append(at)
                spaces.append("")
            continue
        for t in get_nlp()(m.group()):
            texts.append(t.text)
            offsets.append(m.start() + t.idx)
            spaces.append("")
    return texts, offsets, spaces


def kg_tokens(text: str, tok: Tokenizer | None = None) -> tuple[list[str], list[int], list[str]]:
    t = (tok or get_tokenizer())(text)
    return t.texts, t.offsets, t.spaces


@pytest.mark.parametrize("text", [
    "The U.S.-led talks in Washington didn't end.  He said so.",
    "MOSCOW (AP) — Russia's foreign ministry said on Tuesday, 2024-05-07, that it can't agree.",
    "  leading spaces and trailing ones  ",
    "line\nbreaks \n\n and\ttabs\u2028and odd\x85space",
    "Mr. Kim Jong Un's visit; the U.K., U.A.E. and St. Petersburg... e-mail a@b.org, http://x.org/a?b=1",
    "$5bn, 3.5%, 1,000 troops, 10:30 a.m., the '90s, mid-2023, 5km, #tag @user",
    "",
    " ",
    "\n",
])
def test_same_tokens_as_spacy(text: str) -> None:
    assert kg_tokens(text) == spacy_tokens(text)


def test_same_tokens_as_spacy_on_the_regression_corpus() -> None:
    texts = [normalize(json.loads(line)["text"]) for line in CORPUS.open(encoding="utf-8")]
    assert len(texts) > 50
    for text in texts:
        assert kg_tokens(text) == spacy_tokens(text)


_CHARS = st.sampled_from([*"aZ .,;:'\"-—()$%/\n\t", "U.S.", "n't", "'s", "Mr.", "1,000", "e.g.", " \n "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_CHARS, st.text(max_size=4)), max_size=30).map("".join))
def test_same_tokens_as_spacy_on_any_text(text: str) -> None:
    # a fresh tokenizer, then the shared one: what it remembers must not change the answer
    assert kg_tokens(text, Tokenizer()) == spacy_chunk_tokens(text)
    assert kg_tokens(text) == spacy_chunk_tokens(text)


def test_a_chunk_splits_the_same_wherever_it_stands() -> None:
    # spaCy lets a special case reach across the space here ("'", "'", "'"); kg splits "''kg" as alone
    assert kg_tokens("x' ''kg")[0] == ["x", "'", "''", "kg"] == spacy_chunk_tokens("x' ''kg")[0]
    assert spacy_tokens("''kg")[0] == ["''", "kg"]


def test_tokens_give_lemmas_and_spans() -> None:
    t = get_tokenizer()("Russia recognized Kosovo.")
    assert t.keys[1] == ("recognize", "recognized")
    assert t.lowers == ["russia", "recognized", "kosovo", "."]
    assert t.text[slice(*t.char_span(1, 3))] == "recognized Kosovo"
    assert len(t) == 4


def test_the_chunk_memory_stays_bounded() -> None:
    tok = Tokenizer()
    tok.max_segments = 50
    text = " ".join(f"w{i}." for i in range(120))
    for _ in range(2):  # new words, then the same words again (some forgotten, some in the older generation)
        assert kg_tokens(text, tok) == spacy_tokens(text)
        assert len(tok._records) <= 50 and len(tok._older) <= 50
    other = "Kim met Xi, and Putin   met Lee.\nThen they left."
    assert kg_tokens(other, tok) == spacy_tokens(other)


def test_normalize_makes_typography_ascii_and_keeps_offsets() -> None:
    text = "“Kyiv’s envoy” – 5\u00a0km, the ‘deal‐breaker’\u202fended"
    out = normalize(text)
    assert out == "\"Kyiv's envoy\" – 5 km, the 'deal-breaker' ended"
    assert len(out) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"ab '\"-", "’", "‘", "“", "”", "„", "\u00a0", "\u2009", "‐", "é"])))
def test_normalize_is_one_character_for_one(text: str) -> None:
    out = normalize(text)
    assert len(out) == len(text)
    assert not set(out) & set("’‘“”„\u00a0\u2009‐")
    assert normalize(out) == out


def test_word_classes_give_each_class_its_positions() -> None:
    wc = WordClasses({"cap": lambda t: t[0].isupper(), "dot": lambda t: t.endswith(".")})
    words = ["Kim", "met", "Mr.", "Lee", "in", "Seoul", "."]
    assert wc.positions(words) == {"cap": [0, 2, 3, 5], "dot": [2, 6]}
    assert wc.positions(words) == {"cap": [0, 2, 3, 5], "dot": [2, 6]}  # remembered, the same
    assert wc.positions([]) == {"cap": [], "dot": []}


def test_spacy_vocabulary_is_renewed_when_it_grows() -> None:
    tok = Tokenizer()
    tok.max_vocab = len(tok._spacy.vocab) + 20
    text = " ".join(f"zq{i}x." for i in range(60))
    assert kg_tokens(text, tok) == spacy_chunk_tokens(text)
    assert len(tok._spacy.vocab) < tok.max_vocab + 50


def test_long_segments_are_split_but_not_remembered() -> None:
    tok = Tokenizer()
    junk = "x" * 5000 + ".  " + "https://example.org/" + "a" * 300 + " end."
    assert kg_tokens(junk, tok) == spacy_chunk_tokens(junk)
    assert all(len(seg) <= tok.max_remembered for seg in tok._records)
