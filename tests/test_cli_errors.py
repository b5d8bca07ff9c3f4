"""Bad input through the real ``kg`` command: exit codes, stdout, stderr.

Every error is one line on stderr, ``kg: ...``, naming the file (and line);
no traceback.  A skipped input is reported and summarised, and the other
inputs are still read (exit 0, or 1 with ``--strict``).  Usage errors exit 2.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

KENYA = "Kenya and Tanzania signed an agreement on Monday to settle a dispute over their shared border."
CHILE = "Chile recalled its ambassador from Peru after a row over fishing rights in the Pacific."
BINARY = random.Random(11).randbytes(2048) + b"\x00\x00\x01"


def stderr_lines(proc) -> list[str]:
    lines = proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr
    assert all(line.startswith("kg: ") for line in lines), proc.stderr
    return lines


def events(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory, extractor) -> Path:
    """A small graph built from one article of ours (in this process: the extractor is loaded once)."""
    from kg import api

    d = tmp_path_factory.mktemp("graph")
    (d / "paris.txt").write_text("Russia and France signed a trade agreement in Paris on 3 May 2021.\n")
    g = d / "diplomacy.ttl"
    api.build([d / "paris.txt"], graph=g, diagrams=False)
    assert g.stat().st_size > 500
    return g


# -- kg extract -----------------------------------------------------------------------------------

def test_extract_missing_file_is_one_line_and_exit_1(run_kg, tmp_path) -> None:
    proc = run_kg("extract", "missing.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    (line,) = stderr_lines(proc)
    assert "missing.txt" in line and "no such file" in line


def test_extract_folder_with_a_good_and_a_broken_file(run_kg, tmp_path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "kenya.txt").write_text(KENYA)
    (news / "scan.txt").write_bytes(BINARY)
    proc = run_kg("extract", news)
    assert proc.returncode == 0, proc.stderr
    got = events(proc)
    assert {e["article"] for e in got} == {"kenya"}
    assert ("KEN", "sign_agreement", "TZA") in {(e["subject"], e["relation"], e["object"]) for e in got}
    skipped = f"kg: skipped {news / 'scan.txt'}: binary file, not text; give a .txt, .md, .html or .jsonl article"
    assert stderr_lines(proc) == [skipped, "kg: 1 input(s) skipped; --strict makes this an error"]

    strict = run_kg("extract", "--strict", news)
    assert strict.returncode == 1
    assert strict.stdout == proc.stdout  # the good article is still read
    assert stderr_lines(strict) == [skipped, "kg: 1 input(s) skipped"]


def test_extract_jsonl_with_a_broken_line_names_file_and_line(run_kg, tmp_path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join([
        json.dumps({"id": "k1", "text": KENYA}),
        '{"id": "broken", "text": "Chile and Peru',
        json.dumps({"id": "c1", "text": CHILE}),
    ]) + "\n")
    proc = run_kg("extract", corpus)
    assert proc.returncode == 0, proc.stderr
    assert {e["article"] for e in events(proc)} == {"k1", "c1"}
    lines = stderr_lines(proc)
    assert len(lines) == 2
    assert lines[0].startswith(f"kg: skipped {corpus}:2: not JSON (")
    assert lines[0].endswith("; fix or remove the line")
    assert lines[1] == "kg: 1 input(s) skipped; --strict makes this an error"


# -- usage errors: exit 2 -------------------------------------------------------------------------

def test_relations_with_an_unknown_state_names_it(run_kg, graph) -> None:
    proc = run_kg("relations", "Russia", "Narnia", "--graph", graph)
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = stderr_lines(proc)
    assert "'Narnia'" in line


def test_relations_with_an_unknown_state_is_a_usage_error_before_any_graph_is_read(run_kg, tmp_path) -> None:
    proc = run_kg("relations", "Russia", "Narnia", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = stderr_lines(proc)
    assert "'Narnia'" in line


def test_export_with_an_unknown_format_lists_the_valid_ones(run_kg, tmp_path) -> None:
    from kg.export import EXPORTERS

    proc = run_kg("export", "--format", "nope", "-o", "x", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = stderr_lines(proc)
    assert "'nope'" in line
    assert all(name in line for name in EXPORTERS)
    assert not (tmp_path / "x").exists()


# -- a bad graph file: exit 1, one line naming it --------------------------------------------------

def _truncated(g: Path) -> bytes:
    data = g.read_bytes()
    return data[: len(data) // 2]


@pytest.mark.parametrize("make", [
    pytest.param(_truncated, id="truncated"),
    pytest.param(lambda g: b"Russia and France signed a trade agreement.\n", id="not-turtle"),
    pytest.param(lambda g: BINARY, id="binary"),
    pytest.param(lambda g: g.read_bytes().replace(b"@prefix", b"@prefx", 1), id="bad-directive"),
])
def test_bad_graph_file_is_one_line_naming_it(run_kg, graph, tmp_path, make) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(make(graph))
    proc = run_kg("relations", "Russia", "France", "--graph", bad)
    assert proc.returncode == 1
    assert proc.stdout == ""
    (line,) = stderr_lines(proc)
    assert line.startswith(f"kg: error: {bad}")
    assert "Turtle" in line


def test_good_graph_answers(run_kg, graph) -> None:
    """The fixture's graph is fine: the errors above come from the damage, not from it."""
    proc = run_kg("relations", "Russia", "France", "--graph", graph, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)
    assert ({row["subject"], row["object"]}, row["relation"], row["date"]) == ({"FRA", "RUS"}, "sign_agreement",
                                                                              "2021-05-03")
