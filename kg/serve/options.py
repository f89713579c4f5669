"""Options of ``kg serve``: the command-line flags and the :class:`ServeOptions` they become.

Kept free of heavy imports so that ``kg --help`` stays fast: only :mod:`argparse` and :mod:`dataclasses`.

>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_arguments(p)
>>> o = ServeOptions.from_args(p.parse_args(["--port", "9000", "--timeout", "5"]))
>>> (o.port, o.timeout, o.public_url)
(9000, 5.0, 'http://127.0.0.1:9000')
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, fields

__all__ = ["ServeOptions", "add_arguments"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class ServeOptions:
    """How the server listens, what it allows and how much it spends on one request."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Public URL of the server (what clients see behind a proxy); default ``http://{host}:{port}``.
    base_url: str | None = None
    #: Seconds a query may run before it is stopped and answered with 503.
    timeout: float = 30.0
    #: Largest serialized result in bytes; a larger one is answered with 422, never truncated.
    max_result_bytes: int = 64 * MIB
    #: Largest request body (and query string) in bytes; larger ones get 413 (414 for a URL).
    max_request_bytes: int = 1 * MIB
    #: Allow ``SERVICE`` (federated queries), which makes the server fetch URLs chosen by the client.
    allow_federation: bool = False
    #: Origins allowed by CORS; ``("*",)`` is open for reads, ``()`` turns CORS off.
    cors_origins: tuple[str, ...] = ("*",)
    #: Query worker processes (each holds the store open read-only); default: the number of CPUs.
    workers: int = 0
    #: Bytes of answers kept in memory, keyed by request and build (0 turns the cache off).
    cache_bytes: int = 64 * MIB
    #: ``Cache-Control: max-age`` in seconds for data answers (all carry an ETag from the build).
    max_age: int = 60
    #: Re-open the store when a new build replaces ``build/``.
    reload: bool = True
    log_level: str = "info"

    @property
    def public_url(self) -> str:
        """The server's public URL without a trailing slash."""
        url = self.base_url or f"http://{self.host}:{self.port}"
        return url.rstrip("/")

    @property
    def query_workers(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ServeOptions:
        """Options from parsed arguments; attributes that are missing keep their defaults."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in vars(args).items() if k in known and v is not None}
        if isinstance(values.get("cors_origins"), str):
            values["cors_origins"] = tuple(o.strip() for o in values["cors_origins"].split(",") if o.strip())
        for key in ("max_result_bytes", "max_request_bytes", "cache_bytes"):
            if key in values:
                values[key] = int(values[key])
        return cls(**values)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``kg serve`` flags to ``parser``."""
    d = ServeOptions()
    parser.add_argument("--host", default=d.host, help=f"interface to listen on (default {d.host})")
    parser.add_argument("--port", type=int, default=d.port, help=f"port to listen on (default {d.port})")
    parser.add_argument(
        "--base-url",
        default=None,
        help="public URL of the server, as clients reach it (default http://HOST:PORT); named in the "
        "service description and VoID, and used for links",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=d.timeout,
        help=f"seconds a query may run; longer ones are stopped and answered with 503 (default {d.timeout:g})",
    )
    parser.add_argument(
        "--max-result-bytes",
        type=int,
        default=d.max_result_bytes,
        help=f"largest answer in bytes; larger ones get 422, never a truncated 200 (default {d.max_result_bytes})",
    )
    parser.add_argument(
        "--max-request-bytes",
        type=int,
        default=d.max_request_bytes,
        help=f"largest request body or query string in bytes; larger ones get 413/414 (default {d.max_request_bytes})",
    )
    parser.add_argument(
        "--allow-federation",
        action="store_true",
        default=False,
        help="allow SERVICE in queries (off by default: it makes the server fetch URLs a client names)",
    )
    parser.add_argument(
        "--cors-origins",
        default=",".join(d.cors_origins),
        help="comma-separated origins allowed by CORS; '*' (the default) is open for reads, '' turns CORS off",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=d.workers,
        help="query worker processes (default: one per CPU); a query past its time limit is stopped by "
        "ending its worker",
    )
    parser.add_argument(
        "--cache-bytes",
        type=int,
        default=d.cache_bytes,
        help=f"memory for cached answers, keyed by request and build; 0 turns it off (default {d.cache_bytes})",
    )
    parser.add_argument(
        "--max-age",
        type=int,
        default=d.max_age,
        help=f"Cache-Control max-age in seconds for data answers (default {d.max_age})",
    )
    parser.add_argument(
        "--no-reload",
        dest="reload",
        action="store_false",
        default=True,
        help="do not re-open the store when a new build replaces build/",
    )
    parser.add_argument(
        "--log-level",
        default=d.log_level,
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (default info)",
    )
