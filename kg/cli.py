"""The ``kg`` command line: thin wrappers over :mod:`kg.api`.

Results go to stdout (a table by default, ``--format json|csv|jsonl`` for
machines), messages to stderr.  Exit 1 on failure, 2 on usage errors.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from kg import api
from kg.errors import KgError, ReadError, UsageError
from kg.relations import RELATIONS

__all__ = ["cli", "main"]

log = logging.getLogger("kg")
_STATE: dict[str, Any] = {"debug": False}


def _err(msg: str) -> None:
    click.echo(f"kg: {msg}", err=True)


def _emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, title: str | None = None) -> None:
    """Rows to stdout as a table, JSON, JSON Lines or CSV."""
    out = sys.stdout
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (" ".join(v) if isinstance(v, list) else v) for k, v in r.items()})
        out.write(buf.getvalue())
    else:
        from rich import box
        from rich.console import Console
        from rich.table import Table

        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        for c in columns:
            t.add_column(c, overflow="fold", max_width=60 if c == "evidence" else None)
        for r in rows:
            t.add_row(*(_cell(r.get(c), c) for c in columns))
        if out.isatty():
            Console(file=out, soft_wrap=False).print(t)
        else:
            buf = io.StringIO()
            Console(file=buf, width=180, soft_wrap=False).print(t)
            out.write("\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n")


def _cell(v: Any, column: str) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return " ".join(map(str, v))
    text = str(v)
    if column == "evidence" and len(text) > 90:
        return text[:87] + "..."
    return text


def _progress(enabled: bool):
    """A rich progress bar on a terminal, nothing when piped."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(), transient=True)


class _Skips:
    def __init__(self, quiet: bool = False):
        self.items: list[str] = []
        self.quiet = quiet

    def __call__(self, err: ReadError) -> None:
        self.items.append(str(err))
        if not self.quiet:
            _err(f"skipped {err}")

    def summary(self, strict: bool) -> None:
        if self.items:
            _err(f"{len(self.items)} input(s) skipped" + ("; --strict makes this an error" if not strict else ""))
            if strict:
                raise SystemExit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.option("-v", "--verbose", is_flag=True, help="Log what is happening on stderr.")
@click.version_option(package_name="kg")
def cli(debug: bool, verbose: bool) -> None:
    """kg: a knowledge graph of diplomatic relations between states, read from news."""
    _STATE["debug"] = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING,
                        format="kg: %(levelname)s: %(message)s", stream=sys.stderr)


_GRAPH = click.option("--graph", "--store", "graph", type=str, default=str(api.DEFAULT_GRAPH), show_default=True,
                      envvar="KG_GRAPH",
                      help="The graph: a Turtle file, an .sqlite file for big graphs, or a SPARQL server URL "
                           "such as http://127.0.0.1:7878 (oxigraph serve).")
_REL_CHOICE = click.Choice(list(RELATIONS))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json", "csv"]), default=None,
              help="Output format (default: table on a terminal, jsonl when piped).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--dask", "dask", metavar="SCHEDULER", default=None,
              help="Extract on a Dask cluster at this scheduler address, e.g. tcp://127.0.0.1:8786.")
@click.option("--strict", is_flag=True, help="Exit 1 if any input was skipped.")
def extract(paths: tuple[Path, ...], fmt: str | None, jobs: int, strict: bool, dask: str | None) -> None:
    """Read articles (files or folders) and print the events found, without a graph."""
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    skips = _Skips()
    rows: list[dict[str, Any]] = []
    columns = ["article", "subject", "relation", "object", "date", "precision", "evidence", "confidence",
               "cameo", "plover", "goldstein"]
    for _art, events in api.extract(paths, jobs=jobs, on_error=skips, dask=dask):
        for e in events:
            d = e.to_dict()
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
            else:
                rows.append(d)
    if fmt != "jsonl":
        _emit(rows, columns if fmt == "table" else list(rows[0]) if rows else columns, fmt)
    skips.summary(strict)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_GRAPH
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--diagrams/--no-diagrams", default=True, show_default=True,
              help="Draw the network and the busiest pairs' timelines beside the graph.")
@click.option("--dask", "dask", metavar="SCHEDULER", default=None,
              help="Extract on a Dask cluster at this scheduler address, e.g. tcp://127.0.0.1:8786.")
@click.option("--strict", is_flag=True, help="Exit 1 if any input was skipped.")
def build(paths: tuple[Path, ...], graph: str, jobs: int, diagrams: bool, strict: bool, dask: str | None) -> None:
    """Extract events from articles and merge them into the graph file."""
    skips = _Skips()
    bar = _progress(True)
    task = None
    if bar is not None:
        bar.start()
        task = bar.add_task("extracting", total=None, rate="")

    def tick(_a: object) -> None:
        if bar is not None and task is not None:
            t = bar.tasks[0]
            rate = f"{t.completed / t.elapsed:.0f}" if t.elapsed else ""
            bar.update(task, advance=1, rate=rate)

    try:
        rep = api.build(paths, graph=graph, jobs=jobs, diagrams=diagrams, on_error=skips, progress=tick, dask=dask)
    finally:
        if bar is not None:
            bar.stop()
    _err(f"{rep.articles} articles, {rep.reports} reports -> {rep.events} events in {rep.graph}")
    for d in rep.diagrams:
        _err(f"drew {d}")
    skips.summary(strict)


def _event_rows(events) -> list[dict[str, Any]]:
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    rows = []
    for e in events:
        rows.append({
            "date": e.date, "subject": e.subject, "subject_name": gaz.label(e.subject),
            "relation": e.relation, "object": e.object, "object_name": gaz.label(e.object),
            "confidence": e.confidence, "sources": e.corroboration, "articles": list(e.articles),
            "evidence": e.reports[0].evidence if e.reports else "", "id": e.id,
        })
    return rows


def _emit_events(rows: list[dict[str, Any]], fmt: str, what: str, via: bool = False) -> None:
    """Event rows as a table of the columns a reader needs, or every field for machines."""
    cols = ["date", "subject_name", "relation", "object_name", "articles", *(["via"] if via else []), "evidence"]
    if fmt != "table":
        cols = list(rows[0]) if rows else cols
    _emit(rows, cols, fmt, title=f"{what}: {len(rows)} events")


def _via_note(rows: list[dict[str, Any]], a: str, b: str) -> None:
    """Say which events are a predecessor's; show symmetric events with A first."""
    from kg.gazetteer import gazetteer, require_state

    gaz = gazetteer()
    ca = require_state(a)
    wanted = {ca, require_state(b)}
    for r in rows:
        own = gaz.lineage(ca)
        if RELATIONS[r["relation"]].symmetric and r["object"] in own and r["subject"] not in own:
            for k in ("", "_name"):
                r["subject" + k], r["object" + k] = r["object" + k], r["subject" + k]
        notes = [f"{gaz.label(c)} (predecessor of {gaz.label(w)})" for c in (r["subject"], r["object"])
                 if c not in wanted for w in wanted if c in gaz.lineage(w)]
        r["via"] = "; ".join(notes)


_PERIOD = [click.option("--since", help="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD)."),
           click.option("--until", help="Latest date."),
           click.option("--relation", type=_REL_CHOICE, help="Only this relation.")]


def _period(f):
    for opt in reversed(_PERIOD):
        f = opt(f)
    return f


_FMT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table",
                    show_default=True, help="Output format.")


@cli.command()
@click.argument("a")
@click.argument("b")
@_GRAPH
@_period
@_FMT
def relations(a: str, b: str, graph: str, since: str | None, until: str | None, relation: str | None,
              fmt: str) -> None:
    """The events between states A and B (names or codes), predecessors included."""
    events = api.relations(a, b, graph=graph, since=since, until=until, relation=relation)
    rows = _event_rows(events)
    _via_note(rows, a, b)
    _emit_events(rows, fmt, f"{a} and {b}", via=True)


@cli.command()
@click.argument("a")
@_GRAPH
@_period
@_FMT
def timeline(a: str, graph: str, since: str | None, until: str | None, relation: str | None, fmt: str) -> None:
    """Every event of state A (predecessors included), in date order."""
    _emit_events(_event_rows(api.timeline(a, graph=graph, since=since, until=until, relation=relation)), fmt, a)


@cli.command()
@click.argument("a")
@_GRAPH
@click.option("--relation", type=_REL_CHOICE, help="Only this relation.")
@click.option("--since", help="Earliest date.")
@click.option("--until", help="Latest date.")
@_FMT
def partners(a: str, graph: str, relation: str | None, since: str | None, until: str | None, fmt: str) -> None:
    """The partners of state A with their number of events, most frequent first."""
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    rows = [{"partner": c, "name": gaz.label(c), "events": n}
            for c, n in api.partners(a, graph=graph, relation=relation, since=since, until=until)]
    _emit(rows, ["partner", "name", "events"], fmt, title=f"partners of {a}")


@cli.command()
@click.argument("relation", type=_REL_CHOICE)
@click.argument("target")
@_GRAPH
@click.option("--since", help="Earliest date.")
@click.option("--until", help="Latest date.")
@_FMT
def who(relation: str, target: str, graph: str, since: str | None, until: str | None, fmt: str) -> None:
    """Who did RELATION to TARGET: kg who recognize Kosovo."""
    _emit_events(_event_rows(api.who(relation, target, graph=graph, since=since, until=until)), fmt,
                 f"{relation} {target}")


@cli.command()
@click.argument("a")
@click.argument("b")
@_GRAPH
@click.option("--at", help="The date to report the status at (default: latest).")
@_FMT
def status(a: str, b: str, graph: str, at: str | None, fmt: str) -> None:
    """Diplomatic status of a pair over time: established, severed, restored."""
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    st = api.status(a, b, graph=graph, at=at)
    own = gaz.lineage(st.a)

    def by(e) -> str:
        if not e.symmetric:
            return gaz.label(e.subject)
        first, second = (e.subject, e.object) if e.subject in own else (e.object, e.subject)
        return f"{gaz.label(first)} and {gaz.label(second)}"

    def via(e) -> str:
        return "; ".join(f"{gaz.label(c)} (predecessor of {gaz.label(w)})" for c in (e.subject, e.object)
                         for w in (st.a, st.b) if c != w and c in gaz.lineage(w))

    rows = [{"date": c.date, "status": c.status, "by": by(c.event),
             "event": f"{c.event.relation} {c.event.subject}-{c.event.object}", "via": via(c.event),
             "articles": list(c.event.articles)} for c in st.history]
    if fmt == "table":
        when = f"at {at}" if at else "now"
        click.echo(f"{gaz.label(st.a)} and {gaz.label(st.b)} {when}: {st.state}"
                   f"{' (in force)' if st.in_force else ''}")
        if rows:
            _emit(rows, ["date", "status", "by", "via", "articles"], fmt)
    else:
        _emit([{"a": st.a, "b": st.b, "at": at, "status": st.state, "in_force": st.in_force,
                "history": rows}], ["a", "b", "at", "status", "in_force"], fmt)


@cli.command()
@_GRAPH
@click.option("--format", "fmt", required=True, help="turtle, nt, jsonld, jsonl, csv, graphml or gexf.")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export(graph: str, fmt: str, out: Path) -> None:
    """Write the graph in another format."""
    api.export(fmt, out, graph=graph)
    _err(f"wrote {out}")


@cli.group()
def draw() -> None:
    """Draw diagrams: network, timeline, matrix (PNG, SVG or PDF by extension)."""


_OUT = click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                    help="Output file: .png, .svg or .pdf")
@draw.command("network")
@_GRAPH
@_OUT
@_period
@click.option("--focus", help="Only this state and its partners.")
@click.option("--min-events", type=click.IntRange(1), default=1, show_default=True)
def draw_network_cmd(graph: str, out: Path, since, until, relation, focus, min_events) -> None:
    """The network of states: edges coloured from conflict to cooperation."""
    p = api.draw("network", out, graph=graph, since=since, until=until, relation=relation, focus=focus,
                 min_events=min_events)
    _err(f"drew {p}")


@draw.command("timeline")
@click.argument("a")
@click.argument("b")
@_GRAPH
@_OUT
@_period
def draw_timeline_cmd(a: str, b: str, graph: str, out: Path, since, until, relation) -> None:
    """The events between states A and B along a time axis."""
    p = api.draw("timeline", out, graph=graph, a=a, b=b, since=since, until=until, relation=relation)
    _err(f"drew {p}")


@draw.command("matrix")
@_GRAPH
@_OUT
@_period
@click.option("--focus", help="Only this state and its partners.")
@click.option("--min-events", type=click.IntRange(1), default=1, show_default=True)
@click.option("--limit", type=click.IntRange(2, 400), default=60, show_default=True,
              help="Show the busiest N states.")
def draw_matrix_cmd(graph: str, out: Path, since, until, relation, focus, min_events, limit) -> None:
    """States by states, cell colour = mean Goldstein score."""
    p = api.draw("matrix", out, graph=graph, since=since, until=until, relation=relation, focus=focus,
                 min_events=min_events, limit=limit)
    _err(f"drew {p}")


@cli.command()
@click.argument("query")
@_GRAPH
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table",
              show_default=True)
def sparql(query: str, graph: str, fmt: str) -> None:
    """Run a SPARQL query (the kg prefixes are predeclared). QUERY may be @FILE."""
    if query.startswith("@"):
        qp = Path(query[1:])
        try:
            query = qp.read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"cannot read query file: {e.strerror}", qp) from None
    res = api.sparql(query, graph=graph)
    if res.kind == "ask":
        click.echo("true" if res.boolean else "false")
    elif res.kind == "construct":
        sys.stdout.write(res.triples or "")
    else:
        rows = [dict(zip(res.variables, r, strict=True)) for r in res.rows]
        _emit(rows, res.variables, fmt)


@cli.command()
@_GRAPH
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table",
              show_default=True)
def validate(graph: str, fmt: str) -> None:
    """Check the graph against kg's SHACL shapes; exit 1 with the violations listed."""
    rep = api.validate(graph)
    rows = [{"severity": v.severity, "focus": v.focus_node, "path": v.path, "message": v.message}
            for v in rep.violations]
    if rep.conforms:
        _err(f"{graph}: conforms to kg's shapes")
        if fmt != "table":
            _emit(rows, ["severity", "focus", "path", "message"], fmt)
        return
    _emit(rows, ["severity", "focus", "path", "message"], fmt, title=f"{len(rows)} violations in {graph}")
    raise SystemExit(1)


@cli.command()
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pred", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--misses/--no-misses", default=True, show_default=True, help="List the gold events missed.")
def evaluate(gold: Path, pred: Path | None, fmt: str, misses: bool) -> None:
    """Score events against gold articles (PRED, or kg's own extraction of GOLD's texts)."""
    ev = api.evaluate(gold, pred)
    if fmt == "json":
        click.echo(json.dumps(ev.to_dict(), ensure_ascii=False, indent=1))
        return
    rows = [{"level": k, "precision": f"{v.precision:.3f}", "recall": f"{v.recall:.3f}", "f1": f"{v.f1:.3f}",
             "tp": v.tp, "predicted": v.predicted, "gold": v.gold} for k, v in ev.levels.items()]
    _emit(rows, list(rows[0]), "table", title="scores")
    rows = [{"relation": k, "precision": f"{v.precision:.2f}", "recall": f"{v.recall:.2f}", "f1": f"{v.f1:.2f}",
             "tp": v.tp, "predicted": v.predicted, "gold": v.gold} for k, v in ev.by_relation.items()]
    _emit(rows, list(rows[0]) if rows else ["relation"], "table", title="by relation (typed)")
    if misses and ev.missed:
        _emit(ev.missed, ["article", "subject", "relation", "object", "date", "evidence"], "table",
              title=f"missed ({len(ev.missed)})")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the CLI, turning KgErrors into one-line messages."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="kg", standalone_mode=False)
    except click.exceptions.Abort:
        _err("aborted")
        return 1
    except click.UsageError as e:
        e.show()
        return 2
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except UsageError as e:
        if _STATE["debug"]:
            traceback.print_exc()
        _err(f"error: {e}")
        return 2
    except KgError as e:
        if _STATE["debug"]:
            traceback.print_exc()
        _err(f"error: {e}")
        return 1
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as e:  # a bug in kg: say so in one line, the traceback on --debug
        if _STATE["debug"]:
            traceback.print_exc()
        _err(f"internal error: {type(e).__name__}: {e} (run 'kg --debug ...' for the traceback)")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
