"""The graph layer: reports merged into events, states over time, queries."""

from kg.graph.merge import MergedEvent, merge_events
from kg.graph.store import DiplomacyGraph

__all__ = ["DiplomacyGraph", "MergedEvent", "merge_events"]
