"""HTML pages for people: the home page, a resource's linked-data page, the ontology's documentation, the
saved queries, the query editor and error pages. Plain HTML with one stylesheet; every value is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from kg.catalog import SavedQuery
from kg.config import Settings
from kg.describe import Description, Statement
from kg.query import term_text

__all__ = [
    "Linker",
    "error_page",
    "home_page",
    "ontology_page",
    "queries_page",
    "query_editor_page",
    "resource_page",
    "saved_query_page",
]

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


@dataclass(frozen=True)
class Linker:
    """Where a page links an IRI: a minted IRI to its page on this server, any other IRI to itself."""

    settings: Settings
    prefix: str  # the public URL's path, without a trailing slash ("" at the root)

    def path(self, local: str) -> str:
        """A server path (``/sparql``) under the public prefix."""
        return self.prefix + local

    def href(self, iri: str) -> str:
        base = self.settings.base_iri
        if iri.startswith(base):
            return self.prefix + "/" + iri[len(base) :]
        return iri

    def term(self, term: object, labels: Mapping[str, str]) -> str:
        """A term as HTML: a link (label or prefixed name) for IRIs, the value for literals."""
        if isinstance(term, ox.NamedNode):
            text = labels.get(term.value) or term_text(term, self.settings.prefixes)
            title = escape(term.value, quote=True)
            return f'<a href="{escape(self.href(term.value), quote=True)}" title="{title}">{escape(text)}</a>'
        if isinstance(term, ox.Literal):
            extra = ""
            if term.language:
                extra = f' <span class="lang">@{escape(term.language)}</span>'
            elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                extra = f' <span class="dt">{escape(term_text(term.datatype, self.settings.prefixes))}</span>'
            return f'<span class="lit">{escape(term.value)}</span>{extra}'
        if isinstance(term, ox.BlankNode):
            return f'<span class="bnode">_:{escape(term.value)}</span>'
        return escape(str(term))


def layout(title: str, body: str, linker: Linker, *, scripts: Sequence[str] = (), data: str = "") -> str:
    """A whole page: head, navigation and ``body``."""
    nav = [
        ("/", "Home"),
        ("/query", "Query"),
        ("/queries", "Saved queries"),
        ("/ontology", "Ontology"),
        ("/sparql", "SPARQL endpoint"),
        ("/.well-known/void", "VoID"),
    ]
    links = " ".join(f'<a href="{escape(linker.path(p))}">{escape(n)}</a>' for p, n in nav)
    js = "".join(f'<script src="{escape(linker.path(s))}" defer></script>' for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{escape(linker.path("/static/style.css"))}">{js}</head>'
        f"<body{data}><header><nav>{links}</nav></header><main>\n{body}\n</main></body></html>\n"
    )


def _wikidata(iri: str) -> str:
    if iri.startswith(WIKIDATA_ENTITY):
        return "https://www.wikidata.org/wiki/" + iri[len(WIKIDATA_ENTITY) :]
    return iri


def _notes(st: Statement) -> str:
    notes = []
    if st.inferred:
        notes.append('<span class="inferred" title="added by reasoning, not stated in a source">inferred</span>')
    if st.hedged:
        notes.append('<span class="hedged" title="the source reports it as reportedly so">reportedly</span>')
    return " ".join(notes)


def _sources(st: Statement, linker: Linker, labels: Mapping[str, str]) -> str:
    if not st.sources:
        return '<span class="none">reasoning</span>' if st.inferred else '<span class="none">—</span>'
    return ", ".join(linker.term(ox.NamedNode(s), labels) for s in st.sources)


def _alternates(linker: Linker, path: str) -> str:
    fmts = [("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("xml", "RDF/XML"), ("trig", "TriG")]
    sep = "&" if "?" in path else "?"
    links = " · ".join(
        f'<a rel="alternate" href="{escape(linker.path(path) + sep + "format=" + f, quote=True)}">{n}</a>'
        for f, n in fmts
    )
    return f'<p class="formats">Also as {links}</p>'


def resource_page(d: Description, linker: Linker, path: str, *, graph_link: bool = False) -> str:
    """The linked-data page of one resource."""
    labels = d.labels
    title = d.label or term_text(ox.NamedNode(d.iri), linker.settings.prefixes)
    types = ", ".join(linker.term(ox.NamedNode(t), labels) for t in d.types) or "—"
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="iri"><code>{escape(d.iri)}</code></p>',
        f"<p>Type: {types}</p>",
    ]
    if d.exact_matches:
        ms = ", ".join(
            f'<a class="external" href="{escape(_wikidata(m), quote=True)}">'
            f"{'Wikidata ' + escape(m[len(WIKIDATA_ENTITY) :]) if m.startswith(WIKIDATA_ENTITY) else escape(m)}</a>"
            for m in d.exact_matches
        )
        parts.append(f'<p class="matches">Same as: {ms}</p>')
    if graph_link:
        store = linker.path("/store?" + urlencode({"graph": d.iri}))
        parts.append(f'<p>This is a named graph: <a href="{escape(store, quote=True)}">its statements</a>.</p>')
    if d.outgoing:
        rows = "".join(
            f"<tr><td>{linker.term(st.predicate, labels)}</td><td>{linker.term(st.object, labels)}</td>"
            f"<td>{_sources(st, linker, labels)}</td><td>{_notes(st)}</td></tr>"
            for st in d.outgoing
        )
        parts.append(
            f'<h2>Statements ({len(d.outgoing)})</h2><table class="statements" id="outgoing">'
            f"<thead><tr><th>property</th><th>value</th><th>source</th><th></th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    if d.incoming:
        rows = "".join(
            f"<tr><td>{linker.term(st.subject, labels)}</td><td>{linker.term(st.predicate, labels)}</td>"
            f"<td>{_sources(st, linker, labels)}</td><td>{_notes(st)}</td></tr>"
            for st in d.incoming
        )
        parts.append(
            f'<h2>Referred to by ({len(d.incoming)})</h2><table class="statements" id="incoming">'
            f"<thead><tr><th>subject</th><th>property</th><th>source</th><th></th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    parts.append(_alternates(linker, path))
    return layout(title, "\n".join(parts), linker)


def error_page(status: int, title: str, message: str, linker: Linker) -> str:
    """A page for 404 and other errors: what went wrong, and where to go instead."""
    body = (
        f'<h1>{status} {escape(title)}</h1><p class="error">{escape(message)}</p>'
        f'<p>Try the <a href="{escape(linker.path("/"))}">home page</a>, '
        f'the <a href="{escape(linker.path("/queries"))}">saved queries</a> or '
        f'the <a href="{escape(linker.path("/query"))}">query editor</a>.</p>'
    )
    return layout(f"{status} {title}", body, linker)


def home_page(manifest: Mapping[str, Any], catalog: Mapping[str, SavedQuery], linker: Linker) -> str:
    """The home page: the dataset, its graphs and the ways in."""
    graphs = "".join(
        f"<tr><td>{linker.term(ox.NamedNode(str(g['iri'])), {})}</td><td>{escape(str(g.get('role', '')))}</td>"
        f'<td class="num">{int(g.get("triples", 0))}</td></tr>'
        for g in manifest.get("graphs", [])
    )
    body = (
        "<h1>Summit knowledge graph</h1>"
        "<p>International organizations, their summits and who took part, every fact with its source.</p>"
        f'<ul><li><a href="{escape(linker.path("/query"))}">Query editor</a> — write SPARQL or pick a saved '
        f'query</li><li><a href="{escape(linker.path("/queries"))}">Saved queries</a> '
        f"({len(catalog)})</li>"
        f"<li>SPARQL endpoint: <code>{escape(linker.path('/sparql'))}</code></li>"
        f'<li><a href="{escape(linker.path("/ontology"))}">Ontology</a></li></ul>'
        f"<h2>Graphs</h2><table><thead><tr><th>graph</th><th>role</th><th>triples</th></tr></thead>"
        f"<tbody>{graphs}</tbody></table>"
        f'<p class="build">Build <code>{escape(str(manifest.get("build_id", ""))[:16])}</code></p>'
    )
    return layout("Summit knowledge graph", body, linker)


def _params_form(q: SavedQuery, values: Mapping[str, str], action: str) -> str:
    if not q.parameters:
        return ""
    fields = "".join(
        f"<label>{escape(p.name)} <small>({escape(p.type)})</small> "
        f'<input name="{escape(p.name, quote=True)}" value="{escape(values.get(p.name, p.default or ""), quote=True)}"'
        f' title="{escape(p.description, quote=True)}"></label> '
        for p in q.parameters
    )
    return f'<form method="get" action="{escape(action, quote=True)}">{fields}<button>Run</button></form>'


def queries_page(catalog: Mapping[str, SavedQuery], linker: Linker) -> str:
    """The list of saved queries."""
    rows = []
    for q in catalog.values():
        params = ", ".join(escape(p.name) for p in q.parameters) or "—"
        tags = ", ".join(escape(t) for t in q.tags)
        href = linker.path("/queries/" + quote(q.name))
        rows.append(
            f'<tr><td><a href="{escape(href, quote=True)}">{escape(q.name)}</a></td><td>{escape(q.summary)}</td>'
            f"<td>{escape(q.kind)}</td><td>{params}</td><td>{tags}</td></tr>"
        )
    body = (
        f"<h1>Saved queries ({len(catalog)})</h1>"
        "<p>Each runs at <code>/queries/NAME?parameter=value</code> and answers in any SPARQL results format "
        "(ask with <code>Accept</code> or <code>format=</code>).</p>"
        "<table><thead><tr><th>name</th><th>summary</th><th>kind</th><th>parameters</th><th>tags</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return layout("Saved queries", body, linker)


def results_table(results: Mapping[str, Any], linker: Linker) -> str:
    """SPARQL JSON results as an HTML table with links into the linked-data pages."""
    if "boolean" in results:
        return f'<p class="boolean">{"yes" if results["boolean"] else "no"}</p>'
    names = results["head"]["vars"]
    head = "".join(f"<th>{escape(v)}</th>" for v in names)
    rows = []
    for b in results["results"]["bindings"]:
        cells = []
        for v in names:
            cell = b.get(v)
            if cell is None:
                cells.append("<td></td>")
            elif cell["type"] == "uri":
                cells.append(f"<td>{linker.term(ox.NamedNode(cell['value']), {})}</td>")
            elif cell["type"] == "bnode":
                cells.append(f'<td><span class="bnode">_:{escape(cell["value"])}</span></td>')
            else:
                lang = f' <span class="lang">@{escape(cell["xml:lang"])}</span>' if "xml:lang" in cell else ""
                cells.append(f'<td><span class="lit">{escape(cell["value"])}</span>{lang}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    n = len(rows)
    return (
        f'<p class="count">{n} row{"s" if n != 1 else ""}</p><table class="results"><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def saved_query_page(
    q: SavedQuery, values: Mapping[str, str], linker: Linker, *, results: str = "", error: str = ""
) -> str:
    """One saved query: what it asks, its parameters, its SPARQL and (when it ran) its answer."""
    action = linker.path("/queries/" + quote(q.name))
    editor = linker.path("/query?" + urlencode({"saved": q.name}))
    body = [
        f"<h1>{escape(q.summary)}</h1>",
        f'<p class="name"><code>{escape(q.name)}</code> · {escape(q.kind)} · '
        f'<a href="{escape(editor, quote=True)}">open in the query editor</a></p>',
    ]
    if q.description:
        body.append(f"<p>{escape(q.description)}</p>")
    body.append(_params_form(q, values, action))
    if error:
        body.append(f'<p class="error">{escape(error)}</p>')
    body.append(results)
    body.append(f"<details><summary>SPARQL</summary><pre>{escape(q.text)}</pre></details>")
    return layout(q.summary, "\n".join(body), linker)


def query_editor_page(linker: Linker, default_query: str) -> str:
    """The query editor: SPARQL text, the saved queries to pick from, and the answer as a table."""
    data = (
        f' data-prefix="{escape(linker.prefix, quote=True)}" data-base="{escape(linker.settings.base_iri, quote=True)}"'
    )
    body = (
        "<h1>Query</h1>"
        '<div class="picker"><label for="saved">Saved query</label> <select id="saved">'
        '<option value="">— write your own —</option></select> <span id="summary"></span></div>'
        '<div id="params"></div>'
        f'<textarea id="editor" spellcheck="false" rows="14" aria-label="SPARQL query">{escape(default_query)}'
        "</textarea>"
        '<div class="actions"><button id="run" type="button">Run</button> '
        '<small>Ctrl+Enter runs the query</small> <span id="status" role="status"></span></div>'
        '<div id="results"></div>'
    )
    return layout("Query", body, linker, scripts=["/static/query.js"], data=data)


def ontology_page(store: ox.Store, graph: ox.NamedNode | None, d: Description, linker: Linker) -> str:
    """Documentation of the ontology: its header, then every term it defines with label, comment and axioms."""
    settings = linker.settings
    onto = settings.ontology_iri
    labels = dict(d.labels)
    parts = [f"<h1>{escape(d.label or 'Ontology')}</h1>", f'<p class="iri"><code>{escape(onto)}</code></p>']
    for st in d.outgoing:
        if st.predicate.value in (RDFS + "label",):
            continue
        parts.append(f"<p><b>{linker.term(st.predicate, labels)}</b>: {linker.term(st.object, labels)}</p>")
    defined = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(RDFS + "isDefinedBy"), ox.NamedNode(onto), graph):
        if isinstance(q.subject, ox.NamedNode):
            defined.add(q.subject.value)
    for q in store.quads_for_pattern(None, None, None, graph):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(onto + "#"):
            defined.add(q.subject.value)
    kinds = [
        ("Classes", OWL + "Class"),
        ("Object properties", OWL + "ObjectProperty"),
        ("Datatype properties", OWL + "DatatypeProperty"),
        ("Annotation properties", OWL + "AnnotationProperty"),
        ("Individuals", OWL + "NamedIndividual"),
    ]
    typed: dict[str, set[str]] = {}
    for iri in defined:
        typed[iri] = {
            q.object.value
            for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(_RDF_TYPE), None, graph)
            if isinstance(q.object, ox.NamedNode)
        }
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDFS + "label"), None, graph):
            if isinstance(q.object, ox.Literal) and (q.object.language in ("en", None)):
                labels.setdefault(iri, q.object.value)
    toc = []
    shown: set[str] = set()
    for title, kind in [*kinds, ("Other terms", "")]:
        terms = sorted(i for i in defined if i not in shown and (kind in typed[i] if kind else True))
        if not terms:
            continue
        shown.update(terms)
        section_id = title.lower().replace(" ", "-")
        toc.append(f'<a href="#{section_id}">{escape(title)} ({len(terms)})</a>')
        parts.append(f'<h2 id="{section_id}">{escape(title)}</h2>')
        for iri in terms:
            parts.append(_term_section(store, graph, iri, labels, linker))
    parts.insert(2, f'<p class="toc">{" · ".join(toc)}</p>')
    parts.append(_alternates(linker, "/ontology"))
    return layout(d.label or "Ontology", "\n".join(parts), linker)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _term_section(
    store: ox.Store, graph: ox.NamedNode | None, iri: str, labels: Mapping[str, str], linker: Linker
) -> str:
    local = iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]
    rows: list[str] = []
    comment = ""
    for q in _sorted(store.quads_for_pattern(ox.NamedNode(iri), None, None, graph)):
        p = q.predicate.value
        if p == RDFS + "comment" and isinstance(q.object, ox.Literal):
            comment = q.object.value
            continue
        if p in (RDFS + "label", RDFS + "isDefinedBy"):
            continue
        rows.append(f"<tr><td>{linker.term(q.predicate, labels)}</td><td>{linker.term(q.object, labels)}</td></tr>")
    label = labels.get(iri, local)
    return (
        f'<section class="term" id="{escape(local, quote=True)}"><h3>{escape(label)} '
        f"<code>{escape(term_text(ox.NamedNode(iri), linker.settings.prefixes))}</code></h3>"
        + (f"<p>{escape(comment)}</p>" if comment else "")
        + (f'<table class="axioms"><tbody>{"".join(rows)}</tbody></table>' if rows else "")
        + "</section>"
    )


def _sorted(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return sorted(quads, key=lambda q: (q.predicate.value != _RDF_TYPE, q.predicate.value, str(q.object)))
