"""The ``kg`` command line, run in-process on the session build (and as a process where that matters)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib

from kg.cli import main, make_parser
from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def kg(built: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KG_ROOT", str(built.root))
    monkeypatch.setenv("KG_BUILD_DIR", str(built.build_dir))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def commands() -> list[str]:
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in commands():
        assert f"kg {name}" in readme, f"README does not document `kg {name}`"
        out = subprocess.run([sys.executable, "-m", "kg.cli", name, "--help"], capture_output=True, text=True)
        assert out.returncode == 0 and "usage: kg " + name in out.stdout


@pytest.mark.parametrize("name", commands())
def test_every_option_is_in_the_readme(name: str) -> None:
    """README, --help and behaviour stay in step: each long option of each command is documented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = make_parser([name])
    sub = next(a for a in parser._actions if a.dest == "command")
    options = {o for a in sub.choices[name]._actions for o in a.option_strings if o.startswith("--")}  # type: ignore[index]
    missing = sorted(o for o in options - {"--help"} if o not in readme)
    assert not missing, f"README does not mention kg {name} {', '.join(missing)}"


def test_queries_lists_every_saved_query(kg) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = kg("queries")
    assert code == 0
    for path in (ROOT / "queries").glob("*.rq"):
        assert path.stem in out
    code, out, _ = kg("queries", "--json")
    assert {q["name"] for q in json.loads(out)} == {p.stem for p in (ROOT / "queries").glob("*.rq")}


def test_query_table(kg) -> None:  # type: ignore[no-untyped-def]
    code, out, err = kg("query", "participants")
    assert code == 0 and err == ""
    assert "id:vladimir-putin" in out and "head of state" in out and out.rstrip().endswith("(6 rows)")


def test_query_with_parameter(kg) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = kg("query", "inferred-facts", "--param", "resource=id:vladimir-putin", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {
        "direction": "outgoing",
        "predicate": "https://w3id.org/summitkg/ontology#attended",
        "other": "https://w3id.org/summitkg/id/csto-csc-2024-11-28",
    }.items() <= {k: v for r in rows for k, v in r.items() if r["predicate"].endswith("#attended")}.items()


def test_query_formats_follow_w3c(kg) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = kg("query", "participants", "--format", "json")
    data = json.loads(out)
    assert "participant" in data["head"]["vars"] and len(data["results"]["bindings"]) == 6
    assert data["results"]["bindings"][0]["participant"]["type"] == "uri"
    _, out, _ = kg("query", "participants", "--format", "xml")
    root = ET.fromstring(out)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    _, out, _ = kg("query", "participants", "--format", "tsv")
    assert out.splitlines()[0].startswith("?participant\t?name")
    assert len(out.splitlines()) == 7


def test_construct_formats(kg) -> None:  # type: ignore[no-untyped-def]
    text = "CONSTRUCT { ?p sk:attended ?m } WHERE { ?p sk:attended ?m }"
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")):
        code, out, _ = kg("query", "--sparql", text, "--format", fmt)
        assert code == 0
        assert len(rdflib.Graph().parse(data=out, format=parser)) == 6, fmt


def test_graph_scope(kg) -> None:  # type: ignore[no-untyped-def]
    ask = "ASK { id:csto-csc-2024-11-28 schema:attendee id:vladimir-putin }"
    assert kg("query", "--sparql", ask)[1] == "yes\n"
    assert kg("query", "--sparql", ask, "--graph", "inferred")[1] == "yes\n"
    assert kg("query", "--sparql", ask, "--graph", "asserted")[1] == "no\n"


def test_query_with_its_own_dataset(kg) -> None:  # type: ignore[no-untyped-def]
    """FROM applies as on any endpoint: the default graph is then the named graph, not the union."""
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
    tass = "FROM <https://w3id.org/summitkg/graph/astana-2024-11-28-tass>"
    union = int(kg("query", "--sparql", count.format(**{"from": ""}), "--format", "csv")[1].split()[1])
    only_tass = int(kg("query", "--sparql", count.format(**{"from": tass}), "--format", "csv")[1].split()[1])
    assert 0 < only_tass < union


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "particpants"], "kg query: no saved query named 'particpants'"),
        (["query", "participants", "--param", "meeting=nope:x"], "unknown prefix 'nope'"),
        (["query", "participants", "--param", "year=2024"], "query 'participants' has no parameter 'year'"),
        (["query", "participants", "--param", "meeting"], "--param needs name=value"),
        (["query", "--sparql", "SELECT ?x WHERE { ?x ?y }"], "SPARQL syntax error: error at 1:"),
        (["query", "participants", "--format", "turtle"], "cannot be written as 'turtle'"),
        (["query"], "give a saved query NAME"),
        (["describe", "id:no-such-thing"], "the graph says nothing about"),
        (["export", "--graph", "https://example.org/none"], "no graph named"),
    ],
)
def test_errors_are_one_clear_line(kg, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = kg(*argv)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_query_from_a_plain_file(kg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Any .rq file runs, with or without a header; a missing one is named."""
    path = tmp_path / "mine.rq"
    path.write_text("SELECT ?m WHERE { ?m a sk:Session } ORDER BY ?m\n")
    code, out, _ = kg("query", str(path))
    assert code == 0 and "id:csto-csc-2024-11-28" in out
    code, out, err = kg("query", str(tmp_path / "absent.rq"))
    assert code == 1 and "absent.rq: no such file" in err


def test_export(kg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "asserted.trig"
    code, _, err = kg("export", "--format", "trig", "--graph", "asserted", "-o", str(target))
    assert code == 0 and "wrote" in err
    ds = rdflib.Dataset().parse(target, format="trig")
    assert not any(str(g) == "https://w3id.org/summitkg/graph/inferred" for _s, _p, _o, g in ds.quads())
    assert len(ds) > 1000


def test_describe_shows_sources_and_inferences(kg) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = kg("describe", "id:vladimir-putin")
    assert code == 0
    assert out.startswith("id:vladimir-putin  Vladimir Putin")
    assert "http://www.wikidata.org/entity/Q7747" in out
    attended = next(line for line in out.splitlines() if line.strip().startswith("sk:attended"))
    assert attended.rstrip().endswith("inferred (reportedly)")  # derived from a "reportedly" participation
    holds = next(line for line in out.splitlines() if line.strip().startswith("org:holds"))
    assert holds.rstrip().endswith("inferred")
    participant = next(line for line in out.splitlines() if "sk:participant" in line)
    assert "(reportedly)" in participant


def test_stats(kg) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = kg("stats")
    assert code == 0
    assert "statements per graph" in out and "graph:inferred" in out and "foaf:Person" in out


def test_check_and_validate(kg) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = kg("check")
    assert code == 0 and out.rstrip().endswith(" passed, 0 failed")
    code, out, _ = kg("validate")
    assert code == 0 and out.startswith("conforms")


def test_query_as_a_process_imports_no_rdflib(built: Settings) -> None:
    """The query path stays light: no rdflib, owlrl, pySHACL or YAML (see benchmarks/query_bench.py)."""
    code = (
        "import sys, runpy; sys.argv = ['kg', 'query', 'participants', '--format', 'csv'];"
        "from kg.cli import main; rc = main(sys.argv[1:]);"
        "bad = [m for m in ('rdflib', 'owlrl', 'pyshacl', 'yaml') if m in sys.modules];"
        "print('HEAVY', bad, file=sys.stderr); sys.exit(rc)"
    )
    env = {**os.environ, "KG_ROOT": str(built.root), "KG_BUILD_DIR": str(built.build_dir)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stderr
