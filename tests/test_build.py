"""``kg build``: outputs, determinism, atomicity, and clear errors for bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.build import OUTPUT_FORMATS, build
from kg.config import Settings
from kg.errors import BuildError, InconsistencyError, StaleBuildError
from kg.store import check_fresh, open_store, read_manifest

OWL_THING = rdflib.OWL.Thing
VOCAB = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}


def output_bytes(build_dir: Path) -> dict[str, bytes]:
    """Every output file except the store (RocksDB files are not byte-stable) and the caches (dot files)."""
    return {
        p.relative_to(build_dir).as_posix(): p.read_bytes()
        for p in sorted(build_dir.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(build_dir).parts and not p.name.startswith(".")
    }


@pytest.mark.parametrize("scope", ["asserted", "inferred", "complete"])
@pytest.mark.parametrize("ext", sorted(OUTPUT_FORMATS.values()))
def test_outputs_parse_and_agree(built: Settings, scope: str, ext: str) -> None:
    def triples(path: Path, fmt: str) -> rdflib.Graph:
        ds = rdflib.Dataset()
        ds.parse(path, format=fmt)
        g = rdflib.Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g

    graph = triples(built.build_dir / f"{scope}.{ext}", RDFLIB_FORMAT[ext])
    reference = triples(built.build_dir / f"{scope}.nq", "nquads")
    assert len(graph) > 100
    assert isomorphic(graph, reference)


def test_inferred_graph_has_no_owlrl_junk(built: Settings) -> None:
    g = rdflib.Graph()
    g.parse(built.build_dir / "inferred.nt", format="nt")
    assert len(g) > 100
    for s, p, o in g:
        assert not isinstance(s, rdflib.Literal)
        assert not (p == rdflib.OWL.sameAs and s == o), s
        assert not (p == rdflib.RDF.type and o in (OWL_THING, rdflib.RDFS.Resource)), s
        assert not str(s).startswith(VOCAB), s
    # The inferred graphs repeat nothing a firm source asserts. (graph:inferred may repeat a statement that only a
    # "reportedly" graph asserts, when reasoning derives it from firm facts too: it is then firm after all.)
    asserted = rdflib.Dataset().parse(built.build_dir / "asserted.trig", format="trig")
    flag = rdflib.URIRef(built.base_iri + "ontology#hedged")
    hedged = {s for s, _p, _o, _c in asserted.quads((None, flag, rdflib.Literal(True), None))}
    firm = {(s, p, o) for s, p, o, c in asserted.quads((None, None, None, None)) if c not in hedged}
    assert hedged
    assert not set(g) & firm, "an inferred graph repeats statements a firm source asserts"


def test_inferences_from_hedged_facts_are_hedged(built: Settings) -> None:
    """Attendance is derived from participations the article gives as "reportedly": the derived schema:attendee
    links are in graph:inferred-reportedly, never in graph:inferred; firm derivations (posts held, from the
    article's unhedged tenures) stay in graph:inferred."""

    def graph(name: str) -> rdflib.Graph:
        ds = rdflib.Dataset().parse(built.build_dir / "inferred.trig", format="trig")
        return ds.graph(rdflib.URIRef(name))

    firm, reported = graph(built.inferred_graph), graph(built.inferred_reported_graph)
    meeting = rdflib.URIRef(built.base_iri + "id/csto-csc-2024-11-28")
    putin = rdflib.URIRef(built.base_iri + "id/vladimir-putin")
    attendee = rdflib.URIRef("https://schema.org/attendee")
    holds = rdflib.URIRef("http://www.w3.org/ns/org#holds")
    assert (meeting, attendee, putin) in reported and (meeting, attendee, putin) not in firm
    assert (putin, holds, rdflib.URIRef(built.base_iri + "id/president-of-russia")) in firm
    assert len(firm) > 100 and len(reported) > 5
    assert not set(firm) & set(reported)


def test_manifest_and_void(built: Settings) -> None:
    manifest = read_manifest(built)
    roles = {g["role"] for g in manifest["graphs"]}
    assert roles == {"ontology", "data", "inferred", "description"}
    assert manifest["triples"]["complete"] == manifest["triples"]["asserted"] + manifest["triples"]["inferred"]
    void = rdflib.Graph().parse(built.build_dir / "void.ttl", format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef(built.base_iri + "dataset")
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef(built.base_iri + "sparql")) in void
    assert len(list(void.objects(ds, VOID.dataDump))) >= 5
    links = rdflib.URIRef(built.base_iri + "dataset/wikidata-links")
    assert int(void.value(links, VOID.triples)) == 18  # the checked Wikidata items
    subsets = {
        str(void.value(s, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name")))
        for s in void.objects(ds, VOID.subset)
    }
    assert {g["iri"] for g in manifest["graphs"]} - {built.base_iri + "graph/void"} <= subsets


def test_context_file_matches_jsonld(built: Settings) -> None:
    context = json.loads((built.build_dir / "context.jsonld").read_text())["@context"]
    doc = json.loads((built.build_dir / "complete.jsonld").read_text())
    assert doc["@context"] == context and context["sk"] == built.base_iri + "ontology#"


def test_deterministic(built_tree: tuple[Settings, object], tmp_path: Path) -> None:
    settings, _ = built_tree
    first = output_bytes(settings.build_dir)
    again = Settings(root=settings.root, build_dir=tmp_path / "again")
    env = {
        **os.environ,
        "PYTHONHASHSEED": "12345",
        "KG_ROOT": str(settings.root),
        "KG_BUILD_DIR": str(again.build_dir),
    }
    subprocess.run([sys.executable, "-m", "kg.cli", "build"], check=True, env=env, capture_output=True)
    second = output_bytes(again.build_dir)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds of the same sources"


def test_no_wall_clock_in_outputs(built: Settings) -> None:
    """No output carries the time it was built (a date that the sources themselves contain aside)."""
    today = time.strftime("%Y-%m-%d").encode()
    sources = b"".join(p.read_bytes() for p in (built.root / "graph").glob("*.trig"))
    for name, data in output_bytes(built.build_dir).items():
        assert today not in data or today in sources, name
        assert time.strftime("%Y-%m-%dT%H").encode() not in data, name


def test_stale_build_is_detected(tree: Settings) -> None:
    build(tree)
    check_fresh(tree)
    trig = tree.graph_dir / "background.trig"
    trig.write_text(trig.read_text() + "\n# an edit\n")
    with pytest.raises(StaleBuildError, match=r"graph/background\.trig changed.*run `kg build`"):
        open_store(tree)
    build(tree)
    open_store(tree)


def test_touched_but_unchanged_source_is_fresh(tree: Settings) -> None:
    build(tree)
    os.utime(tree.graph_dir / "background.trig")
    check_fresh(tree)


def test_no_build_message(tree: Settings) -> None:
    with pytest.raises(StaleBuildError, match=r"no build in .*: run `kg build` first"):
        open_store(tree)


def test_syntax_error_names_file_and_line(tree: Settings) -> None:
    path = tree.graph_dir / "background.trig"
    lines = path.read_text().splitlines()
    lines[39] = lines[39] + " ;;; <<"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(BuildError, match=r"graph/background\.trig:40:\d+: "):
        build(tree)


@pytest.mark.parametrize(
    ("good", "bad", "message"),
    [
        ('"2024-11-28"^^xsd:date', '"2024-13-45"^^xsd:date', '"2024-13-45" is not a valid xsd:date'),
        (
            "sk:signedDocumentCount 14",
            'sk:signedDocumentCount "fourteen"^^xsd:integer',
            '"fourteen" is not a valid xsd:integer',
        ),
    ],
)
def test_ill_typed_literal_names_file_line_and_statement(tree: Settings, good: str, bad: str, message: str) -> None:
    path = tree.graph_dir / "astana-2024-11-28.trig"
    text = path.read_text()
    assert good in text
    line = text[: text.index(good)].count("\n") + 1
    path.write_text(text.replace(good, bad, 1))
    with pytest.raises(BuildError) as info:
        build(tree)
    assert str(info.value).startswith(f"{path}:{line}: {message} (in id:csto-csc-2024-11-28 ")


@pytest.mark.parametrize("where", ["queries/participants.rq", "queries/checks/missing-label-violation.rq"])
def test_broken_query_file_fails_before_reasoning(tree: Settings, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.reason

    path = tree.root / where
    path.write_text(path.read_text().replace("WHERE {", "WHERE {{", 1))
    monkeypatch.setattr(kg.reason, "reason", lambda *a, **k: pytest.fail("reasoned before checking the queries"))
    with pytest.raises(BuildError, match=rf"{path.name}: SPARQL syntax error"):
        build(tree)


def test_fact_outside_named_graph_is_refused(tree: Settings) -> None:
    (tree.graph_dir / "loose.trig").write_text(
        '<https://w3id.org/summitkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    )
    with pytest.raises(BuildError, match=r"loose\.trig: the statement .* is outside any named graph"):
        build(tree)


CONTRADICTION = """
@prefix id: <https://w3id.org/summitkg/id/> .
@prefix graph: <https://w3id.org/summitkg/graph/> .
@prefix org: <http://www.w3.org/ns/org#> .
graph:astana-2024-11-28-tass { id:vladimir-putin a org:Organization . }
"""


def test_inconsistency_names_the_clashing_statements(tree: Settings) -> None:
    (tree.graph_dir / "zz-contradiction.trig").write_text(CONTRADICTION)
    with pytest.raises(InconsistencyError) as info:
        build(tree)
    message = str(info.value)
    assert "id:vladimir-putin" in message
    assert "id:vladimir-putin rdf:type org:Organization   (in graph:astana-2024-11-28-tass, graph/" in message
    assert "id:vladimir-putin rdf:type foaf:Person" in message


def test_shape_violation_is_readable(tree: Settings) -> None:
    path = tree.graph_dir / "astana-2024-11-28.trig"
    text = path.read_text()
    assert 'schema:startDate "2024-11-28"^^xsd:date ;' in text
    path.write_text(text.replace('schema:startDate "2024-11-28"^^xsd:date ;', ""))
    with pytest.raises(BuildError) as info:
        build(tree)
    message = str(info.value)
    assert "does not conform to shapes.ttl" in message
    assert "id:csto-csc-2024-11-28 schema:startDate" in message


def test_failed_build_keeps_previous(built_tree: tuple[Settings, object], tmp_path: Path) -> None:
    settings, _ = built_tree
    work = Settings(root=tmp_path / "p", build_dir=tmp_path / "p" / "build")
    shutil.copytree(settings.root, work.root)
    before = output_bytes(work.build_dir)
    (work.graph_dir / "zz-contradiction.trig").write_text(CONTRADICTION)
    with pytest.raises(InconsistencyError):
        build(work)
    assert output_bytes(work.build_dir) == before
    assert not (tmp_path / "p" / "build.partial").exists()


KILL_AT = {
    # killed once every output is written, just before the new build replaces the old one
    "before-swap": "import kg.build as b; b._swap = lambda *a: os.kill(os.getpid(), signal.SIGKILL)",
    # killed between the two renames of the swap: the old build is renamed away, the new one not yet in place
    "mid-swap": (
        "import kg.build as b; from pathlib import Path\n"
        "def swap(partial, target):\n"
        "    target.rename(target.with_name(target.name + '.previous'))\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "b._swap = swap"
    ),
}


@pytest.mark.parametrize("moment", sorted(KILL_AT))
def test_interrupted_build_keeps_previous(built_tree: tuple[Settings, object], tmp_path: Path, moment: str) -> None:
    """Kill a build of changed sources at the worst moments: the last good build is what every reader sees."""
    settings, _ = built_tree
    work = Settings(root=tmp_path / "p", build_dir=tmp_path / "p" / "build")
    shutil.copytree(settings.root, work.root)
    before = output_bytes(work.build_dir)
    trig = work.graph_dir / "background.trig"
    trig.write_text(trig.read_text().replace('"Armenia"@en', '"Republic of Armenia"@en'))
    code = f"import os, signal\n{KILL_AT[moment]}\nfrom kg.cli import main\nmain(['build'])"
    env = {**os.environ, "KG_ROOT": str(work.root), "KG_BUILD_DIR": str(work.build_dir)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with pytest.raises(StaleBuildError):  # the sources changed and the build did not finish: nothing answers stale
        open_store(work)
    assert output_bytes(work.build_dir) == before  # the previous build is back in place, whole
    assert "Republic of Armenia" not in (work.build_dir / "complete.nq").read_text()
    build(work)  # the next build finishes and cleans up after the interrupted one
    assert "Republic of Armenia" in (work.build_dir / "complete.nq").read_text()
    assert not work.build_dir.with_name("build.partial").exists()
    assert not work.build_dir.with_name("build.previous").exists()


def test_other_base_iri(tree: Settings, tmp_path: Path) -> None:
    other = Settings(root=tree.root, base_iri="https://kg.example.org/", build_dir=tmp_path / "other")
    build(other)
    data = (other.build_dir / "complete.nq").read_text()
    assert "https://w3id.org/summitkg/" not in data
    assert "<https://kg.example.org/id/vladimir-putin>" in data
    from kg.catalog import find_query
    from kg.query import format_result, run_query

    q = find_query(other, "participants")
    table = format_result(run_query(open_store(other), q.bind({}, other.prefixes), other), "table", other).decode()
    assert "id:vladimir-putin" in table and "(6 rows)" in table
