"""The built store: where a build lives, whether it is fresh, and opening its pyoxigraph store.

This module sits on the query path, so it imports nothing heavier than pyoxigraph and the standard library.
A build is fresh when every source file (ontology, graph, checks) has the content the build was made from;
size and modification time answer that cheaply, and a content hash settles the cases they cannot.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import StaleBuildError

TYPE_CHECKING = False  # importing typing would slow the query path
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MANIFEST",
    "STAMPS",
    "check_fresh",
    "open_store",
    "read_manifest",
    "recover_interrupted",
    "source_files",
]

MANIFEST = "manifest.json"
STAMPS = ".stamps.json"


def source_files(settings: Settings) -> list[Path]:
    """The files a build is made from, in a stable order."""
    files: list[Path] = []
    files += sorted(settings.ontology_dir.glob("*.ttl"))
    files += sorted(settings.graph_dir.glob("*.trig")) + sorted(settings.graph_dir.glob("*.ttl"))
    files += sorted(settings.checks_dir.glob("*.rq"))
    return files


def _rel(settings: Settings, path: Path) -> str:
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return str(path)


def file_digest(path: Path) -> str:
    import hashlib  # only when sizes and times disagree

    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_digests(settings: Settings) -> dict[str, str]:
    return {_rel(settings, p): file_digest(p) for p in source_files(settings)}


def source_stamps(settings: Settings) -> dict[str, list[int]]:
    out = {}
    for p in source_files(settings):
        st = p.stat()
        out[_rel(settings, p)] = [st.st_size, st.st_mtime_ns]
    return out


def recover_interrupted(settings: Settings) -> None:
    """Put the last good build back if a build was interrupted between its two final renames."""
    previous = settings.build_dir.with_name(settings.build_dir.name + ".previous")
    if previous.is_dir():
        if not settings.build_dir.exists():
            previous.rename(settings.build_dir)
        else:
            import shutil  # rarely needed; kept off the query path

            shutil.rmtree(previous, ignore_errors=True)


def read_manifest(settings: Settings) -> dict[str, Any]:
    """The manifest of the current build; :class:`StaleBuildError` when there is none."""
    recover_interrupted(settings)
    try:
        data: dict[str, Any] = json.loads((settings.build_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StaleBuildError(f"no build in {settings.build_dir}: run `kg build` first") from None
    return data


def check_fresh(settings: Settings, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the manifest if the build matches its sources, else raise :class:`StaleBuildError` naming a file."""
    manifest = manifest or read_manifest(settings)
    if manifest.get("base_iri") != settings.base_iri:
        raise StaleBuildError(
            f"the build in {settings.build_dir} was made for base {manifest.get('base_iri')} "
            f"but KG_BASE_IRI is {settings.base_iri}: run `kg build`"
        )
    built: dict[str, str] = manifest["sources"]
    stamps_file = settings.build_dir / STAMPS
    try:
        stamps = json.loads(stamps_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamps = {}
    now = source_stamps(settings)
    if now == stamps and set(now) == set(built):
        return manifest
    changed = sorted(set(now) ^ set(built))
    if not changed:
        for rel in sorted(now):
            if now[rel] != stamps.get(rel) and file_digest(settings.root / rel) != built[rel]:
                changed.append(rel)
    if changed:
        what = ", ".join(changed[:3]) + (" and more" if len(changed) > 3 else "")
        raise StaleBuildError(f"the build is older than its sources ({what} changed): run `kg build`")
    _write_atomic(stamps_file, json.dumps(now, sort_keys=True).encode())
    return manifest


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


def open_store(settings: Settings, *, check: bool = True) -> ox.Store:
    """Open the built store read-only (several readers may share it), after checking the build is fresh."""
    if check:
        check_fresh(settings)
    else:
        read_manifest(settings)
    return ox.Store.read_only(str(settings.store_dir))
