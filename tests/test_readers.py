"""Readers: each supported format, and each kind of bad input a user can hand kg.

The articles are written for these tests: short news-like sentences about real
states.  A bad input is one ReadError naming the file (and the line, for JSON
Lines and front matter), and the other articles of the batch are still read.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import random
import re
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ReadError
from kg.readers import read_file, read_paths
from kg.readers.base import MAX_BYTES, MAX_CHARS, parse_published

KENYA = "Kenya and Tanzania signed an agreement on Monday to settle a dispute over their shared border."
CHILE = "Chile recalled its ambassador from Peru after a row over fishing rights in the Pacific."
NORWAY = "Norway and Poland agreed in Oslo to expand their cooperation on energy security."
GHANA = "The president of Côte d'Ivoire met the president of Ghana in Accra to discuss cocoa prices."

MD = f"""---
id: md-cocoa-1
title: Côte d'Ivoire and Ghana talk cocoa
published: 2021-09-17
url: https://news.example/africa/cocoa-talks
---
{GHANA}
"""

PARAGRAPHS = [
    "Vietnam and the Philippines agreed on Thursday to hold regular talks on fishing in the South China Sea.",
    "The foreign ministers of both countries met in Hanoi, where they said a hotline between their coast "
    "guards would be set up before the end of the year.",
    "Officials in Manila said the first meeting of a joint committee would take place in March.",
]

HTML = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Vietnam and Philippines to hold fishing talks | The Harbour Ledger</title>
<meta property="article:published_time" content="2022-03-14T08:30:00+00:00">
<meta property="og:url" content="https://ledger.example/asia/fishing-talks">
<script>var headline = "Brazil severed diplomatic relations with Argentina"; window.dataLayer = [];</script>
<style>.menu {{ color: navy }}</style>
</head><body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/asia">Asia</a></li>
<li><a href="/markets">Markets</a></li></ul></nav>
<header><div class="banner">Subscribe today for unlimited access</div></header>
<main><article>
<h1>Vietnam and Philippines to hold fishing talks</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article></main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/x">Mexico expels Ecuador's envoy</a></li></ul></aside>
<footer><p>Copyright 2024 The Harbour Ledger. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
<script>document.write("Sweden declared war on Denmark");</script>
</body></html>
"""

NO_BODY_HTML = """<html><head><title>Front page | Portal</title>
<script>var story = "Germany and Austria signed a treaty"; function go() { return story; }</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/world">World</a> <a href="/sport">Sport</a>
<a href="/weather">Weather</a> <a href="/culture">Culture</a> <a href="/video">Video</a>
<a href="/about">About us</a></nav>
<div class="cookie">We use cookies.</div>
<script src="/app.js"></script><script>for (var i = 0; i < 10; i++) { console.log(i); }</script>
<footer>Copyright 2024 Portal. All rights reserved.</footer></body></html>
"""

JSONL_ROWS = [
    {"id": "j1", "published": "2020-01-06", "title": "Kenya, Tanzania settle border", "text": KENYA,
     "url": "https://news.example/j1", "events": [{"ignored": True}]},
    {"id": "j2", "published": "2019-11-30T10:00:00Z", "text": CHILE},
    {"text": NORWAY},
]
JSONL = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in JSONL_ROWS)

BINARY = random.Random(7).randbytes(4096) + b"\x00\x00\xff\xfe\x00"  # random bytes, with NULs


def read_all(paths):
    """(articles, errors) of a batch read with an error handler."""
    errors: list[ReadError] = []
    arts = list(read_paths(paths, on_error=errors.append))
    return arts, errors


def fields(article, keys):
    return {k: getattr(article, k) for k in keys}


# -- the formats --------------------------------------------------------------------------------

GOOD = [
    pytest.param("kenya.txt", KENYA + "\n", [
        {"id": "kenya", "text": KENYA, "title": "", "published": None, "url": None, "line": None},
    ], id="txt"),
    pytest.param("cocoa.md", MD, [
        {"id": "md-cocoa-1", "text": GHANA, "title": "Côte d'Ivoire and Ghana talk cocoa",
         "published": dt.date(2021, 9, 17), "url": "https://news.example/africa/cocoa-talks", "line": None},
    ], id="md-front-matter"),
    pytest.param("fishing.html", HTML, [
        {"id": "fishing", "text": "\n".join(PARAGRAPHS), "title": "Vietnam and Philippines to hold fishing talks",
         "published": dt.date(2022, 3, 14), "url": "https://ledger.example/asia/fishing-talks", "line": None},
    ], id="html"),
    pytest.param("corpus.jsonl", JSONL, [
        {"id": "j1", "text": KENYA, "title": "Kenya, Tanzania settle border", "published": dt.date(2020, 1, 6),
         "url": "https://news.example/j1", "line": 1},
        {"id": "j2", "text": CHILE, "title": "", "published": dt.date(2019, 11, 30), "url": None, "line": 2},
        {"id": "corpus-3", "text": NORWAY, "title": "", "published": None, "url": None, "line": 3},
    ], id="jsonl"),
]


@pytest.mark.parametrize(("name", "content", "expected"), GOOD)
def test_reads_each_format(write_file, name, content, expected) -> None:
    p = write_file(name, content)
    arts, errors = read_all([p])
    assert errors == []
    assert [fields(a, expected[0]) for a in arts] == expected
    assert {a.source for a in arts} == {str(p)}


def test_html_keeps_the_article_and_drops_scripts_navigation_and_boilerplate(write_file) -> None:
    (art,) = read_file(write_file("page.html", HTML))
    for junk in ("Brazil", "Sweden", "headline", "dataLayer", "Home", "Markets", "Subscribe", "Most read",
                 "Mexico", "Copyright", "Privacy", "navy"):
        assert junk not in art.text
    assert art.published == dt.date(2022, 3, 14)  # from the meta tag, not the footer's copyright year


def test_html_date_is_never_guessed_from_the_footer(write_file) -> None:
    page = HTML.replace('<meta property="article:published_time" content="2022-03-14T08:30:00+00:00">', "")
    (art,) = read_file(write_file("undated.html", page))
    assert art.text == "\n".join(PARAGRAPHS)
    assert art.published is None


def test_html_without_article_markup_is_still_read(write_file) -> None:
    (art,) = read_file(write_file("bare.html", "<html><body>" + "<br>".join(PARAGRAPHS) + "</body></html>"))
    assert all(p in art.text for p in PARAGRAPHS)


def test_html_entities_are_neither_fetched_nor_expanded(write_file) -> None:
    secret = write_file("secret.txt", "TOP-SECRET-MARKER")
    lols = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">\n' for i in range(10))
    page = (f'<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY secret SYSTEM "file://{secret}">\n{lols}]>\n'
            + HTML.split("\n", 1)[1].replace(PARAGRAPHS[0], PARAGRAPHS[0] + " &secret; &l9;"))
    (art,) = read_file(write_file("entities.html", page))
    assert PARAGRAPHS[1] in art.text
    assert "TOP-SECRET" not in art.text and "lollol" not in art.text


@pytest.mark.parametrize(("line", "published"), [
    ("published: 2023-10-12", dt.date(2023, 10, 12)),
    ("published: '2023-10-12'", dt.date(2023, 10, 12)),
    ("published: 2023-10-12 08:30:00", dt.date(2023, 10, 12)),
    ("published: 2023-10-12T08:30:00+09:00", dt.date(2023, 10, 12)),
    ("date: 2023-10-12", dt.date(2023, 10, 12)),
    ("published:", None),
    ("title: no date here", None),
])
def test_front_matter_dates(write_file, line, published) -> None:
    (art,) = read_file(write_file("dated.md", f"---\n{line}\n---\n{KENYA}\n"))
    assert art.published == published
    assert art.text == KENYA


def test_a_folder_is_walked_in_order_and_hidden_or_foreign_files_are_left_out(write_file, tmp_path) -> None:
    write_file("news/b/chile.txt", CHILE)
    write_file("news/a.md", MD)
    write_file("news/corpus.jsonl", JSONL)
    write_file("news/.cache/old.txt", KENYA)
    write_file("news/notes.docx", b"PK\x03\x04 not an article")
    arts, errors = read_all([tmp_path / "news"])
    assert errors == []
    assert [a.id for a in arts] == ["md-cocoa-1", "chile", "j1", "j2", "corpus-3"]


def test_a_single_path_is_one_path_not_its_characters(write_file) -> None:
    p = write_file("kenya.txt", KENYA)
    assert [a.text for a in read_paths(str(p))] == [KENYA]


# -- encodings that must be read correctly ------------------------------------------------------

ENCODED = [
    pytest.param("latin1.txt", GHANA.encode("latin-1"), GHANA, id="latin-1"),
    pytest.param("cp1252.txt", "“Côte d’Ivoire” – Ghana".encode("cp1252"), "“Côte d’Ivoire” – Ghana", id="cp1252"),
    pytest.param("utf16le.txt", codecs.BOM_UTF16_LE + GHANA.encode("utf-16-le"), GHANA, id="utf-16-le-bom"),
    pytest.param("utf16be.txt", codecs.BOM_UTF16_BE + GHANA.encode("utf-16-be"), GHANA, id="utf-16-be-bom"),
    pytest.param("utf16nobom.txt", GHANA.encode("utf-16-le"), GHANA, id="utf-16-le-no-bom"),
    pytest.param("utf32.txt", GHANA.encode("utf-32"), GHANA, id="utf-32-bom"),
    pytest.param("utf8bom.txt", codecs.BOM_UTF8 + GHANA.encode(), GHANA, id="utf-8-bom"),
    pytest.param("utf8bom.md", codecs.BOM_UTF8 + MD.encode(), GHANA, id="utf-8-bom-front-matter"),
    pytest.param("utf16.md", MD.encode("utf-16"), GHANA, id="utf-16-front-matter"),
    pytest.param("crlf.md", MD.replace("\n", "\r\n").encode(), GHANA, id="crlf-front-matter"),
    pytest.param("latin1.md", MD.encode("latin-1"), GHANA, id="latin-1-front-matter"),
    pytest.param("latin1.html", HTML.replace("utf-8", "iso-8859-1").replace("Vietnam and the", "Côte d'Ivoire and the")
                 .encode("latin-1"), None, id="latin-1-html"),
    pytest.param("utf16.jsonl", json.dumps({"id": "g", "text": GHANA}, ensure_ascii=False).encode("utf-16"),
                 GHANA, id="utf-16-jsonl"),
    pytest.param("utf8bom.jsonl", codecs.BOM_UTF8 + json.dumps({"id": "g", "text": GHANA}).encode(),
                 GHANA, id="utf-8-bom-jsonl"),
    pytest.param("latin1.jsonl", json.dumps({"id": "g", "text": GHANA}, ensure_ascii=False).encode("latin-1"),
                 GHANA, id="latin-1-jsonl"),
]


@pytest.mark.parametrize(("name", "data", "text"), ENCODED)
def test_encodings_are_read_correctly(write_file, name, data, text) -> None:
    arts, errors = read_all([write_file(name, data)])
    assert errors == []
    (art,) = arts
    if text is None:  # HTML: the accented paragraph
        assert "Côte d'Ivoire and the Philippines" in art.text
    else:
        assert art.text == text
    assert "\ufeff" not in art.text and "\ufffd" not in art.text
    if name.endswith(".md"):
        assert (art.id, art.published) == ("md-cocoa-1", dt.date(2021, 9, 17))


# -- bad files: one error naming the file, the batch goes on ------------------------------------

LAUGHS = "---\n" + "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(9)
) + "title: *l8\n---\n" + KENYA

BAD_FILES = [
    pytest.param("empty.txt", b"", None, "file is empty", id="empty-txt"),
    pytest.param("empty.md", b"", None, "file is empty", id="empty-md"),
    pytest.param("empty.html", b"", None, "file is empty", id="empty-html"),
    pytest.param("blank.txt", b"\n  \n\t\n", None, "has no text", id="blank-txt"),
    pytest.param("headline-only.md", b"---\ntitle: Kenya and Tanzania\n---\n\n", None, "has no text",
                 id="front-matter-without-text"),
    pytest.param("noise.txt", BINARY, None, "binary file", id="binary-txt"),
    pytest.param("noise.md", BINARY, None, "binary file", id="binary-md"),
    pytest.param("noise.html", BINARY, None, "binary file", id="binary-html"),
    pytest.param("noise.jsonl", BINARY, None, "binary file", id="binary-jsonl"),
    pytest.param("controls.txt", bytes(range(1, 32)) * 50, None, "binary file", id="control-characters"),
    pytest.param("odd.txt", codecs.BOM_UTF16_LE + KENYA.encode("utf-16-le") + b"\x00", None, "UTF-16",
                 id="broken-utf-16"),
    pytest.param("date.md", f"---\ntitle: x\npublished: 2023-02-30\n---\n{KENYA}", 3, "'2023-02-30' does not exist",
                 id="impossible-date"),
    pytest.param("slashes.md", f"---\npublished: 30/01/2023\n---\n{KENYA}", 2, "not an ISO date",
                 id="date-not-iso"),
    pytest.param("open.md", f"---\ntitle: x\npublished: 2023-02-01\n{KENYA}\n", 1, "never closed",
                 id="front-matter-not-closed"),
    pytest.param("yaml.md", f"---\ntitle: x\nurl: [unclosed\n---\n{KENYA}", 3, "not valid YAML",
                 id="front-matter-bad-yaml"),
    pytest.param("list.md", f"---\n- a\n- b\n---\n{KENYA}", 2, "key: value", id="front-matter-not-a-mapping"),
    pytest.param("laughs.md", LAUGHS, 11, "'title' must be a single value", id="front-matter-yaml-bomb"),
    pytest.param("nobody.html", NO_BODY_HTML, None, "no article text found", id="html-without-article"),
    pytest.param("notes.docx", b"PK\x03\x04", None, "unknown file type '.docx'", id="unknown-extension"),
]


@pytest.mark.parametrize(("name", "content", "line", "fragment"), BAD_FILES)
def test_bad_file_is_one_error_naming_it_and_the_batch_goes_on(write_file, name, content, line, fragment) -> None:
    first, bad, last = write_file("a.txt", KENYA), write_file(name, content), write_file("z.txt", NORWAY)
    arts, errors = read_all([first, bad, last])
    assert [a.text for a in arts] == [KENYA, NORWAY]
    (err,) = errors
    assert (err.path, err.line) == (str(bad), line)
    assert str(err).startswith(f"{bad}:{line}: " if line else f"{bad}: ")
    assert fragment in err.reason
    assert "\n" not in str(err)
    with pytest.raises(ReadError) as raised:  # without a handler, the same error is raised
        list(read_paths([bad]))
    assert str(raised.value) == str(err)


def test_missing_file_is_one_error_and_the_batch_goes_on(write_file, tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    arts, errors = read_all([write_file("a.txt", KENYA), missing, write_file("z.txt", NORWAY)])
    assert [a.text for a in arts] == [KENYA, NORWAY]
    (err,) = errors
    assert str(err).startswith(f"{missing}: no such file")
    with pytest.raises(ReadError, match="no such file"):
        list(read_paths([missing]))
    with pytest.raises(ReadError, match="no such file"):  # a file named directly, gone before it is read
        list(read_file(missing))


def test_a_folder_of_good_and_bad_files_reads_every_good_one(write_file, tmp_path) -> None:
    for i, p in enumerate(BAD_FILES):
        write_file(f"mixed/{i:02}-{p.values[0]}", p.values[1])
    write_file("mixed/kenya.txt", KENYA)
    write_file("mixed/zz/chile.md", f"---\npublished: 2024-05-02\n---\n{CHILE}")
    arts, errors = read_all([tmp_path / "mixed"])
    assert [a.text for a in arts] == [KENYA, CHILE]
    assert len(errors) == len(BAD_FILES) - 1  # the .docx is not an article file: a folder walk leaves it out


# -- size limits --------------------------------------------------------------------------------

def _write_big(path: Path, size: int, line: bytes) -> None:
    block = line * (2**20 // len(line))
    with path.open("wb") as f:
        while f.tell() < size:
            f.write(block)
        f.truncate(size)


def test_a_50_mb_article_is_refused_without_being_read(write_file, tmp_path) -> None:
    big = tmp_path / "huge.txt"
    _write_big(big, 50 * 2**20, (KENYA + "\n").encode())
    first, last = write_file("a.txt", KENYA), write_file("z.txt", NORWAY)
    tracemalloc.start()
    try:
        arts, errors = read_all([first, big, last])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.text for a in arts] == [KENYA, NORWAY]
    (err,) = errors
    assert str(err) == (f"{big}: file is 50.0 MiB, over the {MAX_BYTES // 2**20} MiB limit for one article; "
                        "split it into articles (a .jsonl corpus takes one per line)")
    assert peak < 2**20


def test_a_50_mb_jsonl_line_is_refused_and_the_next_lines_are_read(tmp_path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("wb") as f:
        f.write(json.dumps({"id": "before", "text": CHILE}).encode() + b"\n")
        f.write(b'{"id": "huge", "text": "')
        chunk = (KENYA + " ").encode() * 10_000
        while f.tell() < 50 * 2**20:
            f.write(chunk)
        f.write(b'"}\n')
        f.write(json.dumps({"id": "after", "text": NORWAY}).encode() + b"\n")
    tracemalloc.start()
    try:
        arts, errors = read_all([corpus])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(a.id, a.line) for a in arts] == [("before", 1), ("after", 3)]
    (err,) = errors
    assert re.match(rf"{re.escape(str(corpus))}:2: line is 50\.\d MiB, over the {MAX_BYTES // 2**20} MiB limit for "
                    "one article; fix or remove the line$", str(err))
    assert peak < MAX_BYTES + 4 * 2**20  # at most one line of the limit, never the file


def test_text_too_long_for_the_extractor_is_refused(write_file) -> None:
    long_text = (KENYA + " ") * (MAX_CHARS // len(KENYA) + 1)
    assert len(long_text.encode()) < MAX_BYTES
    for name, content in [("long.txt", long_text), ("long.jsonl", json.dumps({"text": long_text}) + "\n")]:
        arts, errors = read_all([write_file(name, content)])
        assert arts == []
        (err,) = errors
        assert f"over the {MAX_CHARS:,} limit" in err.reason


# -- JSON Lines: a bad line is one error naming file:line, the other lines are read -------------

BAD_LINES = [
    pytest.param('{"id": "x", "text": "unterminated', "not JSON (Unterminated string", id="broken-json"),
    pytest.param("Kenya and Tanzania signed", "not JSON (Expecting value, column 1)", id="plain-text"),
    pytest.param("[1, 2, 3]", "line is JSON but an array, not an article", id="array"),
    pytest.param('"a string"', "line is JSON but a string, not an article", id="string"),
    pytest.param("null", "line is JSON but null, not an article", id="null"),
    pytest.param('{"id": "x", "body": "no text key"}', "article has no 'text'", id="no-text"),
    pytest.param('{"id": "x", "text": ["a", "b"]}', "'text' must be a string, not an array", id="text-not-string"),
    pytest.param('{"id": "x", "text": "   "}', "article has no text", id="empty-text"),
    pytest.param(json.dumps({"id": {"k": 1}, "text": KENYA}), "'id' must be a string, not an object", id="bad-id"),
    pytest.param(json.dumps({"text": KENYA, "url": 7}), "'url' must be a string, not a number", id="bad-url"),
    pytest.param(json.dumps({"text": KENYA, "published": "2023-02-30"}), "'2023-02-30' does not exist",
                 id="impossible-date"),
    pytest.param(json.dumps({"text": KENYA, "published": 20230212}), "not an ISO date", id="numeric-date"),
    pytest.param("[" * 100_000 + "]" * 100_000, "nested too deeply", id="deep-nesting"),
    pytest.param('{"id": ' + "7" * 5000 + ', "text": "x"}', "not readable JSON", id="huge-number"),
    pytest.param('{"text": "Kenya\x00Tanzania"}', "not JSON (Invalid control character", id="nul-byte"),
]


@pytest.mark.parametrize(("bad_line", "fragment"), BAD_LINES)
def test_bad_jsonl_line_is_one_error_naming_the_line(write_file, bad_line, fragment) -> None:
    rows = [json.dumps({"id": "first", "text": KENYA}), bad_line, "", json.dumps({"id": "last", "text": NORWAY})]
    p = write_file("corpus.jsonl", "\n".join(rows) + "\n")
    arts, errors = read_all([p])
    assert [(a.id, a.line) for a in arts] == [("first", 1), ("last", 4)]
    (err,) = errors
    assert (err.path, err.line) == (str(p), 2)
    assert str(err).startswith(f"{p}:2: ")
    assert fragment in err.reason
    assert "\n" not in str(err) and len(str(err)) < 300
    with pytest.raises(ReadError) as raised:  # without a handler: raised at the bad line
        list(read_paths([p]))
    assert str(raised.value) == str(err)


def test_jsonl_is_streamed_line_by_line(write_file) -> None:
    rows = [json.dumps({"id": "a0", "text": KENYA}), json.dumps({"id": "a1", "text": CHILE}), "{broken"]
    p = write_file("corpus.jsonl", "\n".join(rows))
    it = read_file(p)
    assert next(it).id == "a0"  # the articles come before the bad last line is even seen
    assert next(it).id == "a1"
    with pytest.raises(ReadError, match=f"^{p}:3: not JSON"):
        next(it)


# -- text the extractor cannot use is still read --------------------------------------------------

OTHER = [
    pytest.param("de.txt", "Deutschland und Frankreich haben am Dienstag in Berlin einen Vertrag über die "
                 "Zusammenarbeit bei der Verteidigung unterzeichnet.", id="german"),
    pytest.param("es.md", "---\npublished: 2022-07-01\n---\nEl presidente de México se reunió con el primer "
                 "ministro de Canadá en Ottawa para hablar de comercio.", id="spanish"),
    pytest.param("ja.txt", "日本と韓国の外相は東京で会談し、経済協力の拡大で合意した。", id="japanese"),
    pytest.param("ru.jsonl", json.dumps({"id": "ru", "text": "Министры иностранных дел Казахстана и Узбекистана "
                                         "встретились в Ташкенте."}, ensure_ascii=False), id="russian-jsonl"),
    pytest.param("parks.txt", "The city council approved a new budget for public parks and libraries on Monday, "
                 "and the mayor promised longer opening hours.", id="no-state-named"),
    pytest.param("weather.md", "---\ntitle: Storm warning\n---\nHeavy rain is expected along the coast "
                 "tonight, and ferries will not sail until the wind drops.", id="no-state-named-md"),
]


@pytest.mark.parametrize(("name", "content"), OTHER)
def test_article_without_readable_events_is_read_and_yields_nothing(write_file, extractor, name, content) -> None:
    arts, errors = read_all([write_file(name, content)])
    assert errors == []
    (art,) = arts
    assert len(art.text) > 20
    assert extractor.extract(art) == []


# -- properties -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hypothesis")


def _json_line(value: object) -> str:
    return json.dumps(value)


CONTENT = st.one_of(
    st.text(),
    st.text().map(lambda s: "---\n" + s),
    st.builds(lambda a, b: f"---\n{a}\n---\n{b}", st.text(), st.text()),
    st.lists(st.one_of(st.text(), st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
            st.sampled_from(["id", "text", "title", "published", "url", "x"]) | st.text(max_size=5), inner,
            max_size=5),
        max_leaves=8).map(_json_line)), max_size=5).map("\n".join),
)


@settings(max_examples=300, deadline=None)
@given(content=CONTENT, ext=st.sampled_from([".txt", ".md", ".jsonl"]),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_any_text_raises_nothing_but_read_error(scratch, content, ext, encoding) -> None:
    p = scratch / f"article{ext}"
    p.write_bytes(content.encode(encoding))
    try:
        arts = list(read_paths([p]))
    except ReadError as e:
        assert str(e).startswith(str(p)) and "\n" not in str(e)
    else:
        assert all(a.text.strip() for a in arts)
    errors: list[ReadError] = []
    list(read_paths([p], on_error=errors.append))  # with a handler nothing escapes at all


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600), ext=st.sampled_from([".txt", ".md", ".jsonl", ".html"]))
def test_any_bytes_raise_nothing_but_read_error(scratch, data, ext) -> None:
    p = scratch / f"bytes{ext}"
    p.write_bytes(data)
    errors: list[ReadError] = []
    list(read_paths([p], on_error=errors.append))
    assert all(isinstance(e, ReadError) and e.path == str(p) for e in errors)


@given(value=st.one_of(st.text(), st.from_regex(r"\A\s*\d{4}-\d{2}-\d{2}", fullmatch=False)))
def test_parse_published_returns_a_date_or_raises_read_error(value) -> None:
    try:
        d = parse_published(value, Path("a.md"), 3)
    except ReadError as e:
        assert str(e).startswith("a.md:3: published date ") and "\n" not in str(e)
        assert len(str(e)) < 200
    else:
        assert d is None or isinstance(d, dt.date)


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-10-12", dt.date(2023, 10, 12)),
    ("2023-10-12T23:59:59-05:00", dt.date(2023, 10, 12)),
    (" 2023-10-12 ", dt.date(2023, 10, 12)),
    (dt.datetime(2023, 10, 12, 8, 0), dt.date(2023, 10, 12)),
    (dt.date(2023, 10, 12), dt.date(2023, 10, 12)),
    (None, None), ("", None), ("   ", None),
])
def test_parse_published_accepts(value, expected) -> None:
    assert parse_published(value, Path("a.md")) == expected


@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-01", "0000-01-01", "12/10/2023", "yesterday", "2023",
                                   20231012, ["2023-10-12"], {"y": 2023}, "x" * 10_000])
def test_parse_published_refuses(value) -> None:
    with pytest.raises(ReadError) as raised:
        parse_published(value, Path("a.md"), 4)
    assert str(raised.value).startswith("a.md:4: published date ")
    assert len(str(raised.value)) < 200
