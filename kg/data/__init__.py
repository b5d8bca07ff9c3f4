"""Data files shipped with kg (gazetteers, lexicons, vocabulary) and their loader."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["data_path", "load_yaml"]

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``kg/data``."""
    return Path(str(resources.files("kg.data").joinpath(name)))


@cache
def load_yaml(name: str) -> Any:
    """Parse a YAML data file of the package (cached: data files do not change)."""
    with data_path(name).open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)
