"""The kg command through its real entry point: build, relations, export, sparql, draw."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg.cli"]


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of sources/ with two more articles we wrote, built into graphs/diplomacy.ttl."""
    d = tmp_path_factory.mktemp("kg")
    shutil.copytree(ROOT / "sources", d / "sources")
    (d / "sources" / "more.md").write_text(
        "---\ntitle: Envoys recalled\npublished: 2024-03-14\n---\n"
        "Argentina recalled its ambassador from Spain on Tuesday. Spanish Foreign Minister "
        "José Manuel Albares criticized Argentina on Wednesday.\n", encoding="utf-8")
    (d / "sources" / "corpus.jsonl").write_text(json.dumps({
        "id": "wire-77", "published": "2023-09-14", "title": "Summit",
        "text": "Russian President Vladimir Putin met North Korean leader Kim Jong Un on Wednesday."}) + "\n",
        encoding="utf-8")
    r = kg("build", "sources/", cwd=d)
    assert r.returncode == 0, r.stderr
    return d


def test_build_writes_graph_and_diagrams(workdir: Path) -> None:
    g = workdir / "graphs"
    assert (g / "diplomacy.ttl").stat().st_size > 1000
    assert (g / "diplomacy-network.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (g / "diplomacy-timeline-PRK-RUS.png").exists()
    rdflib.Graph().parse(g / "diplomacy.ttl", format="turtle")


def test_build_twice_is_byte_identical(workdir: Path) -> None:
    ttl = workdir / "graphs" / "diplomacy.ttl"
    before = ttl.read_bytes()
    r = kg("build", "sources/", "--no-diagrams", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert ttl.read_bytes() == before


def test_relations_russia_north_korea(workdir: Path) -> None:
    r = kg("relations", "Russia", "North Korea", "--format", "json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    got = {(x["date"], x["relation"]) for x in rows}
    assert ("1948-10-12", "recognize") in got and ("1948-10-12", "establish_relations") in got
    assert {("2023-10-12", "correspond"), ("2023-09", "visit"), ("2023-09", "sign_agreement")} <= got
    # KCNA's "met in September" corroborates the wire's Wednesday 2023-09-13: one event, two sources
    [meet] = [x for x in rows if x["relation"] == "meet"]
    assert meet["date"] == "2023-09-13" and meet["sources"] == 2
    assert meet["articles"] == ["kcna-letters-75th-anniversary", "wire-77"]
    soviet = next(x for x in rows if x["relation"] == "recognize")
    assert "predecessor of Russia" in soviet["via"] and soviet["articles"] == ["kcna-letters-75th-anniversary"]
    table = kg("relations", "DPRK", "RUS", cwd=workdir)
    assert "1948-10-12" in table.stdout and "Soviet Union" in table.stdout


def test_relations_csv_and_filters(workdir: Path) -> None:
    r = kg("relations", "Argentina", "Spain", "--format", "csv", "--since", "2024-03", cwd=workdir)
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("date,") and len(lines) == 3
    r = kg("relations", "Argentina", "Spain", "--relation", "criticize", "--format", "json", cwd=workdir)
    assert [(x["subject"], x["object"], x["date"]) for x in json.loads(r.stdout)] == [("ESP", "ARG", "2024-03-13")]


@pytest.mark.parametrize("fmt,ext", [("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld"), ("jsonl", "jsonl"),
                                     ("csv", "csv"), ("graphml", "graphml"), ("gexf", "gexf")])
def test_export_formats(workdir: Path, fmt: str, ext: str) -> None:
    out = workdir / f"out.{ext}"
    r = kg("export", "--format", fmt, "-o", str(out), cwd=workdir)
    assert r.returncode == 0, r.stderr
    data = out.read_text(encoding="utf-8")
    if fmt in ("turtle", "nt", "jsonld"):
        g = rdflib.Graph().parse(data=data, format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
        ref = rdflib.Graph().parse(workdir / "graphs" / "diplomacy.ttl", format="turtle")
        assert len(g) == len(ref)
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in data.splitlines()]
        assert {"date", "actor1_code", "actor2_code", "cameo", "goldstein", "quad_class"} <= set(rows[0])
    elif fmt == "csv":
        assert data.splitlines()[0].startswith("event_id,date,precision,actor1_code")
    else:
        import networkx as nx

        g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
        assert "PRK" in g and "SUN" in g


def test_export_turtle_is_the_graph_file(workdir: Path) -> None:
    out = workdir / "copy.ttl"
    kg("export", "--format", "turtle", "-o", str(out), cwd=workdir)
    assert out.read_bytes() == (workdir / "graphs" / "diplomacy.ttl").read_bytes()


def test_sparql(workdir: Path) -> None:
    q = "SELECT ?who WHERE { ?s kgp:recognize kgs:PRK . ?s rdfs:label ?who } ORDER BY ?who"
    r = kg("sparql", q, "--format", "json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"who": "Soviet Union"}]
    r = kg("sparql", "ASK { kgs:RUS kgp:meet kgs:PRK }", cwd=workdir)
    assert r.stdout.strip() == "true"
    r = kg("sparql", "SELEKT nonsense", cwd=workdir)
    assert r.returncode == 2 and "SPARQL" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [["network"], ["timeline", "Russia", "North Korea"], ["matrix"]])
@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_draw(workdir: Path, args: list[str], ext: str) -> None:
    out = workdir / f"d-{args[0]}.{ext}"
    r = kg("draw", *args, "-o", str(out), cwd=workdir)
    assert r.returncode == 0, r.stderr
    head = out.read_bytes()[:5]
    assert head == {"png": b"\x89PNG\r", "svg": b"<?xml", "pdf": b"%PDF-"}[ext]


def test_draw_bad_extension(workdir: Path) -> None:
    r = kg("draw", "network", "-o", "x.bmp", cwd=workdir)
    assert r.returncode == 2 and ".png" in r.stderr


def test_extract_jsonl_fields() -> None:
    r = kg("extract", "sources/", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    need = {"article", "subject", "relation", "object", "date", "precision", "evidence", "confidence",
            "cameo", "plover", "goldstein"}
    assert rows and all(need <= set(x) for x in rows)


def test_who_partners_timeline(workdir: Path) -> None:
    r = kg("who", "recognize", "DPRK", "--format", "json", cwd=workdir)
    assert [(x["subject"], x["date"]) for x in json.loads(r.stdout)] == [("SUN", "1948-10-12")]
    r = kg("partners", "Russia", "--format", "json", cwd=workdir)
    partners = {x["partner"]: x["events"] for x in json.loads(r.stdout)}
    assert partners["PRK"] >= 9 and "UKR" in partners
    r = kg("timeline", "Spain", "--format", "json", cwd=workdir)
    assert [(x["subject"], x["relation"], x["object"]) for x in json.loads(r.stdout)] == [
        ("ARG", "recall_ambassador", "ESP"), ("ESP", "criticize", "ARG")]
    r = kg("who", "recognize", "Narnia", cwd=workdir)
    assert r.returncode == 2 and "Narnia" in r.stderr


def test_readme_sparql_example_runs(workdir: Path) -> None:
    """The SPARQL example of the README, verbatim, on a graph built from sources/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("$ kg sparql '"))
    query = line[len("$ kg sparql '"):-1]
    r = kg("sparql", query, "--format", "json", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert [row["label"] for row in json.loads(r.stdout)] == ["Soviet Union"]
