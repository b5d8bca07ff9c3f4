"""Smoke tests of benchmarks/: the corpus generator writes valid articles, the runner runs.

No timing is asserted: figures depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, run  # noqa: E402
from kg.gazetteer import gazetteer  # noqa: E402
from kg.relations import RELATIONS  # noqa: E402

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    buf = io.StringIO()
    corpus.write_jsonl(buf, 60, seed=3)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_corpus_lines_are_articles_with_valid_gold(articles: list[dict]) -> None:
    gaz = gazetteer()
    assert len(articles) == 60
    assert len({a["id"] for a in articles}) == 60
    n_events = 0
    for a in articles:
        assert {"id", "published", "title", "text", "events"} <= a.keys()
        pub = dt.date.fromisoformat(a["published"])
        assert a["title"] and len(a["text"]) > 40
        seen = set()
        for e in a["events"]:
            n_events += 1
            assert e["relation"] in RELATIONS
            assert gaz.is_state(e["subject"]) and gaz.is_state(e["object"])
            assert e["subject"] != e["object"]
            if RELATIONS[e["relation"]].symmetric:
                assert e["subject"] < e["object"]
            key = (e["subject"], e["relation"], e["object"])
            assert key not in seen, "one event once per article"
            seen.add(key)
            if e["date"] is not None:
                assert DATE.match(e["date"])
                assert e["date"] <= pub.isoformat()[: len(e["date"])], "no event after publication"
            assert e["evidence"] in a["text"]
    assert n_events >= 60


def test_corpus_is_deterministic_and_streams() -> None:
    first = list(corpus.generate(5, seed=11))
    assert first == list(corpus.generate(5, seed=11))
    assert first != list(corpus.generate(5, seed=12))
    # article i depends only on (seed, i): a window gives the same articles
    assert list(corpus.generate(2, seed=11, start=3)) == first[3:5]
    assert corpus.parse_size("10k") == 10_000 and corpus.parse_size("300") == 300


def test_corpus_has_negatives_and_fillers(articles: list[dict]) -> None:
    text = "\n".join(a["text"] for a in articles)
    assert any(w in text for w in (" not ", " never ", " will ", " could ", "expected", "refused", "denied"))
    assert "(Reuters)" in text or "(AP)" in text or "(AFP)" in text


def test_run_prints_figures_without_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    rc = run.main(["--quick", "--no-write", "--out", str(out), "--articles", "12", "--graph-sizes", "150",
                   "--query-repeats", "3"])
    assert rc == 0
    printed = capsys.readouterr().out
    for what in ("extract: sentences/s", "extract_stream jobs=2", "Turtle write", "load_graph",
                 "merge_events: time", "merge_events: peak memory", "query relations"):
        assert what in printed
    assert re.search(r"\d+\.\d+x", printed)
    assert not out.exists()


def test_run_writes_json_with_floors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    assert run.main(["--out", str(out), "--articles", "8", "--graph-sizes", "100", "--query-repeats", "2"]) == 0
    capsys.readouterr()
    res = json.loads(out.read_text())
    assert res["rows"] and all(r["kg"] > 0 and r["floor"] > 0 for r in res["rows"])
    assert res["graphs"][0]["triples"] > 0 and res["merge"][0]["events"] > 0


def test_news_throughput_benchmark_reports_kg_beside_its_floor(tmp_path: Path) -> None:
    from benchmarks import bench_extract

    out = tmp_path / "extract.json"
    corpus_file = ROOT / "tests" / "corpus" / "regression.jsonl"
    assert bench_extract.main([str(corpus_file), "--repeat", "1", "--rounds", "1", "--json", str(out)]) == 0
    fig = json.loads(out.read_text())
    n_articles = sum(1 for _ in corpus_file.open()) + len(list((ROOT / "sources").iterdir()))
    assert fig["articles"] == n_articles
    assert fig["sentences"] > fig["articles"] and fig["events"] > 0
    assert fig["kg_sentences_per_s"] > 0 and fig["floor_sentences_per_s"] > 0
    assert fig["ratio_median"] == pytest.approx(fig["kg_sentences_per_s"] / fig["floor_sentences_per_s"])
