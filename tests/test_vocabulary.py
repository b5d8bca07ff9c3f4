"""The published vocabulary: ontology, SHACL shapes, JSON-LD context and kg.validate.

A graph is built once from ``sources/`` (the example article); the tests check
that the ontology documents every kg term it uses, that the relation concepts
repeat ``relations.yaml`` faithfully, that the graph passes the shapes, that a
graph broken by hand does not (with a message naming the property), and that
the JSON-LD export reads back as the same graph.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg import api
from kg.data import data_path, load_yaml
from kg.errors import GraphError
from kg.rdf.io import load_graph
from kg.rdf.namespace import PREFIXES
from kg.validate import ValidationReport, Violation, validate

ROOT = Path(__file__).resolve().parent.parent
# plain Namespaces: rdflib's closed ones warn when pytest inspects the module
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
OWL = Namespace(PREFIXES["owl"])
SKOS = Namespace(PREFIXES["skos"])
XSD = Namespace(PREFIXES["xsd"])
KG = Namespace(PREFIXES["kg"])
KGC = Namespace(PREFIXES["kgc"])
KGP = Namespace(PREFIXES["kgp"])
SH = Namespace("http://www.w3.org/ns/shacl#")
DCTERMS = Namespace(PREFIXES["dcterms"])
ONTOLOGY = URIRef("https://w3id.org/kg-diplomacy/ontology")
OWN = (PREFIXES["kg"], PREFIXES["kgc"], PREFIXES["kgp"])
RELATIONS = load_yaml("relations.yaml")


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data_path("ontology.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data_path("shapes.ttl"), format="turtle")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph built from sources/ (read-only for the tests: copy it to break it)."""
    out = tmp_path_factory.mktemp("vocab") / "g.ttl"
    report = api.build([ROOT / "sources"], graph=out, diagrams=False)
    assert report.events > 0
    return out


@pytest.fixture(scope="module")
def built_rdf(built: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(built, format="turtle")


def _own_terms(g: rdflib.Graph) -> set[URIRef]:
    """Every predicate, class and IRI value of a graph in the kg:, kgc: and kgp: namespaces."""
    terms: set[URIRef] = set()
    for _s, p, o in g:
        for t in (p, o):
            if isinstance(t, URIRef) and str(t).startswith(OWN):
                terms.add(t)
    return terms


def _documented(ontology: rdflib.Graph, term: URIRef) -> bool:
    has_label = (term, RDFS.label, None) in ontology or (term, SKOS.prefLabel, None) in ontology
    has_text = (term, RDFS.comment, None) in ontology or (term, SKOS.definition, None) in ontology
    return has_label and has_text


# ---------------------------------------------------------------------------
# the ontology
# ---------------------------------------------------------------------------


def test_ontology_parses_with_rdflib_and_pyoxigraph(ontology: rdflib.Graph) -> None:
    quads = list(ox.parse(path=str(data_path("ontology.ttl")), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(ontology) > 500


def test_ontology_header(ontology: rdflib.Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, DCTERMS.title)
    assert len(str(ontology.value(ONTOLOGY, DCTERMS.description))) > 100
    assert ontology.value(ONTOLOGY, OWL.versionInfo)
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(ontology.value(ONTOLOGY, DCTERMS.creator)) == "kg developers"


def test_ontology_documents_every_kg_term_of_a_built_graph(built_rdf: rdflib.Graph,
                                                           ontology: rdflib.Graph) -> None:
    used = _own_terms(built_rdf)
    assert KG.DiplomaticEvent in used and KGC.recognize in used and KGP.recognize in used
    missing = sorted(str(t) for t in used if not _documented(ontology, t))
    assert not missing, f"terms used in a built graph but not documented in ontology.ttl: {missing}"


def test_ontology_documents_every_term_convert_can_emit(ontology: rdflib.Graph) -> None:
    """Terms convert.py writes only for some graphs (organisations, dissolved states, year precision)."""
    from kg.rdf import convert

    source = Path(convert.__file__).read_text(encoding="utf-8")
    locals_ = set(re.findall(r'\bkg\("(\w+)"\)', source)) | set(convert.PRECISION_TERMS.values())
    assert {"Organisation", "dissolved", "conflictingDate", "YearPrecision"} <= locals_
    missing = sorted(n for n in locals_ if not _documented(ontology, KG[n]))
    assert not missing, f"kg: terms convert.py emits but ontology.ttl does not document: {missing}"


def test_kg_terms_are_typed_and_defined_by_the_ontology(ontology: rdflib.Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual, SKOS.ConceptScheme}
    kg_terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(PREFIXES["kg"])}
    assert len(kg_terms) > 30
    for t in kg_terms:
        assert set(ontology.objects(t, RDF.type)) & kinds, t
        assert (t, RDFS.isDefinedBy, ONTOLOGY) in ontology, t


def test_classes_reuse_well_known_vocabularies(ontology: rdflib.Graph) -> None:
    assert (KG.DiplomaticEvent, RDFS.subClassOf, URIRef(PREFIXES["sem"] + "Event")) in ontology
    assert (KG.Report, RDFS.subClassOf, URIRef(PREFIXES["prov"] + "Entity")) in ontology
    assert (KG.State, OWL.disjointWith, KG.Organisation) in ontology
    assert ontology.value(KG.confidence, RDFS.range) == XSD.decimal
    assert ontology.value(KG.report, RDFS.range) == KG.Report


def test_the_20_relations_are_concepts_with_the_codes_of_relations_yaml(ontology: rdflib.Graph) -> None:
    scheme = KG.Relations
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    in_scheme = set(ontology.subjects(SKOS.inScheme, scheme))
    assert in_scheme == {KGC[r["id"]] for r in RELATIONS}
    assert len(in_scheme) == 20
    for r in RELATIONS:
        c = KGC[r["id"]]
        assert (c, RDF.type, SKOS.Concept) in ontology
        assert ontology.value(c, SKOS.prefLabel), c
        assert str(ontology.value(c, SKOS.definition)) == r["definition"]
        assert str(ontology.value(c, KG.cameo)) == r["cameo"]
        assert str(ontology.value(c, KG.plover)) == r["plover"]
        assert float(ontology.value(c, KG.goldstein).toPython()) == pytest.approx(r["goldstein"])
        assert ontology.value(c, KG.goldstein).datatype == XSD.decimal
        assert ontology.value(c, KG.quadClass).toPython() == r["quad"]
        assert ontology.value(c, KG.symmetric).toPython() is r["symmetric"]
        assert ontology.value(c, KG.directProperty) == KGP[r["id"]]


def test_the_20_truthy_properties(ontology: rdflib.Graph) -> None:
    for r in RELATIONS:
        p = KGP[r["id"]]
        assert (p, RDF.type, OWL.ObjectProperty) in ontology
        assert ((p, RDF.type, OWL.SymmetricProperty) in ontology) is r["symmetric"], p
        assert str(ontology.value(p, RDFS.label)) == r["label"]
        assert r["definition"] in str(ontology.value(p, RDFS.comment))
        domain, range_ = ontology.value(p, RDFS.domain), ontology.value(p, RDFS.range)
        assert domain == range_
        assert (KG.State, RDFS.subClassOf, domain) in ontology or domain == KG.State
    truthy = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(PREFIXES["kgp"])}
    assert len(truthy) == 20


def test_generated_part_of_the_ontology_is_up_to_date() -> None:
    tool = ROOT / "tools" / "gen_ontology.py"
    if not tool.exists():
        pytest.skip("tools/gen_ontology.py is not in this checkout")
    done = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------------------
# the shapes
# ---------------------------------------------------------------------------


def test_shapes_parse_and_list_the_20_relations(shapes: rdflib.Graph) -> None:
    list(ox.parse(path=str(data_path("shapes.ttl")), format=ox.RdfFormat.TURTLE))
    lists = []
    for ps in shapes.subjects(SH.path, KG.relation):
        head = shapes.value(ps, SH["in"])
        if head is not None:
            lists.append(set(rdflib.collection.Collection(shapes, head)))
    assert len(lists) == 2  # events and reports
    for members in lists:
        assert members == {KGC[r["id"]] for r in RELATIONS}


def test_every_property_shape_has_a_message(shapes: rdflib.Graph) -> None:
    for ps in shapes.subjects(SH.path, None):
        assert shapes.value(ps, SH.message), f"property shape on {shapes.value(ps, SH.path)} has no sh:message"


def test_built_graph_conforms(built: Path) -> None:
    report = validate(built)
    assert isinstance(report, ValidationReport)
    assert report.conforms, str(report)
    assert report.violations == []


def test_graph_object_and_ntriples_conform(built: Path, tmp_path: Path) -> None:
    g = load_graph(built)
    assert validate(g).conforms
    nt = api.export("nt", tmp_path / "g.nt", graph=g)
    assert validate(nt).conforms


def _break_event(text: str, edit: Callable[[str], str]) -> str:
    """The Turtle text with the first event block that ``edit`` changes changed."""
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks):
        if block.startswith("kge:"):
            new = edit(block)
            if new != block:
                blocks[i] = new
                return "\n\n".join(blocks)
    raise AssertionError("no event block to break")


def _event_of(text: str) -> str:
    return text.split(" ", 1)[0]


BREAKAGES = [
    # (name, edit of one event block, path the violation must name)
    ("confidence above 1", lambda b: re.sub(r'kg:confidence "[^"]*"', 'kg:confidence "1.5"', b), "kg:confidence"),
    ("no relation", lambda b: re.sub(r"\n    kg:relation kgc:\w+ ;", "", b), "kg:relation"),
    ("unknown relation", lambda b: re.sub(r"kg:relation kgc:\w+", "kg:relation kgc:befriend", b), "kg:relation"),
    ("cameo not a code", lambda b: re.sub(r'kg:cameo "\d+"', 'kg:cameo "54a"', b), "kg:cameo"),
    ("plover not a category", lambda b: re.sub(r'kg:plover "\w+"', 'kg:plover "friendly"', b), "kg:plover"),
    ("goldstein out of range", lambda b: re.sub(r'kg:goldstein "[^"]*"', 'kg:goldstein "12"', b), "kg:goldstein"),
    ("corroboration zero", lambda b: re.sub(r'kg:corroboration "1"', 'kg:corroboration "0"', b),
     "kg:corroboration"),
    ("no subject", lambda b: re.sub(r"\n    kg:subject kgs:\w+ ", "\n    ", b), "kg:subject"),
    ("date as a string", lambda b: re.sub(r'sem:hasTimeStamp "([^"]*)"\^\^xsd:\w+', r'sem:hasTimeStamp "\1"', b),
     "sem:hasTimeStamp"),
    ("no report", lambda b: re.sub(r"\n    kg:report kgr:\w+ ;", "", b), "kg:report"),
]


@pytest.mark.parametrize(("name", "edit", "path"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_a_broken_event_does_not_conform(built: Path, tmp_path: Path, name: str,
                                         edit: Callable[[str], str], path: str) -> None:
    text = built.read_text(encoding="utf-8")
    broken = _break_event(text, edit)
    event = _event_of(next(b for b, o in zip(broken.split("\n\n"), text.split("\n\n"), strict=False) if b != o))
    f = tmp_path / "broken.ttl"
    f.write_text(broken, encoding="utf-8")
    report = validate(f)
    assert not report.conforms, name
    on_event = [v for v in report.violations if v.focus_node == event and v.path == path]
    assert on_event, f"{name}: no violation on {event} {path}; got:\n{report}"
    assert all(path in v.message for v in on_event), on_event
    assert all(v.severity == "Violation" for v in on_event)


def test_a_missing_truthy_triple_is_found(built: Path, tmp_path: Path) -> None:
    text = built.read_text(encoding="utf-8")
    m = re.search(r"\n    (kgp:\w+) (kgs:\w+)(, kgs:\w+)* ;", text)
    assert m, "the built graph has no truthy triple on a state with more after it"
    f = tmp_path / "broken.ttl"
    f.write_text(text[:m.start()] + text[m.end():], encoding="utf-8")
    report = validate(f)
    assert not report.conforms
    assert any("truthy" in v.message and v.path == "kg:relation" for v in report.violations), str(report)


def test_a_state_with_a_bad_code_does_not_conform(built: Path, tmp_path: Path) -> None:
    f = tmp_path / "broken.ttl"
    f.write_text(built.read_text(encoding="utf-8").replace('kg:code "RUS"', 'kg:code "Russia"'), encoding="utf-8")
    report = validate(f)
    assert [(v.focus_node, v.path) for v in report.violations] == [("kgs:RUS", "kg:code")]
    assert "kg:code" in report.violations[0].message


def test_an_article_without_identifier_does_not_conform(built: Path, tmp_path: Path) -> None:
    f = tmp_path / "broken.ttl"
    text = re.sub(r'\n    dcterms:identifier "[^"]*" ;', "", built.read_text(encoding="utf-8"))
    f.write_text(text, encoding="utf-8")
    report = validate(f)
    assert not report.conforms
    assert {v.path for v in report.violations} == {"dcterms:identifier"}


def test_a_graph_with_an_organisation_conforms() -> None:
    from kg.graph.store import ArticleInfo, DiplomacyGraph
    from kg.model import Event

    g = DiplomacyGraph()
    g.add(ArticleInfo("eu-1", "EU sanctions Belarus", "2024-06-24"),
          [Event.make("eu-1", "EU", "sanction", "BLR", date="2024-06-24", evidence="imposed sanctions on",
                      confidence=0.9),
           Event.make("eu-1", "POL", "meet", "LTU", date="2024-06-24", evidence="met", confidence=0.8)])
    report = validate(g)
    assert not [v for v in report.violations if v.focus_node in ("kgs:EU", "kgs:POL", "kgs:LTU")
                or v.focus_node.startswith("kge:")], str(report)


def test_successor_links_point_to_described_states() -> None:
    from kg.graph.store import ArticleInfo, DiplomacyGraph
    from kg.model import Event

    g = DiplomacyGraph()
    g.add(ArticleInfo("ru-1", "Russia warns the US", "2024-06-24"),
          [Event.make("ru-1", "RUS", "warn", "USA", date="2024-06-24", evidence="warned", confidence=0.9)])
    report = validate(g)
    assert report.conforms, str(report)


def test_validate_errors_are_graph_errors(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="no such graph file"):
        validate(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("kgs:RUS is not turtle {", encoding="utf-8")
    with pytest.raises(GraphError, match="not valid Turtle"):
        validate(bad)
    badjson = tmp_path / "bad.jsonld"
    badjson.write_text("{ not json", encoding="utf-8")
    with pytest.raises(GraphError, match="JSON-LD"):
        validate(badjson)
    with pytest.raises(GraphError, match="folder"):
        validate(tmp_path)


def test_report_types_are_frozen_dataclasses() -> None:
    v = Violation("kge:1", "kg:confidence", "too high", "Violation", '"1.5"^^xsd:decimal')
    r = ValidationReport(False, [v])
    assert dataclasses.is_dataclass(v) and dataclasses.is_dataclass(r)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.message = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.conforms = True  # type: ignore[misc]
    assert "kg:confidence" in str(v) and "too high" in str(r)
    assert not r


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_export_is_isomorphic_to_turtle(built: Path, built_rdf: rdflib.Graph, tmp_path: Path) -> None:
    out = api.export("jsonld", tmp_path / "g.jsonld", graph=built)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "@context" in doc
    back = rdflib.Graph().parse(out, format="json-ld")
    assert len(back) == len(built_rdf)
    assert isomorphic(back, built_rdf)
    # the short terms are used, and the export passes the shapes too
    text = out.read_text(encoding="utf-8")
    assert '"confidence":' in text and '"relation": "kgc:' in text
    assert validate(out).conforms


def test_context_terms_match_the_ontology(ontology: rdflib.Graph) -> None:
    with data_path("context.jsonld").open(encoding="utf-8") as f:
        doc = json.load(f)
    assert list(doc) == ["@context"]
    ctx = doc["@context"]
    for prefix, ns in PREFIXES.items():
        if prefix != "rdf":
            assert ctx.get(prefix) == ns, prefix
    for term, spec in ctx.items():
        if not isinstance(spec, dict) or not spec["@id"].startswith("kg:"):
            continue
        iri = KG[spec["@id"][3:]]
        assert _documented(ontology, iri), term
        kind = spec.get("@type")
        if (iri, RDF.type, OWL.ObjectProperty) in ontology:
            assert kind == "@id", term
        else:
            assert (iri, RDF.type, OWL.DatatypeProperty) in ontology, term
            rng = ontology.value(iri, RDFS.range)
            if kind is not None:
                assert URIRef(PREFIXES["xsd"] + kind[4:]) == rng, term
            elif isinstance(rng, URIRef):
                assert rng == XSD.string, term


def test_literal_values_in_the_ontology_have_the_types_events_use(ontology: rdflib.Graph) -> None:
    c = KGC.meet
    assert ontology.value(c, KG.cameo) == Literal("040")
    assert ontology.value(c, KG.quadClass).datatype == XSD.integer
