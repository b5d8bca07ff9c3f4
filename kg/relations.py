"""The 20 relations: identifiers, direction and interoperability codes.

The table lives in ``kg/data/relations.yaml``; this module loads it once and
answers questions about it.

>>> RELATIONS["recognize"].symmetric
False
>>> RELATIONS["meet"].plover
'CONSULT'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.data import load_yaml

__all__ = ["RELATIONS", "Relation", "event_type", "is_symmetric", "relation_ids"]


@dataclass(frozen=True, slots=True)
class Relation:
    """One relation of the vocabulary with its CAMEO, PLOVER and Goldstein values."""

    id: str
    label: str
    symmetric: bool
    cameo: str
    goldstein: float
    plover: str
    quad: int
    definition: str


@cache
def _load() -> dict[str, Relation]:
    rows = load_yaml("relations.yaml")
    return {r["id"]: Relation(**r) for r in rows}


RELATIONS: dict[str, Relation] = _load()


def relation_ids() -> list[str]:
    """The relation identifiers in the vocabulary's order."""
    return list(RELATIONS)


def is_symmetric(relation: str) -> bool:
    """True when the order of subject and object carries no meaning."""
    return RELATIONS[relation].symmetric


def event_type(subject: str, relation: str, object: str) -> tuple[str, str, str]:
    """(subject, relation, object) with a symmetric relation's pair in sorted order: the
    type of an event, as kg stores it.

    >>> event_type("RUS", "meet", "PRK"), event_type("RUS", "recognize", "PRK")
    (('PRK', 'meet', 'RUS'), ('RUS', 'recognize', 'PRK'))
    """
    if RELATIONS[relation].symmetric and object < subject:
        return object, relation, subject
    return subject, relation, object
