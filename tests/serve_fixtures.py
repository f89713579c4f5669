"""A small build of our own for the server's tests: a TriG dataset written into a pyoxigraph store under a
temporary ``build/``, with a manifest and a few saved queries, plus ways to serve it (in-process client or a
real uvicorn server on a free loopback port).

The data follows the project's layout: instances under ``{base}id/``, named graphs under ``{base}graph/``
attributed to their sources with PROV-O, one hedged graph, an inferred graph, and the ontology in its own graph.
It also holds the three graphs of the W3C protocol tests (``http://kasei.us/2009/09/sparql/data/dataN.rdf``).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
from starlette.testclient import TestClient

from kg.config import CANONICAL_BASE, Settings
from kg.serve.app import create_app
from kg.serve.options import ServeOptions

BASE = CANONICAL_BASE
ROOT = Path(__file__).resolve().parent.parent
KASEI = "http://kasei.us/2009/09/sparql/data/"

TRIG = """
@prefix sk: <https://w3id.org/summitkg/ontology#> .
@prefix id: <https://w3id.org/summitkg/id/> .
@prefix graph: <https://w3id.org/summitkg/graph/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

graph:ontology {
  <https://w3id.org/summitkg/ontology> a owl:Ontology ;
    rdfs:label "Summit ontology"@en ;
    dcterms:title "Summit ontology"@en ;
    owl:versionInfo "0.1" .
  sk:Meeting a owl:Class ;
    rdfs:label "Meeting"@en ;
    rdfs:comment "A session of a body of an organization."@en ;
    rdfs:subClassOf schema:Event ;
    rdfs:isDefinedBy <https://w3id.org/summitkg/ontology> .
  sk:chairedBy a owl:ObjectProperty ;
    rdfs:label "chaired by"@en ;
    rdfs:comment "The state or person chairing a meeting."@en ;
    rdfs:domain sk:Meeting ;
    rdfs:isDefinedBy <https://w3id.org/summitkg/ontology> .
  sk:hedged a owl:DatatypeProperty ;
    rdfs:label "hedged"@en ;
    rdfs:isDefinedBy <https://w3id.org/summitkg/ontology> .
}

graph:provenance {
  graph:tass prov:wasAttributedTo id:tass .
  graph:kremlin prov:wasAttributedTo id:kremlin ; sk:hedged true .
}

graph:tass {
  id:tass a org:Organization ; rdfs:label "TASS"@en .
  id:kremlin a org:Organization ; rdfs:label "Kremlin press service"@en .
  id:csto a org:FormalOrganization ;
    rdfs:label "Collective Security Treaty Organization"@en ;
    skos:exactMatch wd:Q11113 .
  id:csc-2024 a sk:Meeting ;
    rdfs:label "CSTO Collective Security Council, Astana, 2024"@en ;
    schema:location id:astana ;
    schema:startDate "2024-11-28"^^<http://www.w3.org/2001/XMLSchema#date> ;
    schema:attendee id:putin, id:tokayev ;
    sk:chairedBy id:kazakhstan .
  id:astana a schema:City ; rdfs:label "Astana"@en ; rdfs:label "Астана"@ru .
  id:putin a foaf:Person ; rdfs:label "Vladimir Putin"@en .
  id:tokayev a foaf:Person ; rdfs:label "Kassym-Jomart Tokayev"@en .
  id:kazakhstan a schema:Country ; rdfs:label "Kazakhstan"@en .
}

graph:kremlin {
  id:csc-2024 schema:attendee id:lukashenko .
  id:lukashenko a foaf:Person ; rdfs:label "Alexander Lukashenko"@en .
}

graph:inferred {
  id:csc-2024 a schema:Event .
}

<http://kasei.us/2009/09/sparql/data/data1.rdf> {
  <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document .
}
<http://kasei.us/2009/09/sparql/data/data2.rdf> {
  <http://kasei.us/2009/09/sparql/data/data2.rdf> a foaf:Document .
}
<http://kasei.us/2009/09/sparql/data/data3.rdf> {
  <http://kasei.us/2009/09/sparql/data/data3.rdf> a foaf:Document .
}
"""

QUERIES = {
    "attendees.rq": """#+ summary: Who took part in a meeting
#+ description: Everyone reported as attending, with their names.
#+ tags: [meetings, people]
#+ parameters:
#+   meeting:
#+     type: iri
#+     default: id:csc-2024
#+     description: the meeting
SELECT ?person ?name WHERE {
  ?_meeting schema:attendee ?person .
  ?person rdfs:label ?name .
} ORDER BY ?name
""",
    "is-meeting.rq": """#+ summary: Is this resource a meeting
#+ parameters:
#+   thing:
#+     type: iri
#+     default: id:csc-2024
ASK { ?_thing a sk:Meeting }
""",
    "meeting-graph.rq": """#+ summary: Everything stated about a meeting, as a graph
#+ parameters:
#+   meeting:
#+     type: iri
#+     default: id:csc-2024
CONSTRUCT { ?_meeting ?p ?o } WHERE { ?_meeting ?p ?o }
""",
    "since.rq": """#+ summary: Meetings since a year
#+ parameters:
#+   year:
#+     type: integer
#+     default: 2000
SELECT ?m WHERE { ?m schema:startDate ?d FILTER(YEAR(?d) >= ?_year) }
""",
}

#: A query that runs for minutes on the fixture (a five-way cross product), to prove the time limit.
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def make_build(root: Path, trig: str = TRIG) -> Settings:
    """Write a project tree with a build of ``trig`` under ``root``; its settings."""
    settings = Settings(root=root, build_dir=root / "build")
    (root / "queries").mkdir(parents=True, exist_ok=True)
    for name, text in QUERIES.items():
        (root / "queries" / name).write_text(text, encoding="utf-8")
    write_store(settings, trig)
    return settings


def write_store(settings: Settings, trig: str) -> None:
    """(Re)write the build: a fresh directory renamed into place, as ``kg build`` does."""
    tmp = settings.build_dir.with_name(settings.build_dir.name + ".new")
    tmp.mkdir(parents=True)
    store = ox.Store(str(tmp / "store"))
    store.load(trig.encode(), ox.RdfFormat.TRIG)
    graphs = []
    for g in sorted(store.named_graphs(), key=str):
        n = sum(1 for _ in store.quads_for_pattern(None, None, None, g))
        role = {"ontology": "ontology", "inferred": "inferred"}.get(g.value.rsplit("/", 1)[-1], "asserted")
        graphs.append({"iri": g.value, "triples": n, "role": role})
    store.flush()
    del store
    gc.collect()
    manifest = {
        "base_iri": settings.base_iri,
        "build_id": hashlib.sha256(trig.encode()).hexdigest(),
        "graphs": graphs,
        "sources": {},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    old = settings.build_dir.with_name(settings.build_dir.name + ".old")
    if settings.build_dir.exists():
        settings.build_dir.rename(old)
    tmp.rename(settings.build_dir)
    if old.exists():
        import shutil

        shutil.rmtree(old)


@contextmanager
def serve_client(root: Path, **options: object) -> Iterator[TestClient]:
    """An in-process client of the app serving a fresh fixture build (query workers started and stopped)."""
    settings = make_build(root)
    opts = ServeOptions(**{"workers": 2, "timeout": 20.0, **options})  # type: ignore[arg-type]
    app = create_app(settings, opts)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def real_server(root: Path, *args: str) -> Iterator[str]:
    """``python -m kg.serve`` on a free loopback port, serving a fixture build; yields its URL."""
    settings = make_build(root)
    port = free_port()
    env = {**os.environ, "KG_ROOT": str(root), "KG_BUILD_DIR": str(settings.build_dir)}
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.serve", "--port", str(port), "--workers", "1", "--log-level", "warning", *args],
        env=env,
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"kg serve exited with {proc.returncode}: {out}")
            try:
                if httpx.get(url + "/sparql", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("kg serve did not start within 30 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
