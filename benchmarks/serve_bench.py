"""Throughput and latency of ``kg serve`` against Oxigraph's server and rdflib-endpoint, on the same build.

Each server gets the saved-query mix (every ``queries/*.rq`` with its default parameters, project prefixes
declared in the text so every server reads the same query) from N concurrent keep-alive clients on loopback
for a bounded time, after one warm-up pass. Printed: requests per second, latency percentiles, errors, and the
ratios against the targets (at least 0.5x Oxigraph, at least 10x rdflib-endpoint).

    python benchmarks/serve_bench.py [--seconds 10] [--clients 8] [--only kg,oxigraph,rdflib]

``kg serve`` runs twice: as configured by default (answer cache on, the way it is deployed) and with the cache
off (``--cache-bytes 0``), so the figure without caching is on record too. Needs a build (``kg build``).
The load generator is a small asyncio HTTP/1.1 client, far cheaper per request than httpx, so that the client
is not what is measured; it shares the machine's cores with the server under test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.catalog import load_catalog  # noqa: E402
from kg.config import Settings, settings  # noqa: E402

BIN = Path(sys.executable).parent
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def query_mix(s: Settings) -> list[tuple[str, str]]:
    """(name, text) of every saved query with its defaults, with the project's prefixes declared."""
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in s.prefixes.items())
    out = []
    for name, q in sorted(load_catalog(s).items()):
        out.append((name, header + s.rebase(q.bind({}, s.prefixes))))
    return out


# -- a small HTTP/1.1 client ------------------------------------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    """Status and body length of one response (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        key = key.strip().lower()
        if key == b"content-length":
            length = int(value.strip())
        elif key == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return status, total
    if length is None:
        raise RuntimeError("response without length")
    await reader.readexactly(length)
    return status, length


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


async def _client(host: str, port: int, requests: list[bytes], start: int, deadline: float, stats: Stats) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = start
    try:
        while time.perf_counter() < deadline:
            req = requests[i % len(requests)]
            i += 1
            t0 = time.perf_counter()
            writer.write(req)
            try:
                status, _ = await asyncio.wait_for(_read_response(reader), timeout=120)
            except (asyncio.IncompleteReadError, ConnectionError, TimeoutError, RuntimeError):
                stats.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            stats.latencies.append(time.perf_counter() - t0)
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            if status != 200:
                stats.errors += 1
    finally:
        writer.close()


def build_requests(host: str, port: int, path: str, mix: list[tuple[str, str]]) -> list[bytes]:
    return [
        (
            f"GET {path}?query={quote(text)} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {ACCEPT}\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode()
        for _, text in mix
    ]


async def _load(host: str, port: int, requests: list[bytes], clients: int, seconds: float) -> tuple[Stats, float]:
    # warm-up: every query once, in order, on one connection
    reader, writer = await asyncio.open_connection(host, port)
    for req in requests:
        writer.write(req)
        await _read_response(reader)
    writer.close()
    stats = Stats()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client(host, port, requests, k * 3, deadline, stats) for k in range(clients)))
    return stats, time.perf_counter() - started


def measure(url: str, path: str, mix: list[tuple[str, str]], clients: int, seconds: float) -> dict[str, float]:
    host, port = url.removeprefix("http://").split(":")
    requests = build_requests(host, int(port), path, mix)
    stats, elapsed = asyncio.run(_load(host, int(port), requests, clients, seconds))
    lat = sorted(stats.latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    ok = sum(n for s, n in stats.statuses.items() if s == 200)
    return {
        "rps": ok / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "requests": len(lat),
        "errors": stats.errors,
    }


def check_answers(url: str, path: str, mix: list[tuple[str, str]]) -> dict[str, int]:
    """Rows (or triples) of each query's answer, to show every server answers the same questions the same."""
    import json

    import httpx

    counts = {}
    with httpx.Client(timeout=120) as client:
        for name, text in mix:
            r = client.get(url + path, params={"query": text}, headers={"Accept": ACCEPT})
            if r.status_code != 200:
                counts[name] = -r.status_code
            elif r.headers.get("content-type", "").startswith("application/sparql-results+json"):
                data = json.loads(r.content)
                counts[name] = len(data["results"]["bindings"]) if "results" in data else int(data["boolean"])
            else:
                counts[name] = sum(1 for line in r.text.splitlines() if line.strip().endswith((".", ";", ",")))
    return counts


# -- the servers -------------------------------------------------------------------------------------------


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url + "/sparql?query=ASK%7B%7D", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


@contextmanager
def _process(cmd: list[str], url: str, env: dict[str, str] | None = None) -> Iterator[str]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT))
    try:
        _wait(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def kg_server(s: Settings, *extra: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "KG_ROOT": str(s.root), "KG_BUILD_DIR": str(s.build_dir)}
    cmd = [sys.executable, "-m", "kg.serve", "--port", str(port), "--log-level", "warning", *extra]
    with _process(cmd, f"http://127.0.0.1:{port}", env) as url:
        yield url


def dump_nquads(s: Settings, target: Path) -> Path:
    complete = s.build_dir / "complete.nq"
    if complete.is_file():
        return complete
    import pyoxigraph as ox

    store = ox.Store.read_only(str(s.store_dir))
    store.dump(str(target), ox.RdfFormat.N_QUADS)
    return target


@contextmanager
def oxigraph_server(nquads: Path, tmp: Path) -> Iterator[str]:
    location = tmp / "oxigraph"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(nquads)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = free_port()
    cmd = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    with _process(cmd, f"http://127.0.0.1:{port}") as url:
        yield url


@contextmanager
def rdflib_server(nquads: Path) -> Iterator[str]:
    port = free_port()
    cmd = [str(BIN / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)]
    with _process(cmd, f"http://127.0.0.1:{port}") as url:
        yield url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per server (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients (default 8)")
    parser.add_argument(
        "--only",
        default="kg,kg-nocache,oxigraph,rdflib",
        help="comma-separated servers to measure (kg, kg-nocache, oxigraph, rdflib)",
    )
    args = parser.parse_args(argv)
    s = settings()
    if not (s.build_dir / "manifest.json").is_file():
        print(f"no build in {s.build_dir}: run `kg build` first", file=sys.stderr)
        return 1
    mix = query_mix(s)
    wanted = set(args.only.split(","))
    print(
        f"{len(mix)} saved queries, {args.clients} clients, {args.seconds:g} s per server, "
        f"{os.cpu_count()} CPUs, loopback",
        flush=True,
    )
    results: dict[str, dict[str, float]] = {}
    answers: dict[str, dict[str, int]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    try:
        nquads = dump_nquads(s, tmp / "complete.nq")
        runs = [
            ("kg", lambda: kg_server(s), "/sparql"),
            ("kg-nocache", lambda: kg_server(s, "--cache-bytes", "0"), "/sparql"),
            ("oxigraph", lambda: oxigraph_server(nquads, tmp), "/query"),
            ("rdflib", lambda: rdflib_server(nquads), "/"),
        ]
        for name, start, path in runs:
            if name not in wanted:
                continue
            with start() as url:
                answers[name] = check_answers(url, path, mix)
                results[name] = measure(url, path, mix, args.clients, args.seconds)
            r = results[name]
            print(
                f"{name:<11} {r['rps']:9.1f} req/s   p50 {r['p50']:8.2f} ms   p95 {r['p95']:8.2f} ms   "
                f"p99 {r['p99']:8.2f} ms   ({int(r['requests'])} requests, {int(r['errors'])} errors)",
                flush=True,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if "kg" in answers:
        for other in ("oxigraph", "rdflib"):
            if other in answers:
                differ = sorted(n for n in answers["kg"] if answers["kg"][n] != answers[other].get(n))
                print(
                    f"answers kg vs {other}: "
                    + ("same sizes for every query" if not differ else f"sizes differ for {', '.join(differ)}")
                )
    for name in ("kg", "kg-nocache"):
        if name not in results:
            continue
        if "oxigraph" in results:
            ratio = results[name]["rps"] / results["oxigraph"]["rps"]
            verdict = "met" if ratio >= 0.5 else "NOT met"
            print(f"{name} / oxigraph throughput: {ratio:6.2f}x  (target >= 0.5x: {verdict})")
        if "rdflib" in results:
            ratio = results[name]["rps"] / results["rdflib"]["rps"]
            print(
                f"{name} / rdflib-endpoint throughput: {ratio:6.1f}x  "
                f"(target >= 10x: {'met' if ratio >= 10 else 'NOT met'})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
