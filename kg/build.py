"""``kg build``: load, reason, validate, check, write the outputs and the store, atomically.

Everything is written to ``<build>.partial`` next to the build folder; only when every stage has passed does it
replace the build folder (two renames; :func:`kg.store.recover_interrupted` mends the moment in between). A
failed or interrupted build therefore leaves the previous build as it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.catalog import load_catalog
from kg.config import Settings
from kg.errors import BuildError, KgError
from kg.export import jsonld_context, serialize, sort_key
from kg.load import graph_name
from kg.store import MANIFEST, STAMPS, recover_interrupted, source_digests, source_stamps

__all__ = ["OUTPUT_FORMATS", "BuildReport", "build"]

#: Output files per graph scope: ``{scope}.{ext}``.
OUTPUT_FORMATS = {"turtle": "ttl", "trig": "trig", "nt": "nt", "nquads": "nq", "jsonld": "jsonld"}


@dataclass
class BuildReport:
    """What a build did: per stage its time in seconds and a line of counts."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    build_id: str = ""


def _role(iri: str, settings: Settings) -> str:
    if iri == settings.ontology_iri:
        return "ontology"
    if iri in settings.inferred_graphs:
        return "inferred"
    if iri == settings.void_graph:
        return "description"
    return "data"


def build(settings: Settings, *, log: Callable[[str], None] = lambda _s: None) -> BuildReport:
    """Build ``settings.build_dir`` from the sources; raise :class:`BuildError` and keep the old build on failure."""
    from kg.checks import run_checks
    from kg.load import load_sources
    from kg.reason import reason
    from kg.validate import validate
    from kg.void import void_triples

    report = BuildReport()
    recover_interrupted(settings)

    def stage(name: str, started: float, counts: str) -> None:
        took = time.perf_counter() - started
        report.stages.append((name, took, counts))
        log(f"{name:<10} {took:7.2f} s  {counts}")

    t = time.perf_counter()
    sources = load_sources(settings)
    # headers and syntax of the checks and saved queries, on an empty store: a broken file fails in a moment,
    # not after reasoning
    run_checks(ox.Store(), settings, fail=False)
    _try_saved_queries(ox.Store(), settings)
    stage(
        "load",
        t,
        f"{len(sources.quads)} statements in {len(sources.graph_names())} graphs, "
        f"{len(sources.shapes)} shape statements",
    )

    t = time.perf_counter()
    inferred = reason(sources.quads, settings, sources.files)
    stage(
        "reason",
        t,
        f"{len(inferred)} statements inferred ({len(inferred.reported)} of them only reportedly so), consistent",
    )

    t = time.perf_counter()
    asserted_triples = {q.triple for q in sources.quads}
    results = validate(asserted_triples | set(inferred.all()), sources.shapes, settings)
    report.warnings += [r.line() for r in results]
    stage(
        "validate",
        t,
        f"conforms to {settings.shapes_file.name}" + (f" ({len(results)} warnings)" if results else ""),
    )

    firm_graph, reported_graph = (ox.NamedNode(g) for g in settings.inferred_graphs)
    inferred_quads = {ox.Quad(tr.subject, tr.predicate, tr.object, firm_graph) for tr in inferred.firm}
    inferred_quads |= {ox.Quad(tr.subject, tr.predicate, tr.object, reported_graph) for tr in inferred.reported}
    quads = sorted(set(sources.quads) | inferred_quads, key=sort_key)
    roles = {g: _role(g, settings) for g in sorted({graph_name(q) for q in quads})}
    void_name = ox.NamedNode(settings.void_graph)
    roles[void_name.value] = "description"
    quads += [ox.Quad(tr.subject, tr.predicate, tr.object, void_name) for tr in void_triples(quads, settings, roles)]
    quads.sort(key=sort_key)

    t = time.perf_counter()
    memory = ox.Store()
    memory.extend(quads)
    checks = run_checks(memory, settings)
    saved = _try_saved_queries(memory, settings)
    stage("check", t, f"{len(checks)} checks passed, {saved} saved queries parse and run")

    partial = settings.build_dir.with_name(settings.build_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        t = time.perf_counter()
        scopes = {
            "asserted": [q for q in quads if graph_name(q) not in settings.inferred_graphs],
            "inferred": [q for q in quads if graph_name(q) in settings.inferred_graphs],
            "complete": quads,
        }
        files = 0
        for scope, qs in scopes.items():
            for fmt, ext in OUTPUT_FORMATS.items():
                (partial / f"{scope}.{ext}").write_bytes(serialize(qs, fmt, settings))
                files += 1
        (partial / "context.jsonld").write_text(
            json.dumps(jsonld_context(settings.prefixes), indent=1) + "\n", encoding="utf-8"
        )
        (partial / "void.ttl").write_bytes(
            serialize([q for q in quads if q.graph_name == void_name], "turtle", settings)
        )
        complete_nq = (partial / "complete.nq").read_bytes()
        report.build_id = hashlib.sha256(complete_nq).hexdigest()
        counts: dict[str, int] = {}
        for q in quads:
            counts[graph_name(q)] = counts.get(graph_name(q), 0) + 1
        report.graphs = counts
        manifest = {
            "base_iri": settings.base_iri,
            "build_id": report.build_id,
            "graphs": [
                {"iri": g, "role": roles[g], "triples": counts[g], "file": sources.files.get(g)} for g in sorted(counts)
            ],
            "triples": {scope: len(qs) for scope, qs in scopes.items()},
            "sources": source_digests(settings),
        }
        stage("export", t, f"{files + 2} files, {len(quads)} quads")

        t = time.perf_counter()
        store = ox.Store(str(partial / "store"))
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
        del store
        stage("store", t, f"{len(quads)} quads in {settings.build_dir.name}/store")

        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        (partial / STAMPS).write_text(json.dumps(source_stamps(settings), sort_keys=True), encoding="utf-8")
        _swap(partial, settings.build_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    load_catalog(settings)  # caches the parsed headers, so that queries need no YAML
    return report


def _try_saved_queries(store: ox.Store, settings: Settings) -> int:
    """Every saved query must parse and run with its defaults; a broken one fails the build, naming the file."""
    from kg.query import run_query

    catalog = load_catalog(settings)
    for q in catalog.values():
        try:
            result = run_query(store, q.bind({}, settings.prefixes), settings)
            if isinstance(result, ox.QuerySolutions):
                list(result)
        except KgError as exc:
            raise BuildError(f"{q.path}: {exc}") from None
    return len(catalog)


def _swap(partial: Path, target: Path) -> None:
    previous = target.with_name(target.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    partial.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
