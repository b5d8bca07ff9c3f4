"""The namespaces kg writes.

kg's own terms live under ``https://w3id.org/kg-diplomacy/``:

- ``kg:`` (``.../ontology#``): classes and properties, described in
  ``kg/data/ontology.ttl``;
- ``kgc:`` (``.../relation/``): the 20 relations as SKOS concepts (values of
  ``kg:relation``);
- ``kgp:`` (``.../prop/``): the direct "truthy" state-to-state properties, one
  per relation, as Wikidata's ``wdt:``;
- ``kgs:``, ``kge:``, ``kgr:``, ``kga:``: states, events, reports, articles.
"""

from __future__ import annotations

__all__ = ["BASE", "NS", "PREFIXES"]

BASE = "https://w3id.org/kg-diplomacy/"

PREFIXES: dict[str, str] = {
    "kg": BASE + "ontology#",
    "kgc": BASE + "relation/",
    "kgp": BASE + "prop/",
    "kgs": BASE + "id/state/",
    "kge": BASE + "id/event/",
    "kgr": BASE + "id/report/",
    "kga": BASE + "id/article/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


class _NS:
    """Attribute access to prefixed IRIs: ``NS.kg("confidence")``."""

    def __getattr__(self, prefix: str):
        base = PREFIXES[prefix]
        return lambda local: base + local


NS = _NS()
