"""The catalog of saved queries: ``queries/*.rq``, each with a header of ``#+ `` lines that parse as YAML.

A header looks like this (grlc style, so the file stays plain SPARQL for any tool)::

    #+ summary: Who took part in a meeting, and in what role
    #+ description: ...
    #+ tags: [meetings, people]
    #+ parameters:
    #+   meeting:
    #+     type: iri
    #+     default: id:csto-csc-2024-11-28
    #+     description: the meeting

In the query body a parameter is the variable ``?_name``; binding replaces it with the value written as a SPARQL
term, so the same text runs on the embedded store and on any remote endpoint.

Parsing YAML costs more than answering a query, so parsed headers are cached in ``build/.catalog.json`` and
re-read only for files whose size or modification time changed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from kg.config import Settings
from kg.errors import KgError, ParameterError, UnknownQueryError
from kg.sparqltext import query_form

TYPE_CHECKING = False  # typing and dataclasses cost more to import than a query takes to answer
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PARAM_TYPES", "Parameter", "SavedQuery", "find_query", "load_catalog", "parse_query_file"]

#: Parameter types and the XSD datatype each becomes (``iri`` becomes an IRI, ``string`` a plain literal).
PARAM_TYPES: dict[str, str | None] = {
    "iri": None,
    "string": None,
    "integer": "http://www.w3.org/2001/XMLSchema#integer",
    "decimal": "http://www.w3.org/2001/XMLSchema#decimal",
    "date": "http://www.w3.org/2001/XMLSchema#date",
    "year": "http://www.w3.org/2001/XMLSchema#gYear",
    "boolean": "http://www.w3.org/2001/XMLSchema#boolean",
}

_CHECKS = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "year": re.compile(r"^-?\d{4}$"),
    "boolean": re.compile(r"^(true|false)$"),
}
_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:([\w.:%-]*)$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEMES = {"urn", "mailto", "tag", "file", "http", "https"}


class _Record:
    """A small immutable record with keyword construction, equality and ``as_dict`` (in place of a dataclass)."""

    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _init(self, **values: object) -> None:
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.as_dict() == other.as_dict()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(tuple(repr(getattr(self, k)) for k in self.__slots__))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self.__slots__)})"


class Parameter(_Record):
    """One parameter of a saved query."""

    __slots__ = ("default", "description", "name", "type")
    name: str
    type: str
    default: str | None
    description: str

    def __init__(self, name: str, type: str = "iri", default: str | None = None, description: str = "") -> None:
        self._init(name=name, type=type, default=default, description=description)

    def to_sparql(self, value: str, prefixes: Mapping[str, str]) -> str:
        """The value written as a SPARQL term, or :class:`ParameterError` naming the parameter.

        >>> Parameter("year", "integer").to_sparql("2024", {})
        '"2024"^^<http://www.w3.org/2001/XMLSchema#integer>'
        >>> Parameter("m").to_sparql("id:x", {"id": "https://e.org/id/"})
        '<https://e.org/id/x>'
        """
        if self.type == "iri":
            return "<" + expand_iri(value, prefixes, what=f"parameter {self.name!r}") + ">"
        if self.type == "string":
            return json.dumps(value, ensure_ascii=False)
        check = _CHECKS[self.type]
        if not check.match(value):
            raise ParameterError(f"parameter {self.name!r} must be of type {self.type}, got {value!r}")
        return f'"{value}"^^<{PARAM_TYPES[self.type]}>'


def expand_iri(value: str, prefixes: Mapping[str, str], *, what: str = "IRI") -> str:
    """Expand ``prefix:local``, ``<iri>`` or a bare absolute IRI to an absolute IRI.

    >>> expand_iri("<http://a/b>", {})
    'http://a/b'
    >>> expand_iri("nope:x", {"id": "http://a/"})
    Traceback (most recent call last):
    kg.errors.ParameterError: IRI: unknown prefix 'nope' in 'nope:x' (known: id)
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    else:
        m = _PREFIXED.match(value)
        scheme = value.split(":", 1)[0] if ":" in value else None
        if m and (m.group(1) or "") in prefixes:
            value = prefixes[m.group(1) or ""] + m.group(2)
        elif scheme is None:
            raise ParameterError(f"{what}: {value!r} is not an IRI or a prefixed name")
        elif scheme in prefixes:
            raise ParameterError(
                f"{what}: {value!r} is not a valid prefixed name "
                f"(after '{scheme}:' come letters, digits, '-', '_', '.')"
            )
        elif "//" not in value and scheme.lower() not in _SCHEMES:
            known = ", ".join(sorted(prefixes))
            raise ParameterError(f"{what}: unknown prefix {scheme!r} in {value!r} (known: {known})")
    if _IRI_FORBIDDEN.search(value) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        raise ParameterError(f"{what}: {value!r} is not a valid absolute IRI")
    return value


class SavedQuery(_Record):
    """A saved query: its header and its SPARQL text."""

    __slots__ = ("description", "extra", "kind", "name", "parameters", "path", "summary", "tags", "text")
    name: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str
    kind: str
    extra: dict[str, Any]

    def __init__(
        self,
        name: str,
        path: str,
        summary: str,
        description: str = "",
        tags: tuple[str, ...] = (),
        parameters: tuple[Parameter, ...] = (),
        text: str = "",
        kind: str = "SELECT",
        extra: dict[str, Any] | None = None,
    ) -> None:
        self._init(
            name=name,
            path=path,
            summary=summary,
            description=description,
            tags=tuple(tags),
            parameters=tuple(parameters),
            text=text,
            kind=kind,
            extra=dict(extra or {}),
        )

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (it has: {self._param_names()})")

    def _param_names(self) -> str:
        return ", ".join(p.name for p in self.parameters) or "none"

    def bind(self, values: Mapping[str, str], prefixes: Mapping[str, str]) -> str:
        """The query text with every ``?_name`` replaced by its value (or default).

        Unknown, missing and ill-typed parameters raise :class:`ParameterError`.
        """
        for key in values:
            self.parameter(key)
        text = self.text
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise ParameterError(f"query {self.name!r} needs parameter {p.name!r} ({p.type}): --param {p.name}=...")
            term = p.to_sparql(str(raw), prefixes)
            text = re.sub(r"[?$]_" + re.escape(p.name) + r"\b", term.replace("\\", "\\\\"), text)
        return text


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    return "\n".join(lines)


def parse_query_file(path: Path, *, require_header: bool = True) -> SavedQuery:
    """Read one ``.rq`` file; a header that is not valid YAML or lacks a summary names the file.

    Saved queries need a header; a file given on the command line (``require_header=False``) may be plain SPARQL.
    """
    import yaml  # imported here: the cached catalog avoids it on the query path

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{path}: cannot read it ({exc})") from None
    if not require_header and not _header(text).strip():
        return SavedQuery(
            name=path.stem, path=str(path), summary=path.name, text=text, kind=query_form(text) or "SELECT"
        )
    try:
        meta = yaml.safe_load(_header(text)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (header line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KgError(f"{path}: header is not valid YAML{where}: {problem}") from None
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise KgError(f"{path}: header needs at least '#+ summary: ...'")
    params = []
    for pname, spec in (meta.get("parameters") or {}).items():
        spec = spec or {}
        ptype = spec.get("type", "iri")
        if ptype not in PARAM_TYPES:
            raise KgError(f"{path}: parameter {pname!r} has unknown type {ptype!r} (one of {', '.join(PARAM_TYPES)})")
        default = spec.get("default")
        params.append(
            Parameter(
                name=str(pname),
                type=ptype,
                default=None if default is None else str(default),
                description=str(spec.get("description", "")),
            )
        )
        if not re.search(r"[?$]_" + re.escape(str(pname)) + r"\b", text):
            raise KgError(f"{path}: parameter {pname!r} is declared but ?_{pname} does not occur in the query")
    tags = meta.get("tags") or []
    known = {"summary", "description", "tags", "parameters"}
    return SavedQuery(
        name=path.stem,
        path=str(path),
        summary=str(meta["summary"]).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(str(t) for t in tags),
        parameters=tuple(params),
        text=text,
        kind=query_form(text) or "SELECT",
        extra={k: v for k, v in meta.items() if k not in known},
    )


def _to_json(q: SavedQuery) -> dict[str, Any]:
    d = q.as_dict()
    d["tags"] = list(q.tags)
    d["parameters"] = [p.as_dict() for p in q.parameters]
    return d


def _from_json(d: dict[str, Any]) -> SavedQuery:
    d = dict(d)
    d["tags"] = tuple(d["tags"])
    d["parameters"] = tuple(Parameter(**p) for p in d["parameters"])
    return SavedQuery(**d)


class _Cache:
    """Parsed headers in ``build/.catalog.json``, keyed by file name and checked by size and mtime."""

    def __init__(self, settings: Settings) -> None:
        self.file = settings.build_dir / ".catalog.json"
        try:
            self.entries: dict[str, Any] = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.dirty = False

    def get(self, path: Path) -> SavedQuery:
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns]
        hit = self.entries.get(path.name)
        if hit and hit.get("stamp") == stamp:
            return _from_json(hit["query"])
        q = parse_query_file(path)
        self.entries[path.name] = {"stamp": stamp, "query": _to_json(q)}
        self.dirty = True
        return q

    def save(self) -> None:
        if not self.dirty or not self.file.parent.is_dir():
            return
        tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            tmp.replace(self.file)
        except OSError:
            tmp.unlink(missing_ok=True)


def load_catalog(settings: Settings) -> dict[str, SavedQuery]:
    """Every saved query in ``queries/`` by name (checks in ``queries/checks/`` are not saved queries)."""
    cache = _Cache(settings)
    catalog = {path.stem: cache.get(path) for path in sorted(settings.queries_dir.glob("*.rq"))}
    cache.save()
    return catalog


def find_query(settings: Settings, name: str) -> SavedQuery:
    """The saved query called ``name``; an unknown name lists the known ones. Other files are not read."""
    path = settings.queries_dir / f"{name}.rq"
    if "/" not in name and "\\" not in name and path.is_file():
        cache = _Cache(settings)
        q = cache.get(path)
        cache.save()
        return q
    known = ", ".join(sorted(p.stem for p in settings.queries_dir.glob("*.rq"))) or "none"
    raise UnknownQueryError(f"no saved query named {name!r} in {settings.queries_dir} (known: {known})")
