"""The diagrams: what a reader sees in them, not just that a file was written.

Each drawer returns a matplotlib Figure; the tests read its texts (titles,
labels, legends), the colours of the edges, markers and cells of a known
cooperative pair (Russia and North Korea) and a known hostile one (Russia and
Ukraine), check that labels do not overlap, that the layout is seeded (the
same graph gives byte-identical files) and that accented names render
without missing-glyph warnings.
"""

from __future__ import annotations

import datetime as dt
import doctest
import itertools
import random
import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Annotation, Text

import kg.draw.common
import kg.draw.network
import kg.draw.timeline
from kg.draw import DIAGRAMS, draw_matrix, draw_network, draw_timeline, save_figure
from kg.draw.common import date_text, period_text
from kg.draw.network import layout, select
from kg.draw.timeline import BREAK, axis_positions, event_label
from kg.errors import UsageError
from kg.gazetteer import gazetteer
from kg.graph.store import DiplomacyGraph
from kg.model import Article, Event

# -- a small graph with a friendly pair, a hostile pair and a former state ------------------------------


def _article(aid: str, published: str) -> Article:
    return Article(aid, "(text not kept)", title=aid, published=dt.date.fromisoformat(published))


def small_graph(order: int = 1) -> DiplomacyGraph:
    """Russia-North Korea cooperative (3 events, one told twice), Russia-Ukraine hostile (2 events),
    the Soviet Union's recognition of North Korea in 1948, the US warning North Korea."""
    a1 = [Event.make("kcna", "RUS", "sign_agreement", "PRK", date="2023-09-13"),
          Event.make("kcna", "PRK", "visit", "RUS", date="2023-09"),
          Event.make("kcna", "RUS", "pledge_cooperation", "PRK", date="2023-10-12"),
          Event.make("kcna", "SUN", "recognize", "PRK", date="1948-10-12")]
    a2 = [Event.make("wire", "RUS", "sign_agreement", "PRK", date="2023-09-13"),
          Event.make("wire", "RUS", "attack", "UKR", date="2022-02-24"),
          Event.make("wire", "RUS", "sanction", "UKR", date="2022-03"),
          Event.make("wire", "USA", "warn", "PRK", date="2023-10-12")]
    g = DiplomacyGraph()
    items = [(_article("kcna", "2023-10-12"), a1), (_article("wire", "2023-10-13"), a2)]
    for art, evs in items[::order]:
        g.add(art, evs)
    return g


def accented_graph() -> DiplomacyGraph:
    g = DiplomacyGraph()
    g.add(_article("abidjan", "2022-03-10"), [
        Event.make("abidjan", "CIV", "establish_relations", "VCT", date="2022-01-28"),
        Event.make("abidjan", "TUR", "sign_agreement", "CIV", date="2022-02-01"),
        Event.make("abidjan", "STP", "praise", "CIV", date="2022-02-03"),
        Event.make("abidjan", "TUR", "warn", "STP", date="2022-02-05"),
    ])
    return g


def texts_of(fig: Figure) -> list[str]:
    """Every text a reader sees: figure texts, axes texts and annotations, ticks, legends, titles."""
    out = [t.get_text() for t in fig.texts]
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()] + [leg.get_title().get_text()]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return [t for t in out if t]


def node_positions(fig: Figure) -> dict[str, np.ndarray]:
    """State label -> its node's position, read from the label annotations."""
    ax = fig.axes[0]
    return {a.get_text(): np.asarray(a.xy, dtype=float) for a in ax.texts if isinstance(a, Annotation)}


def edges_of(fig: Figure) -> dict[frozenset[str], tuple[np.ndarray, float]]:
    """{label A, label B} -> (RGBA colour, line width) of the edge between them."""
    ax = fig.axes[0]
    [lc] = [c for c in ax.collections if isinstance(c, LineCollection)]
    pos = node_positions(fig)
    names = list(pos)
    xy = np.array([pos[n] for n in names])
    colors, widths = lc.get_colors(), lc.get_linewidths()
    out = {}
    for i, seg in enumerate(lc.get_segments()):
        ends = [names[int(np.argmin(((xy - p) ** 2).sum(axis=1)))] for p in seg]
        out[frozenset(ends)] = (colors[i % len(colors)], float(widths[i % len(widths)]))
    return out


def is_blue(rgba) -> bool:
    return rgba[2] > rgba[0] + 0.15


def is_red(rgba) -> bool:
    return rgba[0] > rgba[2] + 0.15


def png_bytes(fig: Figure, tmp_path: Path, name: str) -> bytes:
    return save_figure(fig, tmp_path / name).read_bytes()


# -- network -------------------------------------------------------------------------------------------


def test_network_title_labels_and_legend() -> None:
    fig = draw_network(small_graph())
    texts = texts_of(fig)
    assert "Diplomatic relations between states" in texts
    sub = next(t for t in texts if "states ·" in t)
    assert sub.startswith("Oct 1948 – Oct 2023")
    assert "5 states" in sub and "7 events" in sub and "2 articles" in sub
    labels = set(node_positions(fig))
    assert labels == {"Russia", "North Korea", "Ukraine", "Soviet Union", "United States"}  # short names, no codes
    assert not any(t in labels for t in ("RUS", "PRK", "UKR", "SUN", "USA"))
    assert {"1 event", "3 events", "former state"} <= set(texts)  # edge widths, former states
    assert {"+10 cooperation", "−10 conflict"} <= set(texts)  # the colour bar says which end is which
    assert "mean Goldstein score of the pair" in texts


def test_network_colours_and_widths_of_known_pairs() -> None:
    edges = edges_of(draw_network(small_graph()))
    assert len(edges) == 4  # one edge per pair, whatever the number of events
    friendly, n_friendly = edges[frozenset({"Russia", "North Korea"})]
    hostile, _ = edges[frozenset({"Russia", "Ukraine"})]
    _, n_single = edges[frozenset({"Soviet Union", "North Korea"})]
    assert is_blue(friendly), friendly
    assert is_red(hostile), hostile
    assert n_friendly > n_single  # 3 events draw wider than 1
    warn, _ = edges[frozenset({"United States", "North Korea"})]
    assert is_red(warn)


def test_network_node_sizes_follow_events() -> None:
    fig = draw_network(small_graph())
    ax = fig.axes[0]
    pos = node_positions(fig)
    sizes = {}
    for coll in ax.collections:
        if isinstance(coll, PathCollection):
            for xy, s in zip(coll.get_offsets(), np.broadcast_to(coll.get_sizes(), (len(coll.get_offsets()),)),
                             strict=True):
                name = min(pos, key=lambda n: float(((pos[n] - np.asarray(xy)) ** 2).sum()))
                sizes[name] = float(s)
    # North Korea and Russia: 5 events each; Ukraine 2; the United States and the Soviet Union 1
    assert sizes["North Korea"] == sizes["Russia"] > sizes["Ukraine"] > sizes["United States"]
    assert sizes["United States"] == sizes["Soviet Union"]


def test_network_options() -> None:
    g = small_graph()
    fig = draw_network(g, focus="United States")
    assert set(node_positions(fig)) == {"United States", "North Korea"}
    assert "Diplomatic relations: United States and its partners" in texts_of(fig)
    fig = draw_network(g, relation="sign_agreement")
    assert set(node_positions(fig)) == {"Russia", "North Korea"}
    assert any("relation: sign agreement" in t for t in texts_of(fig))
    fig = draw_network(g, min_events=2)
    assert set(node_positions(fig)) == {"Russia", "North Korea", "Ukraine"}
    assert any("pairs with ≥ 2 events" in t for t in texts_of(fig))
    fig = draw_network(g, since="2023", until="2023-12")
    assert "Ukraine" not in node_positions(fig) and "Soviet Union" not in node_positions(fig)
    fig = draw_network(g, focus="Russia")  # Russia's lineage includes the Soviet Union
    assert "Soviet Union" in node_positions(fig)
    with pytest.raises(UsageError, match="no events"):
        draw_network(g, since="2030")
    with pytest.raises(UsageError):
        draw_network(g, relation="hug")


def test_select_aggregates_pairs() -> None:
    sel = select(small_graph())
    assert sel.pairs[("PRK", "RUS")][0] == 3
    assert sel.mean(("PRK", "RUS")) == pytest.approx((8.0 + 1.9 + 4.0) / 3)
    assert sel.mean(("RUS", "UKR")) == pytest.approx(-9.0)
    assert sel.articles == {"kcna", "wire"} and sel.events == 7
    assert (sel.first, sel.last) == ("1948-10-12", "2023-10-12")


def test_same_graph_same_png_bytes(tmp_path: Path) -> None:
    """Seeded layout: the same graph (even built in another order) draws byte-identical files."""
    one = png_bytes(draw_network(small_graph()), tmp_path, "a.png")
    two = png_bytes(draw_network(small_graph()), tmp_path, "b.png")
    other_order = png_bytes(draw_network(small_graph(order=-1)), tmp_path, "c.png")
    assert one == two == other_order
    assert png_bytes(draw_timeline(small_graph(), "RUS", "PRK"), tmp_path, "t1.png") == \
        png_bytes(draw_timeline(small_graph(), "RUS", "PRK"), tmp_path, "t2.png")
    for ext in ("svg", "pdf"):
        a = save_figure(draw_network(small_graph()), tmp_path / f"a.{ext}").read_bytes()
        b = save_figure(draw_network(small_graph()), tmp_path / f"b.{ext}").read_bytes()
        assert a == b, ext


def synthetic(n_states: int, n_events: int, seed: int = 5) -> DiplomacyGraph:
    rng = random.Random(seed)
    states = sorted(c for c, s in gazetteer().states.items() if not s.dissolved)[:n_states]
    rels = ["meet", "visit", "sign_agreement", "criticize", "warn", "sanction", "praise"]
    g = DiplomacyGraph()
    evs = []
    for i in range(n_events):
        a, b = rng.sample(states[: max(2, int(n_states * rng.random()) + 1)], 2)
        evs.append(Event.make(f"s{i // 10}", a, rng.choice(rels), b, date=f"20{10 + i % 14}-0{1 + i % 9}-1{i % 10}"))
    for k, grp in itertools.groupby(evs, key=lambda e: e.article):
        g.add(_article(k, "2024-01-01"), list(grp))
    return g


def label_overlaps(fig: Figure) -> list[tuple[str, str]]:
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    anns = [a for a in fig.axes[0].texts if isinstance(a, Annotation)]
    boxes = [(a.get_text(), Text.get_window_extent(a, r)) for a in anns]  # the text, without its leader line
    return [(x, y) for (x, bx), (y, by) in itertools.combinations(boxes, 2)
            if bx.overlaps(by) and bx.intersection(bx, by).width > 1 and bx.intersection(bx, by).height > 1]


@pytest.mark.parametrize("n_states", [2, 12, 60, 150])
def test_labels_do_not_pile_up(n_states: int) -> None:
    g = synthetic(n_states, max(1, n_states * 8))
    fig = draw_network(g)
    pos = node_positions(fig)
    assert len(pos) == len(select(g).states())
    assert not label_overlaps(fig)
    xy = np.array(list(pos.values()))
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) + np.eye(len(xy)) * 1e9
    assert d.min() > 0.5  # nodes never sit on each other (layout units: nearest neighbour ~ 1)


def test_layout_packs_components_apart() -> None:
    import networkx as nx

    g = nx.Graph([("A", "B"), ("B", "C"), ("C", "A"), ("D", "E"), ("F", "G")])
    pos = layout(g)
    again = layout(nx.Graph([("F", "G"), ("D", "E"), ("C", "A"), ("B", "C"), ("A", "B")]))  # other order
    assert all(np.array_equal(pos[k], again[k]) for k in pos)
    comps = [("A", "B", "C"), ("D", "E"), ("F", "G")]
    boxes = []
    for c in comps:
        xy = np.array([pos[v] for v in c])
        boxes.append((xy.min(axis=0), xy.max(axis=0)))
    for (lo1, hi1), (lo2, hi2) in itertools.combinations(boxes, 2):
        apart = (hi1 < lo2 - 0.5).any() or (hi2 < lo1 - 0.5).any()
        assert apart, "components must not overlap"
    xy = np.array(list(pos.values()))
    span = xy.max(axis=0) - xy.min(axis=0)
    assert span.max() < 8  # packed, not flung to the corners


# -- timeline ------------------------------------------------------------------------------------------


def test_timeline_content() -> None:
    fig = draw_timeline(small_graph(), "Russia", "North Korea")
    texts = texts_of(fig)
    assert "Russia and North Korea (with the Soviet Union)" in texts
    sub = next(t for t in texts if "events" in t)
    assert "12 Oct 1948 – 12 Oct 2023" in sub and "4 events" in sub and "2 articles" in sub
    assert "empty years compressed (≈)" in sub
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["sign agreement", "recognize", "pledge cooperation", "visit"]  # most cooperative on top
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["12 Oct 1948", "13 Sep 2023", "Sep 2023", "12 Oct 2023"]  # a month sits mid-month
    labels = {a.get_text() for a in ax.texts if isinstance(a, Annotation)}
    assert labels == {"both · 2 sources", "Soviet Union → North Korea · 1 source", "both · 1 source",
                      "North Korea → Russia · 1 source"}
    assert any(t.startswith("≈\n75 years") for t in texts)  # the compressed gap says how long it is
    assert {"verbal cooperation", "cooperation (Goldstein > 0)", "neutral", "conflict (Goldstein < 0)",
            "1 source", "2 sources"} <= set(texts)
    assert "material conflict" not in texts  # only the marker shapes that occur
    colours = {c.get_label(): c.get_facecolor()[0] for c in ax.collections if isinstance(c, PathCollection)}
    assert is_blue(colours["sign_agreement"])


def test_timeline_hostile_pair_is_red() -> None:
    fig = draw_timeline(small_graph(), "Ukraine", "Russia")
    ax = fig.axes[0]
    colours = {c.get_label(): c.get_facecolor()[0] for c in ax.collections if isinstance(c, PathCollection)}
    assert set(colours) == {"attack", "sanction"}
    assert all(is_red(c) for c in colours.values())
    texts = texts_of(fig)
    assert "Ukraine and Russia" in texts
    assert {"Russia → Ukraine · 1 source", "material conflict"} <= set(texts)
    assert not any(t.startswith("≈") for t in texts)  # one cluster: nothing compressed


def test_timeline_errors() -> None:
    g = small_graph()
    with pytest.raises(UsageError, match="no events between Ukraine and United States"):
        draw_timeline(g, "Ukraine", "United States")
    with pytest.raises(UsageError):
        draw_timeline(g, "Russia", "Russia")
    with pytest.raises(UsageError):
        draw_timeline(g, "Russia", "Atlantis")


def test_axis_compresses_empty_decades_without_squashing_the_cluster() -> None:
    dates = ["1948-10-12"] + [f"2023-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)]
    pos, spans = axis_positions(dates)
    assert len(spans) == 2
    first, cluster = spans
    assert cluster[0] - first[1] == pytest.approx(BREAK)  # 75 empty years take one break
    xs = [pos[d] for d in sorted(set(dates))]
    assert xs == sorted(xs)  # time order kept
    assert min(b - a for a, b in itertools.pairwise(xs[1:])) >= 1.0  # every 2023 date has its own slot
    assert cluster[1] - cluster[0] >= 23


def test_dense_timeline_stays_readable() -> None:
    """A 1948 event and fifty in 2023: compact labels, none overlapping, ticks for every date."""
    rng = random.Random(2)
    g = DiplomacyGraph()
    evs = [Event.make("old", "SUN", "recognize", "PRK", date="1948-10-12")]
    rels = ["meet", "visit", "sign_agreement", "praise", "warn", "criticize", "provide_aid"]
    for _ in range(50):
        s, o = rng.choice([("RUS", "PRK"), ("PRK", "RUS")])
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
        evs.append(Event.make("old", s, rng.choice(rels), o, date=day.isoformat()))
    g.add(_article("old", "2023-12-31"), evs)
    fig = draw_timeline(g, "RUS", "PRK")
    labels = [a.get_text() for a in fig.axes[0].texts if isinstance(a, Annotation)]
    assert "by Soviet Union" in labels and any(t in ("both", "by Russia", "by North Korea") for t in labels)
    assert not label_overlaps(fig)
    assert fig.get_size_inches()[0] < 24


def test_event_labels() -> None:
    g = small_graph()
    [visit] = [e for e in g.events if e.relation == "visit"]
    [sign] = [e for e in g.events if e.relation == "sign_agreement"]
    assert event_label(visit, ("RUS", "PRK")) == "North Korea → Russia · 1 source"
    assert event_label(sign, ("RUS", "PRK")) == "both · 2 sources"
    assert event_label(sign, ("RUS", "PRK"), compact=True) == "both ×2"
    assert event_label(visit, ("RUS", "PRK"), compact=True) == "by North Korea"


# -- matrix --------------------------------------------------------------------------------------------


def test_matrix_content() -> None:
    fig = draw_matrix(small_graph())
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["North Korea", "Russia", "Soviet Union", "Ukraine", "United States"]  # alphabetical
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    img = next(i for i in ax.get_images() if isinstance(i, AxesImage))
    m = img.get_array()
    i, j, k = names.index("Russia"), names.index("North Korea"), names.index("Ukraine")
    assert m[i, j] == m[j, i] == pytest.approx((8.0 + 1.9 + 4.0) / 3)
    assert m[i, k] == pytest.approx(-9.0)
    assert np.ma.is_masked(m[names.index("Soviet Union"), k])  # no events: blank
    assert is_blue(img.to_rgba(m[i, j])) and is_red(img.to_rgba(m[i, k]))
    texts = texts_of(fig)
    assert "Relations between states" in texts
    assert {"3", "2", "1"} <= set(texts)  # events per cell
    assert any("numbers: events of the pair" in " ".join(t.split()) for t in texts)
    assert "+10 cooperation" in texts


def test_matrix_limit_says_so() -> None:
    g = synthetic(30, 300)
    fig = draw_matrix(g, limit=10)
    assert len(fig.axes[0].get_yticklabels()) == 10
    assert any("the 10 busiest of" in t for t in texts_of(fig))


# -- fonts, formats, helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_accented_names_render_without_missing_glyphs(tmp_path: Path, ext: str) -> None:
    g = accented_graph()
    figs = [draw_network(g, title="Relations de la Côte d'Ivoire et de la Türkiye"),
            draw_timeline(g, "Côte d'Ivoire", "Sao Tome and Principe"),
            draw_matrix(g)]
    assert "Côte d'Ivoire" in node_positions(figs[0])
    assert "São Tomé and Príncipe" in node_positions(figs[0])
    assert "Relations de la Côte d'Ivoire et de la Türkiye" in texts_of(figs[0])
    assert "Côte d'Ivoire and São Tomé and Príncipe" in texts_of(figs[1])
    assert "Côte d'Ivoire" in texts_of(figs[2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n, fig in enumerate(figs):
            out = save_figure(fig, tmp_path / f"d{n}.{ext}")
            assert out.read_bytes()[:5] == {"png": b"\x89PNG\r", "svg": b"<?xml", "pdf": b"%PDF-"}[ext]
    glyphs = [str(w.message) for w in caught if "glyph" in str(w.message).lower()]
    assert not glyphs


def test_save_figure_rejects_other_formats(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.png"):
        save_figure(draw_matrix(small_graph()), tmp_path / "x.bmp")
    assert not (tmp_path / "x.bmp").exists()


def test_every_diagram_is_registered() -> None:
    assert set(DIAGRAMS) == {"network", "timeline", "matrix"}


def test_dates_for_readers() -> None:
    assert date_text("1948-10-12") == "12 Oct 1948"
    assert date_text("2023-09") == "Sep 2023"
    assert date_text("1992") == "1992"
    assert period_text([None]) == "undated"
    assert period_text(["2023-09", "2023-09-30"]) == "Sep 2023"


def test_doctests() -> None:
    for mod in (kg.draw.common, kg.draw.network, kg.draw.timeline):
        failures, _ = doctest.testmod(mod)
        assert failures == 0, mod.__name__
