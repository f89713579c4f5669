"""The ``kg`` command: a thin layer over the Python API (each command calls one or two plain functions).

Imports stay inside the commands so that ``kg query`` loads pyoxigraph and nothing heavier.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.config import Settings, settings
from kg.errors import KgError

__all__ = ["main", "make_parser"]

FORMATS_HELP = "table, csv, tsv, json, xml (SELECT/ASK); turtle, nt, jsonld, xml, trig, nquads (CONSTRUCT/DESCRIBE)"


def _out(data: bytes, path: str | None = None) -> None:
    if path:
        Path(path).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_build(args: argparse.Namespace, s: Settings) -> int:
    from kg.build import build

    print(f"building {s.build_dir} from {s.ontology_dir.name}/ and {s.graph_dir.name}/ (base {s.base_iri})")
    report = build(s, log=print)
    for w in report.warnings:
        print("  " + w)
    total = sum(t for _n, t, _c in report.stages)
    print(
        f"built {report.build_id[:12]} in {total:.2f} s: " + ", ".join(f"{n} {t:.2f} s" for n, t, _c in report.stages)
    )
    return 0


def cmd_queries(args: argparse.Namespace, s: Settings) -> int:
    from kg.catalog import load_catalog

    catalog = load_catalog(s)
    if args.json:
        import json

        data = [
            {
                "name": q.name,
                "summary": q.summary,
                "tags": list(q.tags),
                "parameters": [p.as_dict() for p in q.parameters],
            }
            for q in catalog.values()
        ]
        print(json.dumps(data, indent=1))
        return 0
    for q in catalog.values():
        params = " ".join(
            f"{p.name}:{p.type}" + (f"={p.default}" if p.default is not None else "") for p in q.parameters
        )
        print(f"{q.name:<28} {q.summary}")
        if params:
            print(f"{'':<28}   params: {params}")
    return 0


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise KgError(f"--param needs name=value, got {pair!r}")
        out[key.strip()] = value
    return out


def cmd_query(args: argparse.Namespace, s: Settings) -> int:
    from kg.catalog import find_query, parse_query_file
    from kg.query import format_result, run_query
    from kg.store import open_store

    params = _parse_params(args.param)
    if args.sparql is not None:
        if args.name:
            raise KgError("give a query NAME or FILE, or --sparql TEXT, not both")
        if params:
            raise KgError("--param applies to saved queries, not to --sparql")
        text = args.sparql
    elif not args.name:
        raise KgError("give a saved query NAME, a .rq FILE, or --sparql TEXT (see `kg queries`)")
    else:
        path = Path(args.name)
        is_file = path.suffix == ".rq" or "/" in args.name
        q = parse_query_file(path, require_header=False) if is_file else find_query(s, args.name)
        text = q.bind(params, s.prefixes)
    if args.endpoint:
        from kg.remote import run_remote

        _out(run_remote(args.endpoint, text, args.format, s, scope=args.graph), args.output)
        return 0
    store = open_store(s)
    result = run_query(store, text, s, scope=args.graph)
    _out(format_result(result, args.format, s), args.output)
    return 0


def cmd_export(args: argparse.Namespace, s: Settings) -> int:
    from kg.export import scope_quads, serialize
    from kg.store import open_store

    store = open_store(s)
    data = serialize(scope_quads(store, args.graph, s), args.format, s)
    _out(data, args.output)
    if args.output:
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace, s: Settings) -> int:
    from kg.load import load_sources
    from kg.reason import reason
    from kg.validate import validate

    sources = load_sources(s)
    inferred = reason(sources.quads, s, sources.files)
    results = validate({q.triple for q in sources.quads} | set(inferred.all()), sources.shapes, s)
    for r in results:
        print(r.line())
    print(
        f"conforms: {len(sources.quads)} asserted and {len(inferred)} inferred statements satisfy {s.shapes_file.name}"
    )
    return 0


def cmd_check(args: argparse.Namespace, s: Settings) -> int:
    from kg.checks import run_checks
    from kg.store import open_store

    results = run_checks(open_store(s), s, fail=False)
    for r in results:
        print(f"{'ok  ' if r.ok else 'FAIL'} {r.name}: {r.summary}" + ("" if r.ok else f"\n{r.table}"))
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_stats(args: argparse.Namespace, s: Settings) -> int:
    from kg.stats import stats_text
    from kg.store import open_store

    print(stats_text(open_store(s), s), end="")
    return 0


def cmd_describe(args: argparse.Namespace, s: Settings) -> int:
    from kg.catalog import expand_iri
    from kg.describe import describe, describe_text
    from kg.store import open_store

    iri = expand_iri(args.resource, s.prefixes, what="resource")
    d = describe(open_store(s), iri, s)
    if not d.exists:
        raise KgError(f"the graph says nothing about <{iri}>")
    print(describe_text(d, s), end="")
    return 0


def cmd_publish(args: argparse.Namespace, s: Settings) -> int:
    from kg.publish import make_auth, publish, write_bulk

    if not args.store and not args.bulk:
        raise KgError("give --store URL (a Graph Store Protocol endpoint) or --bulk DIR, or both")
    if args.bulk:
        bulk = write_bulk(s, Path(args.bulk), graphs=args.graph, log=print)
        print(
            f"wrote {len(bulk.files)} bulk-load files ({sum(f['triples'] for f in bulk.files)} quads) "
            f"to {bulk.directory} in {bulk.seconds:.2f} s"
        )
    if args.store:
        auth = make_auth(args.auth, args.token_env)
        report = publish(s, args.store, query_endpoint=args.query_endpoint, auth=auth, graphs=args.graph, log=print)
        print(
            f"published build {report.build_id[:12]}: {len(report.graphs)} graphs, {report.triples} triples "
            f"to {report.store_url} in {report.seconds:.2f} s, counts verified"
        )
    return 0


def cmd_serve(args: argparse.Namespace, s: Settings) -> int:
    from kg.serve.app import run_serve
    from kg.serve.options import ServeOptions

    run_serve(s, ServeOptions.from_args(args))
    return 0


def _args_queries(qs: argparse.ArgumentParser) -> None:
    qs.add_argument("--json", action="store_true", help="as JSON")


def _args_query(q: argparse.ArgumentParser) -> None:
    q.add_argument("name", nargs="?", metavar="NAME|FILE", help="saved query name (see `kg queries`) or .rq file")
    q.add_argument("--sparql", metavar="TEXT", help="SPARQL text to run instead of a saved query")
    q.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of the saved query (repeatable); IRIs as id:csto or <https://...>",
    )
    q.add_argument("--format", "-f", default="table", metavar="FORMAT", help=FORMATS_HELP)
    q.add_argument(
        "--graph",
        "-g",
        default="all",
        choices=["asserted", "inferred", "all"],
        help="which graphs make the default graph (default: all)",
    )
    q.add_argument("--endpoint", metavar="URL", help="run against this SPARQL endpoint instead of the build")
    q.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")


def _args_export(e: argparse.ArgumentParser) -> None:
    e.add_argument(
        "--format",
        "-f",
        default="turtle",
        metavar="FORMAT",
        help="turtle, trig, nt, nquads, jsonld, xml (default: turtle)",
    )
    e.add_argument(
        "--graph",
        "-g",
        default="all",
        metavar="GRAPH",
        help="asserted, inferred, all (default) or a named graph IRI",
    )
    e.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")


def _args_describe(d: argparse.ArgumentParser) -> None:
    d.add_argument("resource", metavar="IRI", help="an IRI or a prefixed name such as id:csto")


def _args_publish(pb: argparse.ArgumentParser) -> None:
    pb.add_argument(
        "--store",
        metavar="URL",
        help="Graph Store Protocol endpoint, e.g. http://host:7878/store (Oxigraph) or "
        "http://host:8890/sparql-graph-crud-auth (Virtuoso)",
    )
    pb.add_argument(
        "--query-endpoint",
        metavar="URL",
        help="SPARQL endpoint used to verify the counts (default: the one beside --store)",
    )
    who = pb.add_mutually_exclusive_group()
    who.add_argument(
        "--auth",
        metavar="USER:PASSWORD",
        help="HTTP Digest or Basic credentials, as the server asks (USER alone: password from KG_STORE_PASSWORD)",
    )
    who.add_argument("--token-env", metavar="VAR", help="send the bearer token held in environment variable VAR")
    pb.add_argument(
        "--graph",
        "-g",
        action="append",
        metavar="IRI",
        help="publish only this graph (IRI or prefixed name, repeatable; default: every built graph)",
    )
    pb.add_argument(
        "--bulk",
        metavar="DIR",
        help="write gzipped N-Quads, one file per graph, and a manifest to DIR for a bulk loader",
    )


def _args_serve(sv: argparse.ArgumentParser) -> None:
    from kg.serve.options import add_arguments  # stdlib only; the server itself loads when it runs

    add_arguments(sv)


def _no_args(_p: argparse.ArgumentParser) -> None:
    pass


#: Every command: its one-line help, the function that runs it and the one that declares its arguments.
COMMANDS: dict[
    str, tuple[str, Callable[[argparse.Namespace, Settings], int], Callable[[argparse.ArgumentParser], None]]
] = {
    "build": ("load, reason, validate, check and write build/ (atomic)", cmd_build, _no_args),
    "queries": ("list the saved queries with their summaries and parameters", cmd_queries, _args_queries),
    "query": ("run a saved query, a .rq file or SPARQL text", cmd_query, _args_query),
    "export": ("write the built graph in a standard format", cmd_export, _args_export),
    "validate": ("reason over the sources and validate them against the SHACL shapes", cmd_validate, _no_args),
    "check": ("run the quality checks (queries/checks/*-violation.rq) on the build", cmd_check, _no_args),
    "stats": ("statements per graph, class and property", cmd_stats, _no_args),
    "describe": ("every statement about a resource, with its sources", cmd_describe, _args_describe),
    "publish": (
        "replace the built graphs on a triple store and verify them; bulk-load files",
        cmd_publish,
        _args_publish,
    ),
    "serve": ("serve the build: SPARQL endpoint, linked data and a query page", cmd_serve, _args_serve),
}


def make_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser.

    Building eleven argparse parsers costs a good part of a query's time, so when ``argv`` names a command only
    that command's parser is built; with no command (``kg --help``), or ``argv=None``, all of them are.
    """
    p = argparse.ArgumentParser(
        prog="kg",
        description="Build, reason over, validate, query, export and serve the summit knowledge graph.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _command(argv) if argv is not None else None
    for name, (help_text, func, declare) in COMMANDS.items():
        if chosen in COMMANDS and name != chosen:
            continue
        sp = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        sp.set_defaults(func=func)
        declare(sp)
    return p


def _command(argv: Sequence[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors meant for people print one line (no traceback) and exit with 1."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = make_parser(argv).parse_args(argv)
    try:
        return int(args.func(args, settings()))
    except KgError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
