"""Content negotiation: which of the formats the server can write best fits a request's ``Accept`` header
(q-values, wildcards, specificity) or its ``format=`` parameter.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", TABULAR).name
'xml'
>>> negotiate("text/*", GRAPH).name
'turtle'
>>> negotiate("image/png", TABULAR) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BOOLEAN",
    "GRAPH",
    "HTML",
    "TABULAR",
    "Format",
    "from_param",
    "known_param",
    "negotiate",
    "parse_accept",
    "wants_html",
]


@dataclass(frozen=True)
class Format:
    """One serialization the server can write: a short name, the media type it is sent as, and aliases
    (other media types that ask for the same bytes)."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    charset: bool = False

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if self.charset else "")

    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


#: SELECT results, in the server's order of preference (the first is the default).
TABULAR: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv", (), charset=True),
    Format("tsv", "text/tab-separated-values", (), charset=True),
)
#: ASK results: the same formats (CSV and TSV hold the one word ``true`` or ``false``).
BOOLEAN = TABULAR
#: CONSTRUCT and DESCRIBE results, graph documents and descriptions.
GRAPH: tuple[Format, ...] = (
    # Turtle is a subset of N3, so clients asking for N3 (SPARQLWrapper can) get Turtle
    Format("turtle", "text/turtle", ("application/x-turtle", "text/n3", "text/rdf+n3"), charset=True),
    Format("nt", "application/n-triples", ("text/plain",)),
    Format("jsonld", "application/ld+json", ("application/json",)),
    Format("xml", "application/rdf+xml", ("application/xml", "text/xml")),
    Format("trig", "application/trig"),
    Format("nquads", "application/n-quads"),
)
HTML = Format("html", "text/html", ("application/xhtml+xml",), charset=True)

#: ``format=`` values and the format each means for (tabular answers, graph answers); ``None``: not for that kind.
_PARAM_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "xml"),
    "srj": ("json", None),
    "srx": ("xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "turtle"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdfxml": (None, "xml"),
    "rdf": (None, "xml"),
    "rdf+xml": (None, "xml"),
    "trig": (None, "trig"),
    "nquads": (None, "nquads"),
    "nq": (None, "nquads"),
    "n-quads": (None, "nquads"),
    "html": (None, None),
}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        return self.type in ("*", t) and self.subtype in ("*", s)


def parse_accept(header: str | None) -> list[_Range]:
    """The media ranges of an ``Accept`` header; malformed parts are skipped, as RFC 9110 allows."""
    ranges = []
    for i, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        t, _, s = pieces[0].lower().partition("/")
        if not t or not s:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(_Range(t, s, q, i))
    return ranges


def _quality(ranges: Sequence[_Range], media_type: str) -> float:
    best: _Range | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best else 0.0


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the client prefers most (ties go to the server's order); ``None`` when nothing is acceptable.

    A missing or empty ``Accept`` header accepts anything, so the first offer is chosen.
    """
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int, int] | None = None
    chosen: Format | None = None
    for index, offer in enumerate(offers):
        for alias_rank, media in enumerate(offer.media_types()):
            q = _quality(ranges, media)
            if q <= 0:
                continue
            # an exact media type beats an alias of the same q (application/json -> JSON results, not JSON-LD)
            key = (q, -alias_rank, -index)
            if best is None or key > best:
                best, chosen = key, offer
    return chosen


def from_param(value: str, offers: Sequence[Format]) -> Format | None:
    """The offer a ``format=`` value names (a short name or a media type); ``None`` if it names none of them.

    >>> from_param("json", GRAPH).name
    'jsonld'
    >>> from_param("text/csv", TABULAR).name
    'csv'
    """
    value = value.strip().lower()
    if "/" in value:
        media = value.split(";")[0].strip()
        for offer in offers:
            if media in offer.media_types():
                return offer
        return None
    if value == "html":
        return next((o for o in offers if o.name == "html"), None)
    names = _PARAM_NAMES.get(value)
    if names is None:
        return None
    name = names[1] if offers is GRAPH else names[0]
    return next((o for o in offers if o.name == name), None)


def known_param(value: str) -> bool:
    """Whether a ``format=`` value names any format this server knows."""
    value = value.strip().lower()
    if "/" in value:
        return any(from_param(value, offers) for offers in (TABULAR, GRAPH, (HTML,)))
    return value in _PARAM_NAMES


def wants_html(accept: str | None, others: Sequence[Format]) -> bool:
    """Whether a browser-like client prefers HTML to every format in ``others`` (a missing header does not)."""
    if not accept:
        return False
    # only a range that names HTML counts for it, and only named types for the others: curl's */* asks
    # for data, while a browser sends */* with a low q next to text/html
    ranges = [r for r in parse_accept(accept) if r.specificity == 2]
    html_q = max(_quality(ranges, m) for m in HTML.media_types())
    if html_q <= 0:
        return False
    other_q = max((_quality(ranges, m) for o in others for m in o.media_types()), default=0.0)
    return html_q >= other_q
