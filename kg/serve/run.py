"""Running the server: :func:`run_serve` puts the app on uvicorn, the way ``kg serve`` does."""

from __future__ import annotations

import importlib.util
import sys

from kg.config import Settings
from kg.serve.options import ServeOptions

__all__ = ["run_serve", "uvicorn_config"]


def uvicorn_config(options: ServeOptions) -> dict[str, object]:
    """uvicorn settings: httptools and uvloop when they are installed (faster), h11 and asyncio otherwise."""
    has = importlib.util.find_spec
    return {
        "host": options.host,
        "port": options.port,
        "log_level": options.log_level,
        "http": "httptools" if has("httptools") else "h11",
        "loop": "uvloop" if has("uvloop") else "asyncio",
        "access_log": options.log_level == "debug",
        "proxy_headers": True,
        "server_header": False,
        "timeout_keep_alive": 5,
        # the request-size cap is also enforced per request; this bounds what h11/httptools buffer
        "h11_max_incomplete_event_size": 64 * 1024,
    }


def run_serve(settings: Settings, options: ServeOptions) -> None:
    """Serve the build in ``settings.build_dir`` until interrupted.

    Raises :class:`~kg.errors.StaleBuildError` (before listening) when there is no build.
    """
    import uvicorn

    from kg.serve.app import create_app

    app = create_app(settings, options)
    config = uvicorn_config(options)
    print(
        f"kg serve: {options.public_url}/sparql (query page {options.public_url}/query), "
        f"{options.query_workers} query worker(s), timeout {options.timeout:g} s, "
        f"http={config['http']} loop={config['loop']}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(app, **config)  # type: ignore[arg-type]
