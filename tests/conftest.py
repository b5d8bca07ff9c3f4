"""Fixtures shared by the test files: keep them generic, and add yours below.

- ``write_file``: write text or bytes to a file under the test's tmp_path.
- ``run_kg``: run the installed ``kg`` command in a subprocess.
- ``extractor``: the process-wide extractor, loaded once per test session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The real entry point: the ``kg`` script installed beside this Python, else ``python -m kg.cli``.
_SCRIPT = Path(sys.executable).with_name("kg")
KG_COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kg.cli"]


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """``write_file(name, content, encoding="utf-8")``: the path of a new file under tmp_path.

    ``content`` is bytes (written as is) or text (encoded with ``encoding``);
    ``name`` may contain folders, which are created.
    """

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return p

    return write


@pytest.fixture(scope="session")
def run_kg() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_kg(*args, cwd=None, timeout=120)``: run ``kg ARGS`` and return the completed process.

    stdout and stderr are captured as text; stdin is closed and stdout is a
    pipe, as in a script.  Tracebacks are never expected: check stderr.
    """
    env = dict(os.environ)
    env.setdefault("PYTHONIOENCODING", "utf-8")

    def run(*args: str | Path, cwd: str | Path | None = None, timeout: float = 120,
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*KG_COMMAND, *map(str, args)], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, cwd=cwd or ROOT, env=env, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def extractor():
    """The extractor of this process (its data load once, in about two seconds)."""
    from kg.extract.pipeline import get_extractor

    return get_extractor()
