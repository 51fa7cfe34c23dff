// The query page: the library from /queries, a form per query's parameters, results as a table.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const select = document.getElementById("library");
  const textarea = document.getElementById("query");
  const params = document.getElementById("params");
  const summary = document.getElementById("summary");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const errorBox = document.getElementById("error");
  const downloads = document.getElementById("downloads");
  let library = {};
  let original = "";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function choose(name) {
    params.textContent = "";
    summary.textContent = "";
    const query = library[name];
    if (!query) { original = ""; return; }
    textarea.value = query.text;
    original = query.text;
    summary.textContent = query.summary;
    for (const p of query.parameters) {
      const label = el("label", {}, p.name + " (" + p.type + (p.required ? ", required" : "") + ") ");
      const input = el("input", {name: p.name, "data-param": p.name, placeholder: p.default || ""});
      if (p.default) input.value = p.default;
      label.appendChild(input);
      params.appendChild(label);
    }
  }

  function url(fmt) {
    const name = select.value;
    if (name && textarea.value === original) {
      const search = new URLSearchParams();
      for (const input of params.querySelectorAll("input[data-param]")) {
        if (input.value !== "") search.set(input.dataset.param, input.value);
      }
      if (fmt) search.set("format", fmt);
      return "/queries/" + encodeURIComponent(name) + "?" + search.toString();
    }
    const search = new URLSearchParams({query: textarea.value});
    if (fmt) search.set("format", fmt);
    return "/sparql?" + search.toString();
  }

  function cell(term) {
    if (!term) return document.createTextNode("");
    if (term.type === "uri") {
      const prefix = "https://w3id.org/castgraph/id/";
      if (term.value.startsWith(prefix)) {
        return el("a", {href: "/id/" + term.value.slice(prefix.length)}, term.value.slice(prefix.length));
      }
      return el("span", {title: term.value}, term.value);
    }
    return document.createTextNode(term.value);
  }

  function table(data) {
    results.textContent = "";
    if (data.boolean !== undefined) { results.appendChild(el("p", {id: "boolean"}, String(data.boolean))); return 1; }
    const vars = data.head.vars;
    const t = el("table", {id: "result-table"});
    const head = el("tr");
    for (const v of vars) head.appendChild(el("th", {}, v));
    t.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    for (const row of data.results.bindings) {
      const tr = el("tr");
      for (const v of vars) tr.appendChild(el("td")).appendChild(cell(row[v]));
      body.appendChild(tr);
    }
    t.appendChild(body);
    results.appendChild(t);
    return data.results.bindings.length;
  }

  async function run(event) {
    event.preventDefault();
    errorBox.hidden = true;
    status.textContent = "running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch(url(), {headers: {Accept: "application/sparql-results+json"}});
    } catch (e) {
      status.textContent = "";
      errorBox.textContent = String(e);
      errorBox.hidden = false;
      return;
    }
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = "";
      errorBox.textContent = response.status + ": " + (await response.text());
      errorBox.hidden = false;
      results.textContent = "";
      downloads.hidden = true;
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("sparql-results+json")) {
      const n = table(await response.json());
      status.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
    } else {
      results.textContent = "";
      results.appendChild(el("pre", {}, await response.text()));
      status.textContent = "done in " + ms + " ms";
    }
    for (const fmt of ["csv", "tsv", "json", "xml"]) document.getElementById("dl-" + fmt).href = url(fmt);
    downloads.hidden = false;
  }

  fetch("/queries").then((r) => r.json()).then((list) => {
    for (const q of list) library[q.name] = q;
    const chosen = form.dataset.chosen || select.value;
    if (chosen) { select.value = chosen; choose(chosen); }
    form.dataset.ready = "true";
  });
  select.addEventListener("change", () => choose(select.value));
  form.addEventListener("submit", run);
})();
