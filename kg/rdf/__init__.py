"""RDF for kg: the vocabulary, graph <-> triples, canonical Turtle, N-Triples."""

from kg.rdf.convert import from_triples, to_triples
from kg.rdf.namespace import NS, PREFIXES
from kg.rdf.turtle import write_ntriples, write_turtle

__all__ = ["NS", "PREFIXES", "from_triples", "to_triples", "write_ntriples", "write_turtle"]
