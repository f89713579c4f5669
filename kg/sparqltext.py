"""Looking at SPARQL text without a parser: the few things the tools must know before (or instead of) running it.

Comments, strings and IRIs are blanked out first (keeping the text's length and line breaks), so ``"SERVICE"`` in a
literal or ``<http://x/FROM>`` does not count. Used on the query path, so it imports nothing but :mod:`re`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "code",
    "declared_prefixes",
    "form_match",
    "has_dataset_clause",
    "query_form",
    "syntax_error_message",
    "undeclared_prefixes",
    "uses_service",
]

_NOISE = re.compile(
    r"#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>",
    re.DOTALL,
)
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
_PNAME = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.-]*)?:(?=[\w%\\(\s,;.)\]}]|$)")
_FORM = re.compile(r"(?i)(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])")
_POSITION = re.compile(r"error at (\d+:\d+)")


def _keyword(word: str) -> re.Pattern[str]:
    # not part of a prefixed name (ex:SERVICE, service:x), a variable (?service) or a longer word
    return re.compile(rf"(?<![\w:?$]){word}(?![\w:-])", re.IGNORECASE)


_SERVICE = _keyword("SERVICE")
_FROM = _keyword("FROM")


def code(query: str) -> str:
    """The query with comments, strings and IRIs blanked out, same length and lines.

    >>> code('SELECT ?s { ?s ?p "a # b" } # c')
    'SELECT ?s { ?s ?p         }    '
    """
    return _NOISE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), query)


def uses_service(query: str) -> bool:
    """Whether the query asks for a federated ``SERVICE`` call.

    >>> uses_service("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    True
    >>> uses_service("SELECT ?service { ?service a <http://x/SERVICE> } # SERVICE")
    False
    """
    return bool(_SERVICE.search(code(query)))


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> has_dataset_clause("SELECT * FROM <http://g/> { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT ?from { ?from <http://x/FROM> 'FROM' }")
    False
    """
    return bool(_FROM.search(code(query)))


def form_match(query: str) -> re.Match[str] | None:
    """Where the query form keyword (SELECT, ASK, CONSTRUCT, DESCRIBE) is in ``query``; group 1 is the word."""
    return _FORM.search(code(query))


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query form keyword in the text.

    >>> query_form("PREFIX ex: <http://x/ASK> # DESCRIBE\\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    m = form_match(query)
    return m.group(1).upper() if m else None


def declared_prefixes(query: str) -> set[str]:
    """The prefixes the query declares with ``PREFIX``.

    >>> sorted(declared_prefixes("PREFIX ex: <http://x/> PREFIX : <http://y/> SELECT * {}"))
    ['', 'ex']
    """
    return {m.group(1) or "" for m in _DECLARED.finditer(code(query))}


def undeclared_prefixes(query: str, known: Iterable[str] = ()) -> list[str]:
    """Prefixes used in prefixed names that are neither declared in the query nor ``known``.

    >>> undeclared_prefixes("PREFIX ex: <http://x/> SELECT * { ?s a ex:A, zz:B ; xsd:c 1 }", ["xsd"])
    ['zz']
    """
    text = code(query)
    used = {m.group(1) or "" for m in _PNAME.finditer(text)}
    return sorted(used - declared_prefixes(query) - set(known))


def syntax_error_message(error: Exception, query: str, known: Iterable[str] = ()) -> str:
    """The parser's message on one line, or, when the trouble is an undeclared prefix, a line that names it.

    >>> syntax_error_message(SyntaxError("error at 1:21: expected one of Prefix not found, ['%']"),
    ...                      "SELECT * { ?s a zz:Foo }")
    "SPARQL syntax error at 1:21: unknown prefix 'zz:' (declare it with PREFIX zz: <...>)"
    """
    message = " ".join(str(error).split())
    if "Prefix not found" in message:
        unknown = undeclared_prefixes(query, known)
        if unknown:
            where = _POSITION.search(message)
            at = f" at {where.group(1)}" if where else ""
            name = unknown[0]
            return f"SPARQL syntax error{at}: unknown prefix '{name}:' (declare it with PREFIX {name}: <...>)"
    return f"SPARQL syntax error: {message}"
