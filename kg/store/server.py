"""A graph on a SPARQL server, for a team sharing one graph.

The server speaks the SPARQL 1.1 Protocol (queries) and the SPARQL 1.1
Graph Store HTTP Protocol (the graph as a whole).  ``oxigraph serve
--location DIR --bind 127.0.0.1:7878`` (``pip install oxigraph``) is one; its
endpoints under the base URL ``http://127.0.0.1:7878`` are ``/query`` and
``/store``.  kg keeps its graph in the server's default graph:

- :meth:`SparqlServerStore.load`: ``GET /store?default`` as N-Triples, parsed
  as it streams in by pyoxigraph, then :func:`kg.rdf.convert.from_triples`;
- :meth:`SparqlServerStore.save`: one ``PUT /store?default`` of the canonical
  N-Triples, which the server applies as a whole or not at all;
- :meth:`SparqlServerStore.query`: ``POST /query`` with the user's query
  verbatim after kg's PREFIX lines; the same :class:`kg.sparql.SparqlResult`
  as the embedded engine.

HTTP is the standard library's (``urllib.request``), with a timeout; every
failure is one GraphError line naming the URL and what to do.  Credentials
go in the URL (``http://USER:PASSWORD@HOST:PORT``) and are sent as HTTP Basic
authentication; messages never show the password.
"""

from __future__ import annotations

import base64
import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlsplit, urlunsplit
from urllib.request import Request, build_opener

import pyoxigraph as ox

from kg.errors import GraphError, UsageError
from kg.graph.store import DiplomacyGraph
from kg.rdf.convert import from_triples
from kg.rdf.io import _term as rdf_term
from kg.rdf.io import serialize
from kg.rdf.namespace import PREFIXES
from kg.rdf.turtle import Triple
from kg.sparql import SparqlResult
from kg.store import GraphStore

__all__ = ["DEFAULT_TIMEOUT", "SAVE_SECONDS_PER_MB", "SparqlServerStore"]

#: Seconds to wait for a connection or for the next bytes of an answer.
DEFAULT_TIMEOUT = 60.0
#: A save also waits this long per megabyte sent: the server answers only once it has applied the whole
#: graph (Oxigraph 0.5 takes about a second per MB of N-Triples in one transaction).
SAVE_SECONDS_PER_MB = 3.0

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
# SELECT/ASK come back as JSON results, CONSTRUCT/DESCRIBE as N-Triples; other formats are read too
_QUERY_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
                 "application/sparql-results+xml;q=0.8, text/turtle;q=0.7")
_START = "start one with 'oxigraph serve --location DIR --bind HOST:PORT' or check the URL"


class SparqlServerStore(GraphStore):
    """The default graph of a SPARQL 1.1 server at ``url`` (its base URL, e.g. ``http://127.0.0.1:7878``).

    ``query_endpoint`` and ``store_endpoint`` default to Oxigraph's
    ``URL/query`` and ``URL/store``; give them for servers laid out otherwise
    (Fuseki: ``URL/DATASET/query`` and ``URL/DATASET/data``).
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, query_endpoint: str | None = None,
                 store_endpoint: str | None = None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise UsageError(f"not an http:// or https:// URL: {url!r}")
        try:
            host = parts.hostname
            _port = parts.port  # ValueError when the port is not a number
        except ValueError:  # a port that is not a number
            host = None
        netloc = parts.netloc.rpartition("@")[2]
        shown = urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))
        if not host:
            raise GraphError("not a server URL; give it as http://HOST:PORT, e.g. http://127.0.0.1:7878", shown)
        if parts.query or parts.fragment:
            raise GraphError("give the server's base URL without '?...' or '#...', e.g. http://127.0.0.1:7878",
                             shown)
        self.url = shown
        self.timeout = timeout
        self.query_url = query_endpoint or self.url + "/query"
        self.store_url = store_endpoint or self.url + "/store"
        self._headers: dict[str, str] = {"User-Agent": "kg (knowledge graph of diplomatic relations)"}
        if parts.username is not None:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        self._opener = build_opener()

    # -- the GraphStore calls ---------------------------------------------------------------------------

    def load(self, missing_ok: bool = False) -> DiplomacyGraph:
        """The graph in the server's default graph (GraphError if it is empty, unless ``missing_ok``)."""
        count = 0
        with self._request("GET", _default(self.store_url), "read the graph",
                           headers={"Accept": "application/n-triples"}) as resp:
            fmt = self._rdf_format(resp, "GET " + self.store_url)

            def triples() -> Iterator[Triple]:
                nonlocal count
                try:
                    for q in ox.parse(input=resp, format=fmt):
                        count += 1
                        yield (rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object))
                except SyntaxError as e:
                    raise GraphError(f"the graph the server sent is not valid {fmt.name}: "
                                     f"{_line(str(e))}", self.url) from None

            graph = from_triples(triples(), self.url)
        if count == 0 and not missing_ok:
            raise GraphError("the server's default graph is empty; build into it with "
                             f"'kg build SOURCES --graph {self.url}'", self.url)
        return graph

    def save(self, graph: DiplomacyGraph) -> None:
        """Replace the server's default graph with ``graph``: one PUT of N-Triples, applied whole or not at all."""
        data = serialize(graph, "nt").encode("utf-8")
        wait = self.timeout + SAVE_SECONDS_PER_MB * len(data) / 1e6
        with self._request("PUT", _default(self.store_url), "replace the graph", data=data,
                           headers={"Content-Type": "application/n-triples"}, timeout=wait):
            pass

    def query(self, sparql: str) -> SparqlResult:
        """Run a SPARQL 1.1 query on the server; a query it rejects as malformed is a UsageError."""
        data = (_PROLOGUE + sparql).encode("utf-8")
        headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": _QUERY_ACCEPT}
        with self._request("POST", self.query_url, "run the query", data=data, headers=headers,
                           bad_query=True) as resp:
            ctype = resp.headers.get_content_type()
            body = resp.read()
        where = "POST " + self.query_url
        try:
            rfmt = ox.QueryResultsFormat.from_media_type(ctype)
            if rfmt is not None:
                res = ox.parse_query_results(body, format=rfmt)
                if isinstance(res, ox.QueryBoolean):
                    return SparqlResult("ask", [], [], boolean=bool(res))
                variables = [v.value for v in res.variables]
                rows = [[_text(sol[v]) for v in variables] for sol in res]
                return SparqlResult("select", variables, rows)
            gfmt = ox.RdfFormat.from_media_type(ctype)
            if gfmt is not None:
                lines = sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in ox.parse(body, format=gfmt))
                return SparqlResult("construct", [], [], triples="".join(lines))
        except SyntaxError as e:
            raise GraphError(f"{where} answered results kg cannot read ({ctype}): {_line(str(e))}",
                             self.url) from None
        raise GraphError(f"{where} answered {ctype}, not SPARQL results; is {self.url} a SPARQL server?",
                         self.url)

    def describe(self) -> str:
        return (f"SPARQL server {self.url} (default graph; query {self.query_url}, "
                f"graph store {self.store_url})")

    # -- HTTP -------------------------------------------------------------------------------------------

    @contextmanager
    def _request(self, method: str, url: str, doing: str, data: bytes | None = None,
                 headers: dict[str, str] | None = None, bad_query: bool = False,
                 timeout: float | None = None) -> Iterator[http.client.HTTPResponse]:
        """The open answer to one request; every failure, while asking or reading, is a one-line GraphError."""
        req = Request(url, data=data, method=method, headers={**self._headers, **(headers or {})})
        what = f"cannot {doing} ({method} {url})"
        timeout = timeout or self.timeout
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                yield resp
        except HTTPError as e:
            raise self._http_error(e, method, url, what, bad_query) from None
        except URLError as e:
            reason = e.reason
            if isinstance(reason, TimeoutError):
                raise GraphError(f"{what}: no answer within {round(timeout, 1):g} s; is the server up and the URL "
                                 "right?", self.url) from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise GraphError(f"{what}: cannot reach the server ({text}); {_START}", self.url) from None
        except TimeoutError:
            raise GraphError(f"{what}: no answer within {round(timeout, 1):g} s; is the server overloaded? try "
                             "again, or raise the timeout", self.url) from None
        except (OSError, http.client.HTTPException) as e:
            raise GraphError(f"{what}: the connection failed ({_line(str(e)) or type(e).__name__}); "
                             "check the server and the URL", self.url) from None

    def _http_error(self, e: HTTPError, method: str, url: str, what: str, bad_query: bool) -> Exception:
        try:
            html = e.headers is not None and "html" in e.headers.get_content_type()
            detail = "" if html else _line(e.read(4000).decode("utf-8", "replace"))  # a page says nothing
        except (OSError, http.client.HTTPException):
            detail = ""
        finally:
            e.close()
        status = f"HTTP {e.code} {e.reason}".strip()
        if bad_query and e.code == 400:
            return UsageError(f"SPARQL syntax error: {detail or status}")
        hint = {
            401: "give the user and password in the URL as http://USER:PASSWORD@HOST:PORT",
            403: "the server does not allow this; ask its administrator for write access",
            404: f"is {self.url} the server's base URL (kg uses {self.query_url} and {self.store_url})?",
            405: f"is {self.url} the server's base URL, and is the server read-write (not 'serve-read-only')?",
            413: "the graph is larger than the server accepts; raise its request size limit",
            501: f"is {self.url} a SPARQL 1.1 server?",
        }.get(e.code, "see the server's log" if e.code >= 500 else "check the URL and the server")
        return GraphError(f"{what}: {status}{': ' + detail if detail else ''}; {hint}", self.url)

    def _rdf_format(self, resp: http.client.HTTPResponse, where: str) -> ox.RdfFormat:
        ctype = resp.headers.get_content_type()
        fmt = ox.RdfFormat.from_media_type(ctype)
        if fmt is None or fmt.supports_datasets:
            raise GraphError(f"{where} answered {ctype}, not an RDF graph; is {self.url} the base URL of a "
                             "SPARQL server (kg uses URL/store)?", self.url)
        return fmt


def _default(url: str) -> str:
    """The Graph Store Protocol URL of the default graph."""
    return url + ("&" if "?" in url else "?") + "default"


def _line(text: str, limit: int = 300) -> str:
    """The first non-empty line of a message, shortened."""
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _text(term: object) -> str | None:
    """A result cell as the embedded engine gives it (:func:`kg.sparql.run_query`)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal | ox.NamedNode):
        return term.value
    return str(term)
