"""Saved queries over HTTP (/queries, /queries/NAME) and the query page."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from serve_fixtures import BASE, QUERIES, serve_client
from starlette.testclient import TestClient

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serve_client(tmp_path_factory.mktemp("queries")) as c:
        yield c


def test_list_as_json(client: TestClient) -> None:
    r = client.get("/queries")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    listing = {q["name"]: q for q in r.json()["queries"]}
    assert set(listing) == {name.removesuffix(".rq") for name in QUERIES}
    attendees = listing["attendees"]
    assert attendees["summary"] == "Who took part in a meeting"
    assert attendees["kind"] == "SELECT"
    assert attendees["tags"] == ["meetings", "people"]
    assert attendees["parameters"] == [
        {"name": "meeting", "type": "iri", "default": "id:csc-2024", "description": "the meeting"}
    ]
    assert attendees["url"] == "/queries/attendees"
    assert attendees["text"] == QUERIES["attendees.rq"]


def test_list_as_html(client: TestClient) -> None:
    r = client.get("/queries", headers=BROWSER)
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<a href="/queries/attendees">attendees</a>' in r.text
    assert "Who took part in a meeting" in r.text


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ],
)
def test_run_with_defaults_in_any_results_format(client: TestClient, accept: str, content_type: str) -> None:
    r = client.get("/queries/attendees", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert "Vladimir Putin" in r.text and "Alexander Lukashenko" in r.text


def test_run_with_a_parameter(client: TestClient) -> None:
    r = client.get("/queries/attendees", params={"meeting": "id:nothing"}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(r.text))) == [["person", "name"]]
    r = client.get("/queries/attendees", params={"meeting": f"<{BASE}id/csc-2024>", "format": "csv"})
    names = [row[1] for row in csv.reader(io.StringIO(r.text))][1:]
    assert names == ["Alexander Lukashenko", "Kassym-Jomart Tokayev", "Vladimir Putin"]


def test_ask_and_construct(client: TestClient) -> None:
    r = client.get("/queries/is-meeting")
    assert r.json()["boolean"] is True
    assert client.get("/queries/is-meeting", params={"thing": "id:putin"}).json()["boolean"] is False
    g = client.get("/queries/meeting-graph", headers={"Accept": "application/n-triples"})
    assert g.headers["content-type"] == "application/n-triples"
    objects = {t.object.value for t in ox.parse(g.content, ox.RdfFormat.N_TRIPLES)}
    assert BASE + "id/astana" in objects


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "twenty"}, "must be of type integer"),
        ({"nope": "1"}, "has no parameter 'nope'"),
    ],
)
def test_bad_parameters_are_400(client: TestClient, params: dict[str, str], message: str) -> None:
    r = client.get("/queries/since", params=params)
    assert r.status_code == 400
    assert message in r.text
    page = client.get("/queries/since", params=params, headers=BROWSER)
    assert page.status_code == 400 and html.escape(message) in page.text and "<form" in page.text


def test_bad_iri_parameter(client: TestClient) -> None:
    r = client.get("/queries/attendees", params={"meeting": "nope:x"})
    assert r.status_code == 400
    assert "unknown prefix 'nope'" in r.text


def test_unknown_query_is_404(client: TestClient) -> None:
    r = client.get("/queries/no-such-query")
    assert r.status_code == 404
    assert "attendees" in r.text


def test_saved_query_page_shows_the_answer(client: TestClient) -> None:
    r = client.get("/queries/attendees", headers=BROWSER)
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    page = r.text
    assert "<h1>Who took part in a meeting</h1>" in page
    assert '<a href="/id/putin"' in page
    assert "3 rows" in page
    assert 'name="meeting" value="id:csc-2024"' in page


def test_query_page(client: TestClient) -> None:
    r = client.get("/query")
    assert r.status_code == 200
    page = r.text
    assert '<textarea id="editor"' in page and '<select id="saved">' in page
    assert 'src="/static/query.js"' in page
    # no CDN: every script and stylesheet is served from here
    assert re.findall(r'(?:src|href)="(https?://[^"]*)"', page) == []
    js = client.get("/static/query.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "fetch(" in js.text
    assert not re.search(r"https?://", js.text), "the query page must work offline"
    css = client.get("/static/style.css")
    assert css.headers["content-type"] == "text/css; charset=utf-8"


def test_static_files_have_etags(client: TestClient) -> None:
    r = client.get("/static/style.css")
    assert client.get("/static/style.css", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
