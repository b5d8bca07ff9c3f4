"""Canonical Turtle and N-Triples writers.

The same set of triples always gives the same bytes: subjects sorted,
``rdf:type`` first, then predicates and objects sorted.  That is what makes
``kg build`` idempotent and export-load-export byte-identical.  Writing is a
sort and a join, several times faster than rdflib's serializer.

Terms are tuples: ``("i", iri)`` for IRIs and ``("l", lexical, datatype,
language)`` for literals (datatype None means xsd:string).  A writer of one
kind of graph may also hand :func:`write_turtle_blocks` its blocks already
rendered (:class:`Rendered`), built with :class:`Compactor` and :func:`quoted`.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TextIO

from kg.rdf.namespace import PREFIXES

__all__ = [
    "Block",
    "ChildRender",
    "Compactor",
    "Rendered",
    "Term",
    "Triple",
    "iri",
    "lit",
    "nt_term",
    "quoted",
    "write_ntriples",
    "write_turtle",
    "write_turtle_blocks",
]

Term = tuple
Triple = tuple[Term, Term, Term]
Block = tuple[Term, dict[Term, set[Term]]]


class Rendered(NamedTuple):
    """Subject blocks already in canonical Turtle, each preceded by its blank line."""

    text: str
    triples: int


RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$|^[0-9][A-Za-z0-9_-]*$")
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESC_RX = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str) -> Term:
    return ("i", value)


def lit(value: object, datatype: str | None = None, lang: str | None = None) -> Term:
    if datatype == XSD_STRING:
        datatype = None
    return ("l", str(value), datatype, lang)


def _esc(s: str) -> str:
    return _ESC_RX.sub(lambda m: _ESC.get(m.group(), f"\\u{ord(m.group()):04X}"), s)


def quoted(s: str) -> str:
    """A string in double quotes, escaped as Turtle and N-Triples need (most need nothing)."""
    return f'"{_esc(s)}"' if _ESC_RX.search(s) else f'"{s}"'


def _iri_text(value: str) -> str:
    if _IRI_BAD.search(value):
        value = _IRI_BAD.sub(lambda m: f"%{ord(m.group()):02X}", value)
    return f"<{value}>"


def nt_term(t: Term) -> str:
    """A term in N-Triples syntax."""
    if t[0] == "i":
        return _iri_text(t[1])
    s = quoted(t[1])
    if t[3]:
        return f"{s}@{t[3]}"
    if t[2]:
        return f"{s}^^{_iri_text(t[2])}"
    return s


def write_ntriples(triples: Iterable[Triple], out: TextIO) -> int:
    """Write sorted N-Triples; returns the number of triples."""
    lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples})
    out.writelines(lines)
    return len(lines)


class Compactor:
    """IRIs as prefixed names where the local part allows, else in angle brackets."""

    def __init__(self, prefixes: dict[str, str]):
        self.by_base = {base: p for p, base in prefixes.items()}
        # Bases that end in / or # are all found by by_base, at the last / or # of an IRI;
        # the others are tried in turn, longest first so that a longer base wins.
        self.items = sorted(((p, b) for p, b in prefixes.items() if b[-1:] not in ("/", "#")),
                            key=lambda kv: -len(kv[1]))
        self._cache: dict[str, str] = {}

    def iri(self, value: str) -> str:
        hit = self._cache.get(value)
        if hit is not None:
            return hit
        out = self._iri(value)
        if len(self._cache) < 100_000:  # predicates, classes, states: the IRIs that repeat
            self._cache[value] = out
        return out

    def name(self, base: str, local: str) -> str:
        """``iri(base + local)`` for a base ending in / or #, without a lookup when ``local`` is plain."""
        p = self.by_base.get(base)
        if p is not None and _LOCAL.match(local) and base[-1:] in ("/", "#") and base + local != RDF_TYPE:
            return f"{p}:{local}"
        return self._iri(base + local)

    def _iri(self, value: str) -> str:
        if value == RDF_TYPE:
            return "a"
        cut = max(value.rfind("/"), value.rfind("#")) + 1
        p = self.by_base.get(value[:cut]) if cut else None
        if p is not None and _LOCAL.match(value[cut:]):
            return f"{p}:{value[cut:]}"
        for p, base in self.items:
            if value.startswith(base):
                local = value[len(base):]
                if _LOCAL.match(local):
                    return f"{p}:{local}"
        return _iri_text(value)

    def term(self, t: Term) -> str:
        if t[0] == "i":
            return self.iri(t[1])
        s = quoted(t[1])
        if t[3]:
            return f"{s}@{t[3]}"
        if t[2]:
            return f"{s}^^{self.iri(t[2])}"
        return s


def _obj_key(t: Term) -> tuple:
    return (t[0], t[1], t[2] or "", t[3] or "") if t[0] == "l" else (t[0], t[1])


_TYPE = ("i", RDF_TYPE)


def _block(c: Compactor, s: Term, preds: dict[Term, set[Term]]) -> str:
    order = sorted(preds, key=lambda p: (p != _TYPE, p[1]))
    parts = [f"{c.term(p)} " + ", ".join(c.term(o) for o in sorted(preds[p], key=_obj_key)) for p in order]
    return c.term(s) + " " + " ;\n    ".join(parts) + " .\n"


def _head(out: TextIO, prefixes: dict[str, str], header: str | None) -> None:
    if header:
        out.write("".join(f"# {line}\n" for line in header.splitlines()))
    for p in sorted(prefixes):  # all of them: the body is written after the head, as it streams
        out.write(f"@prefix {p}: <{prefixes[p]}> .\n")


def write_turtle(triples: Iterable[Triple], out: TextIO, prefixes: dict[str, str] | None = None,
                 header: str | None = None) -> int:
    """Write canonical Turtle of any triples (held in memory to be sorted); returns their number."""
    by_subject: dict[Term, dict[Term, set[Term]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    subjects = sorted(by_subject, key=_obj_key)
    return write_turtle_blocks(((s, by_subject[s]) for s in subjects), out, prefixes, header)


def write_turtle_blocks(blocks: Iterable[Block | Rendered], out: TextIO,
                        prefixes: dict[str, str] | None = None, header: str | None = None) -> int:
    """Write canonical Turtle from subject blocks given in sorted subject order, streaming.

    Gives the same bytes as :func:`write_turtle` over the same triples, without
    holding them all: a graph of millions of events writes in constant memory.
    A block is ``(subject, {predicate: objects})``, or :class:`Rendered` text of
    blocks that a template wrote with the same prefixes.  Returns the number of triples.
    """
    prefixes = prefixes or PREFIXES
    c = Compactor(prefixes)
    _head(out, prefixes, header)
    n = 0
    for block in blocks:
        if isinstance(block, Rendered):
            out.write(block.text)
            n += block.triples
            continue
        s, preds = block
        out.write("\n" + _block(c, s, preds))
        n += sum(len(v) for v in preds.values())
    return n


_RECORD = struct.Struct("<QQ")  # a Rendered chunk in a child's file: UTF-8 length, triples


class ChildRender:
    """Render chunks in a forked child process, started at once, to use a second core.

    :meth:`chunks` yields them in this process once the child is done, read
    back from a temporary file; if the child could not start or failed, they
    are rendered here instead.  :meth:`close` (always call it) kills a child
    no longer needed.
    """

    def __init__(self, render: Callable[[], Iterable[Rendered]]) -> None:
        self.render = render
        self.spool = tempfile.TemporaryFile()
        self.pid: int | None = None
        try:
            pid = os.fork()
        except OSError:  # no memory or process left for a child
            return
        if pid == 0:  # the child: renders, writes, and leaves without any of the parent's cleanup
            status = 1
            try:
                gc.freeze()  # the parent's objects stay out of collections: their pages stay shared
                with open(self.spool.fileno(), "wb", buffering=1 << 20, closefd=False) as f:
                    for chunk in render():
                        data = chunk.text.encode()
                        f.write(_RECORD.pack(len(data), chunk.triples))
                        f.write(data)
                status = 0
            finally:
                os._exit(status)
        self.pid = pid

    def chunks(self) -> Iterator[Rendered]:
        if self.pid is None:
            yield from self.render()
            return
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        if status != 0:
            yield from self.render()
            return
        spool = self.spool
        spool.seek(0)
        while head := spool.read(_RECORD.size):
            size, triples = _RECORD.unpack(head)
            yield Rendered(spool.read(size).decode(), triples)

    def close(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        self.spool.close()
