// The query page: an editor, the saved queries to pick from, and the answer as a table whose IRIs link into
// the linked-data pages. No libraries and no network access beyond this server.
"use strict";

(function () {
  const body = document.body;
  const prefix = body.dataset.prefix || "";
  const base = body.dataset.base || "";
  const editor = document.getElementById("editor");
  const picker = document.getElementById("saved");
  const summary = document.getElementById("summary");
  const paramsBox = document.getElementById("params");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const runButton = document.getElementById("run");
  const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
  const TABLE_FORMATS = ["csv", "tsv", "json", "xml"];
  const GRAPH_FORMATS = ["turtle", "nt", "jsonld", "xml"];
  const downloads = el("p", { id: "downloads", class: "downloads" });
  status.after(downloads);
  let saved = {};

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function href(iri) {
    return iri.startsWith(base) ? prefix + "/" + iri.slice(base.length) : iri;
  }

  function shortIri(iri) {
    return iri.startsWith(base) ? iri.slice(base.length) : iri;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.appendChild(el("a", { href: href(term.value), title: term.value }, shortIri(term.value)));
    } else if (term.type === "bnode") {
      td.appendChild(el("span", { class: "bnode" }, "_:" + term.value));
    } else {
      td.appendChild(el("span", { class: "lit" }, term.value));
      if (term["xml:lang"]) td.appendChild(el("span", { class: "lang" }, " @" + term["xml:lang"]));
    }
    return td;
  }

  function showJson(data) {
    results.replaceChildren();
    if ("boolean" in data) {
      results.appendChild(el("p", { class: "boolean" }, data.boolean ? "yes" : "no"));
      return "answer: " + (data.boolean ? "yes" : "no");
    }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const table = el("table", { class: "results" });
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", {}, v)));
    table.appendChild(el("thead")).appendChild(head);
    const tbody = table.appendChild(el("tbody"));
    rows.forEach((row) => {
      const tr = el("tr");
      vars.forEach((v) => tr.appendChild(cell(row[v])));
      tbody.appendChild(tr);
    });
    results.appendChild(table);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  function selectedQuery() {
    const q = saved[picker.value];
    return q && editor.value === q.text ? q : null;
  }

  // The address of the current query (to share or bookmark), and of its answer in another format.
  function requestUrl(format) {
    const q = selectedQuery();
    const params = new URLSearchParams();
    let url;
    if (q) {
      paramsBox.querySelectorAll("input").forEach((input) => {
        if (input.value !== "") params.append(input.name, input.value);
      });
      url = q.url;
    } else {
      params.set("query", editor.value);
      url = prefix + "/sparql";
    }
    if (format) params.set("format", format);
    return url + "?" + params.toString();
  }

  function remember() {
    const q = selectedQuery();
    const state = new URLSearchParams();
    if (q) {
      state.set("saved", q.name);
      paramsBox.querySelectorAll("input").forEach((input) => state.append("p." + input.name, input.value));
    } else {
      state.set("query", editor.value);
    }
    history.replaceState(null, "", window.location.pathname + "?" + state.toString());
  }

  function showDownloads(kind) {
    downloads.replaceChildren();
    const formats = kind === "graph" ? GRAPH_FORMATS : TABLE_FORMATS;
    downloads.appendChild(document.createTextNode("download: "));
    formats.forEach((f, i) => {
      if (i) downloads.appendChild(document.createTextNode(" · "));
      downloads.appendChild(el("a", { href: requestUrl(f), download: "" }, f));
    });
  }

  async function run() {
    const started = performance.now();
    downloads.replaceChildren();
    remember();
    status.className = "";
    status.textContent = "running…";
    runButton.disabled = true;
    try {
      const q = selectedQuery();
      let response;
      if (q) {
        const params = new URLSearchParams();
        paramsBox.querySelectorAll("input").forEach((input) => {
          if (input.value !== "") params.append(input.name, input.value);
        });
        response = await fetch(q.url + "?" + params.toString(), { headers: { Accept: ACCEPT } });
      } else {
        response = await fetch(prefix + "/sparql", {
          method: "POST",
          headers: { "Content-Type": "application/sparql-query", Accept: ACCEPT },
          body: editor.value,
        });
      }
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        results.replaceChildren();
        status.className = "error";
        status.textContent = response.status + ": " + text.trim();
        return;
      }
      let what;
      if (type.startsWith("application/sparql-results+json")) {
        what = showJson(JSON.parse(text));
        showDownloads("table");
      } else {
        results.replaceChildren(el("pre", { class: "rdf" }, text));
        what = "graph";
        showDownloads("graph");
      }
      status.textContent = what + " in " + ms + " ms";
    } catch (err) {
      status.className = "error";
      status.textContent = "request failed: " + err;
    } finally {
      runButton.disabled = false;
    }
  }

  function pick() {
    const q = saved[picker.value];
    paramsBox.replaceChildren();
    summary.textContent = q ? q.summary : "";
    if (!q) return;
    editor.value = q.text;
    q.parameters.forEach((p) => {
      const label = el("label", { title: p.description || "" }, p.name + " ");
      const input = el("input", { name: p.name, value: p.default || "", "data-type": p.type });
      label.appendChild(input);
      paramsBox.appendChild(label);
    });
  }

  async function loadSaved() {
    const response = await fetch(prefix + "/queries", { headers: { Accept: "application/json" } });
    const data = await response.json();
    data.queries.forEach((q) => {
      saved[q.name] = q;
      picker.appendChild(el("option", { value: q.name }, q.name + " — " + q.summary));
    });
    const state = new URLSearchParams(window.location.search);
    const wanted = state.get("saved");
    if (wanted && saved[wanted]) {
      picker.value = wanted;
      pick();
      paramsBox.querySelectorAll("input").forEach((input) => {
        if (state.has("p." + input.name)) input.value = state.get("p." + input.name);
      });
    } else if (state.has("query")) {
      editor.value = state.get("query");
    }
    body.dataset.ready = "true";
  }

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    }
  });
  picker.addEventListener("change", pick);
  runButton.addEventListener("click", run);
  loadSaved().catch((err) => {
    status.className = "error";
    status.textContent = "could not load the saved queries: " + err;
  });
})();
