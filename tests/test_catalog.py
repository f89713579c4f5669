"""Saved-query headers and parameter binding (kg.catalog)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.catalog import Parameter, expand_iri, load_catalog, parse_query_file
from kg.config import Settings
from kg.errors import KgError, ParameterError, UnknownQueryError

PREFIXES = Settings().prefixes
ID = "https://w3id.org/summitkg/id/"

QUERY = """#+ summary: Who attended
#+ description: A test query.
#+ tags: [meetings]
#+ parameters:
#+   meeting:
#+     type: iri
#+     default: id:m1
#+   year:
#+     type: integer
#+     default: 2024
SELECT ?who WHERE { ?_meeting <https://schema.org/attendee> ?who . FILTER(?y = ?_year) } ORDER BY ?who
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "queries").mkdir(exist_ok=True)
    path = tmp_path / "queries" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_parses(tmp_path: Path) -> None:
    q = parse_query_file(write(tmp_path, "attended.rq", QUERY))
    assert (q.name, q.summary, q.tags, q.kind) == ("attended", "Who attended", ("meetings",), "SELECT")
    assert [(p.name, p.type, p.default) for p in q.parameters] == [
        ("meeting", "iri", "id:m1"),
        ("year", "integer", "2024"),
    ]


def test_bind_defaults_and_values(tmp_path: Path) -> None:
    q = parse_query_file(write(tmp_path, "attended.rq", QUERY))
    text = q.bind({}, PREFIXES)
    assert f"<{ID}m1> <https://schema.org/attendee>" in text
    assert '"2024"^^<http://www.w3.org/2001/XMLSchema#integer>' in text
    assert "?_" not in text.split("\n", 11)[-1]
    assert f"<{ID}m2>" in q.bind({"meeting": "id:m2"}, PREFIXES)
    assert "<http://example.org/m>" in q.bind({"meeting": "<http://example.org/m>"}, PREFIXES)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"year": "twenty"}, "parameter 'year' must be of type integer, got 'twenty'"),
        ({"meting": "id:m"}, "query 'attended' has no parameter 'meting' (it has: meeting, year)"),
        ({"meeting": "nope:x"}, "unknown prefix 'nope'"),
        ({"meeting": "not an iri"}, "is not an IRI or a prefixed name"),
        ({"meeting": "<http://a b>"}, "is not a valid absolute IRI"),
    ],
)
def test_bad_parameters_are_named(tmp_path: Path, values: dict[str, str], message: str) -> None:
    q = parse_query_file(write(tmp_path, "attended.rq", QUERY))
    with pytest.raises(ParameterError, match=".*" + message.replace("(", r"\(").replace(")", r"\)")):
        q.bind(values, PREFIXES)


def test_required_parameter_without_default(tmp_path: Path) -> None:
    text = QUERY.replace("#+     default: id:m1\n", "")
    q = parse_query_file(write(tmp_path, "attended.rq", text))
    with pytest.raises(ParameterError, match="needs parameter 'meeting'"):
        q.bind({}, PREFIXES)


def test_string_parameter_is_escaped() -> None:
    assert Parameter("s", "string").to_sparql('a "quoted" \\ word', {}) == '"a \\"quoted\\" \\\\ word"'


def test_string_parameter_cannot_inject() -> None:
    term = Parameter("s", "string").to_sparql('x" } ; DROP ALL ; SELECT * { "', {})
    assert term.startswith('"') and term.endswith('"') and term.count('"') - term.count('\\"') == 2


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#+ summary: [unclosed\n", "header is not valid YAML"),
        ("#+ description: no summary\n", "needs at least '#+ summary: ...'"),
        ("#+ summary: s\n#+ parameters:\n#+   m: {type: colour}\n", "unknown type 'colour'"),
        ("#+ summary: s\n#+ parameters:\n#+   absent: {type: iri}\n", "?_absent does not occur"),
    ],
)
def test_bad_headers_name_the_file(tmp_path: Path, header: str, message: str) -> None:
    path = write(tmp_path, "bad.rq", header + "SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(KgError, match=r".*bad\.rq: .*" + re.escape(message)):
        parse_query_file(path)


def test_catalog_cache_follows_edits(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    settings.build_dir.mkdir()
    path = write(tmp_path, "attended.rq", QUERY)
    assert load_catalog(settings)["attended"].summary == "Who attended"
    assert (settings.build_dir / ".catalog.json").is_file()
    path.write_text(QUERY.replace("Who attended", "Who was there at all"), encoding="utf-8")
    assert load_catalog(settings)["attended"].summary == "Who was there at all"


def test_unknown_query_lists_known(tmp_path: Path) -> None:
    from kg.catalog import find_query

    write(tmp_path, "attended.rq", QUERY)
    with pytest.raises(UnknownQueryError, match=r"no saved query named 'atended'.*known: attended"):
        find_query(Settings(root=tmp_path), "atended")


def test_expand_iri_forms() -> None:
    assert expand_iri("id:csto", PREFIXES) == ID + "csto"
    assert expand_iri("https://example.org/x", PREFIXES) == "https://example.org/x"
    assert expand_iri("urn:isbn:123", PREFIXES) == "urn:isbn:123"
