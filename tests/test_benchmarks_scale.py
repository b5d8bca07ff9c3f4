"""Smoke test of the Scale figures of benchmarks/run.py (--scale, --extract-memory) at tiny sizes.

No timing is asserted: figures depend on the machine; only that each is measured and set beside its target.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402


def test_scale_and_memory_figures_beside_their_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    assert run.main(["--only", "scale,memory", "--scale", "3000", "--extract-memory", "20,60", "--query-repeats", "2",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for what in ("scale: merge into graph", "scale: SQLite save", "scale: SQLite reopen", "relations(a, b) reopened",
                 "extract --jobs 1: peak memory", "extract --jobs 2: peak memory", "kg build into SQLite",
                 "done-when figure", "reopen the SQLite graph"):
        assert what in printed
    res = json.loads(out.read_text())
    sc = res["scale"]
    assert sc["events"] > 2000 and sc["reopen"]["events"] == sc["events"]
    assert sc["reopen"]["reports"] == sc["reports"] and sc["reopen"]["rows"] > sc["reports"]
    assert res["extract_memory"]["extract"]["60/2"]["tree_pss_mib"] > 0
    assert {t["figure"].split(":")[0] for t in res["targets"]} >= {"extract --jobs 1", "extract --jobs 2"}
    assert all(isinstance(t["met"], bool) for t in res["targets"])
    assert "extraction" not in res and "graphs" not in res


def test_unknown_part_is_refused() -> None:
    with pytest.raises(SystemExit):
        run.main(["--only", "nothing"])
