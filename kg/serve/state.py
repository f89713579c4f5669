"""What the server holds between requests: the open store, its manifest, the saved queries, the query workers
and the answer cache; and noticing a new build, which ``kg build`` puts in place by renaming ``build/`` whole.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pyoxigraph as ox

from kg.catalog import SavedQuery, load_catalog
from kg.config import Settings
from kg.errors import KgError, StaleBuildError
from kg.serve.caching import AnswerCache
from kg.serve.options import ServeOptions
from kg.serve.pages import Linker
from kg.serve.worker import QueryPool
from kg.store import MANIFEST, check_fresh, read_manifest

__all__ = ["Build", "ServerState"]

log = logging.getLogger("kg.serve")
#: How often (seconds) the server looks for a new build or changed saved queries.
CHECK_INTERVAL = 1.0


@dataclass(frozen=True)
class Build:
    """One build as the server sees it: its manifest and its store, opened read-only."""

    manifest: dict[str, Any]
    store: ox.Store
    build_id: str
    graphs: frozenset[str] = field(default_factory=frozenset)


def _open(settings: Settings, manifest: dict[str, Any]) -> Build:
    store = ox.Store.read_only(str(settings.store_dir))
    graphs = frozenset(str(g["iri"]) for g in manifest.get("graphs", []))
    if not graphs:
        graphs = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return Build(manifest, store, str(manifest.get("build_id", "")), graphs)


def _stamp(path: os.PathLike[str] | str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class ServerState:
    """The build being served and everything derived from it; :meth:`refresh` swaps in a new build."""

    def __init__(self, settings: Settings, options: ServeOptions) -> None:
        self.settings = settings
        self.options = options
        manifest = read_manifest(settings)  # StaleBuildError when there is no build
        try:
            check_fresh(settings, manifest)
        except StaleBuildError as exc:
            log.warning("serving the last build anyway: %s", exc)
        except (KgError, OSError, KeyError):
            pass
        self.build = _open(settings, manifest)
        self.catalog: dict[str, SavedQuery] = load_catalog(settings)
        self.pool = QueryPool(str(settings.store_dir), options.query_workers)
        self.cache = AnswerCache(options.cache_bytes)
        self.linker = Linker(settings, urlparse(options.public_url).path.rstrip("/"))
        self._manifest_stamp = _stamp(settings.build_dir / MANIFEST)
        self._checked = time.monotonic()

    def refresh(self) -> None:
        """At most once a second: re-open the store if a new build is in place, re-read the saved queries."""
        if not self.options.reload:
            return
        now = time.monotonic()
        if now - self._checked < CHECK_INTERVAL:
            return
        self._checked = now
        try:
            self.catalog = load_catalog(self.settings)
        except (KgError, OSError) as exc:
            log.warning("keeping the saved queries as they were: %s", exc)
        path = self.settings.build_dir / MANIFEST
        stamp = _stamp(path)
        if stamp is None or stamp == self._manifest_stamp:
            return  # no build in place (a build may be between its renames): keep serving the open one
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if manifest.get("build_id") != self.build.build_id:
                self.build = _open(self.settings, manifest)
                self.cache.clear()
                log.info("serving new build %s", self.build.build_id[:16])
            self._manifest_stamp = stamp
        except (OSError, ValueError) as exc:
            log.warning("keeping the open build: could not open the new one: %s", exc)

    def close(self) -> None:
        self.pool.close()
