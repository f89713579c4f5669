"""``kg serve`` options, the light-import promise of the package, and the doctests of every server module."""

from __future__ import annotations

import argparse
import subprocess
import sys

from kg.serve.options import ServeOptions, add_arguments


def parse(*argv: str) -> ServeOptions:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return ServeOptions.from_args(parser.parse_args(list(argv)))


def test_defaults_are_safe() -> None:
    o = parse()
    assert (o.host, o.port) == ("127.0.0.1", 8000)
    assert o.allow_federation is False
    assert o.timeout > 0 and o.max_result_bytes > 0 and o.max_request_bytes > 0
    assert o.cors_origins == ("*",)
    assert o.public_url == "http://127.0.0.1:8000"
    assert o.reload is True


def test_every_flag() -> None:
    o = parse(
        "--host",
        "0.0.0.0",
        "--port",
        "9999",
        "--base-url",
        "https://kg.example.org/",
        "--timeout",
        "2.5",
        "--max-result-bytes",
        "100",
        "--max-request-bytes",
        "200",
        "--allow-federation",
        "--cors-origins",
        "https://a.example, https://b.example",
        "--workers",
        "3",
        "--cache-bytes",
        "0",
        "--max-age",
        "5",
        "--no-reload",
        "--log-level",
        "warning",
    )
    assert o == ServeOptions(
        host="0.0.0.0",
        port=9999,
        base_url="https://kg.example.org/",
        timeout=2.5,
        max_result_bytes=100,
        max_request_bytes=200,
        allow_federation=True,
        cors_origins=("https://a.example", "https://b.example"),
        workers=3,
        cache_bytes=0,
        max_age=5,
        reload=False,
        log_level="warning",
    )
    assert o.public_url == "https://kg.example.org"
    assert o.query_workers == 3
    assert parse("--cors-origins", "").cors_origins == ()


def test_importing_the_options_stays_light() -> None:
    code = (
        "import sys, kg.serve, kg.serve.options; "
        "heavy = [m for m in ('starlette', 'uvicorn', 'pyoxigraph', 'rdflib', 'yaml') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_help_lists_every_option() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    text = parser.format_help()
    for flag in (
        "--host",
        "--port",
        "--base-url",
        "--timeout",
        "--max-result-bytes",
        "--max-request-bytes",
        "--allow-federation",
        "--cors-origins",
        "--workers",
        "--cache-bytes",
        "--max-age",
        "--no-reload",
    ):
        assert flag in text
