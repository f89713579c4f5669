"""The query page in a real headless Chromium (Debian's ``chromium``, driven by Playwright): load the page,
pick a saved query, run it, see the table, follow a link into a linked-data page. Nothing is fetched from
anywhere but the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from serve_fixtures import real_server

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_server(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context()
    pg = context.new_page()
    requested: list[str] = []
    pg.on("request", lambda req: requested.append(req.url))
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert requested and all(u.startswith(server) for u in requested), requested


def test_pick_a_saved_query_run_it_and_follow_a_link(page: Page, server: str) -> None:
    page.goto(server + "/query")
    page.wait_for_selector("body[data-ready=true]")
    options = page.locator("#saved option").all_inner_texts()
    assert any(o.startswith("attendees — Who took part in a meeting") for o in options)
    page.select_option("#saved", "attendees")
    assert "schema:attendee" in page.input_value("#editor")
    assert page.input_value("#params input[name=meeting]") == "id:csc-2024"
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results thead th").all_inner_texts() == ["person", "name"]
    names = page.locator("table.results tbody tr td:nth-child(2) .lit").all_inner_texts()
    assert names == ["Alexander Lukashenko", "Kassym-Jomart Tokayev", "Vladimir Putin"]
    assert page.inner_text("#status").startswith("3 rows in ")
    page.click("table.results a[href='/id/putin']")
    page.wait_for_url(server + "/id/putin")
    assert page.inner_text("h1") == "Vladimir Putin"
    assert "CSTO Collective Security Council, Astana, 2024" in page.inner_text("#incoming")


def test_write_a_query_and_see_errors(page: Page, server: str) -> None:
    page.goto(server + "/query")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#editor", "SELECT ?city ?name WHERE { ?city a schema:City ; rdfs:label ?name } ORDER BY ?name")
    page.press("#editor", "Control+Enter")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody tr").count() == 2
    page.fill("#editor", "SELECT * WHERE {")
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert page.inner_text("#status").startswith("400: SPARQL syntax error")
    assert page.locator("table.results").count() == 0


def test_saved_query_with_a_parameter_and_ask(page: Page, server: str) -> None:
    page.goto(server + "/query?saved=is-meeting")
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value("#saved") == "is-meeting"
    page.fill("#params input[name=thing]", "id:putin")
    page.click("#run")
    page.wait_for_selector("p.boolean")
    assert page.inner_text("p.boolean") == "no"


def test_the_address_keeps_the_query_and_the_answer_downloads(page: Page, server: str) -> None:
    """After a run the page's address holds the query (to share or reload), and the answer can be downloaded
    in the other formats from links that ask the server for exactly that query."""
    page.goto(server + "/query")
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#saved", "attendees")
    page.click("#run")
    page.wait_for_selector("#downloads a")
    assert "saved=attendees" in page.url and "p.meeting=id%3Acsc-2024" in page.url
    links = dict(
        zip(
            page.locator("#downloads a").all_inner_texts(),
            page.locator("#downloads a").evaluate_all("els => els.map(e => e.href)"),
            strict=True,
        )
    )
    assert sorted(links) == ["csv", "json", "tsv", "xml"]
    csv = page.request.get(links["csv"])
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text().splitlines()[0] == "person,name" and len(csv.text().splitlines()) == 4

    text = "SELECT ?city WHERE { ?city a schema:City } ORDER BY ?city"
    page.fill("#editor", text)
    page.click("#run")
    page.wait_for_selector("#downloads a")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value("#editor") == text
