"""Looking at SPARQL text without a parser: the keywords the server must know about before running a query.

Comments, strings and IRIs are blanked out first, so ``"SERVICE"`` in a literal or ``<http://x/FROM>`` does
not count.
"""

from __future__ import annotations

import re

__all__ = ["has_dataset_clause", "uses_service"]

_NOISE = re.compile(
    r"#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>",
    re.DOTALL,
)


def _keyword(word: str) -> re.Pattern[str]:
    # not part of a prefixed name (ex:SERVICE, service:x), a variable (?service) or a longer word
    return re.compile(rf"(?<![\w:?$]){word}(?![\w:-])", re.IGNORECASE)


_SERVICE = _keyword("SERVICE")
_FROM = _keyword("FROM")


def _code(query: str) -> str:
    return _NOISE.sub(" ", query)


def uses_service(query: str) -> bool:
    """Whether the query asks for a federated ``SERVICE`` call.

    >>> uses_service("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    True
    >>> uses_service("SELECT ?service { ?service a <http://x/SERVICE> } # SERVICE")
    False
    """
    return bool(_SERVICE.search(_code(query)))


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> has_dataset_clause("SELECT * FROM <http://g/> { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT ?from { ?from <http://x/FROM> 'FROM' }")
    False
    """
    return bool(_FROM.search(_code(query)))
