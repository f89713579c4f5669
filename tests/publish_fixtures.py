"""A small built project for the publishing and remote-query tests, independent of the article's graph.

It has the repository's ontology, shapes and quality checks, the graph in ``tests/fixtures/publish/graph`` and
the saved queries in ``tests/fixtures/publish/queries``, built with :func:`kg.build.build` like the real one.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.config import CANONICAL_BASE, Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "publish"


def make_project(root: Path, base_iri: str = CANONICAL_BASE) -> Settings:
    """Copy the sources of the fixture project into ``root``, build it there, and return its settings."""
    (root / "ontology").mkdir(parents=True)
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        shutil.copy(f, root / "ontology" / f.name)
    shutil.copytree(ROOT / "queries" / "checks", root / "queries" / "checks")
    for f in sorted((FIXTURE / "queries").glob("*.rq")):
        shutil.copy(f, root / "queries" / f.name)
    shutil.copytree(FIXTURE / "graph", root / "graph")
    settings = Settings(root=root, build_dir=root / "build", base_iri=base_iri)
    build(settings)
    return settings


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content hash and modification time, to show nothing changed."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = f"{hashlib.sha256(p.read_bytes()).hexdigest()} {st.st_mtime_ns}"
    return out


# -- Answers as comparable values ------------------------------------------------------------------------------

#: Blank nodes are renamed by every store they pass through, so answers compare them as one placeholder.
BLANK = ox.BlankNode("blank")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def term_key(term: ox.Term | None) -> ox.Term | None:
    """A term as compared across stores: itself, or :data:`BLANK` for a blank node."""
    return BLANK if isinstance(term, ox.BlankNode) else term


def virtuoso_term(term: ox.Term | None) -> ox.Term | None:
    """Undo Virtuoso's one change to our terms (docs/triple-store.md, "Known differences").

    Virtuoso stores an ``xsd:boolean`` as a number and writes ``true``/``false`` back as ``"1"``/``"0"``
    typed ``xsd:boolean``: the same value in another lexical form, so a different RDF term. Nothing else in the
    fixture or the project's graph changes on its way through Virtuoso (dates, years, integers, language tags,
    Cyrillic, escapes and emoji all come back as sent).
    """
    if isinstance(term, ox.Literal) and term.datatype == XSD_BOOLEAN and term.value in ("0", "1"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=XSD_BOOLEAN)
    return term_key(term)


def answer(
    result: object, key: Callable[[ox.Term | None], ox.Term | None] = term_key, *, multiset: bool = True
) -> tuple[str, object]:
    """A query answer as a value that compares equal across stores, each term passed through ``key``.

    SELECT: the variables and the rows (each a tuple of terms), as a multiset, or as a set when ``multiset`` is
    false; ASK: the boolean; CONSTRUCT and DESCRIBE: the set of triples. Order is ignored (ORDER BY is checked
    by the table tests in test_remote).
    """
    if isinstance(result, ox.QueryBoolean):
        return ("boolean", bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows = Counter(tuple(key(row[n]) for n in names) for row in result)
        return ("solutions", (names, rows if multiset else set(rows)))
    triples = {
        ox.Triple(key(t.subject), t.predicate, key(t.object))  # type: ignore[arg-type]
        for t in result
    }  # type: ignore[attr-defined]
    return ("graph", triples)


@pytest.fixture(scope="module", name="project")
def project_fixture(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture project (tests/fixtures/publish), built once per test module that imports this fixture."""
    return make_project(tmp_path_factory.mktemp("publish") / "project")
