"use strict";
// Reads the page's data blocks, plain JSON or (for large graphs) deflated and base64-encoded, which
// the browser inflates natively far faster than it parses the plain text, then runs the chart.
// Only the chart the page opens on is read here; facts and each closed family's members are read
// when asked for (window.CASTGRAPH.read). A family's deflated block is a segment of one raw
// deflate stream (castgraph.viz.blocks): alone it inflates with an empty last block added, and
// readAll inflates every segment in one stream, cutting the text apart by their lengths.
const SEGMENT = "application/x-castgraph-deflate-segment-base64", LAST = [3, 0];
const inflated = new Map();   // block id -> its text, once readAll has inflated them
function bytesOf(el) {
  const bin = atob(el.textContent), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
function inflate(parts, format) {
  const stream = new Blob(parts).stream().pipeThrough(new DecompressionStream(format));
  return new Response(stream).text();
}
function plain(id) {   // a block's value now, or undefined if it must be inflated first
  if (inflated.has(id)) return JSON.parse(inflated.get(id));
  const el = document.getElementById(id);
  return el.type === "application/json" ? JSON.parse(el.textContent) : undefined;
}
async function readBlock(id) {
  const now = plain(id);
  if (now !== undefined) return now;
  const el = document.getElementById(id);
  if (el.type === SEGMENT) return JSON.parse(await inflate([bytesOf(el), new Uint8Array(LAST)], "deflate-raw"));
  return JSON.parse(await inflate([bytesOf(el)], "deflate"));
}
let readingAll = null;
function readAll() {   // every family's segment in one stream (search, expand all)
  return readingAll || (readingAll = (async () => {
    const els = [...document.querySelectorAll(`script[type="${SEGMENT}"]`)];
    if (!els.length) return;
    const text = await inflate([...els.map(bytesOf), new Uint8Array(LAST)], "deflate-raw");
    let at = 0;
    for (const el of els) { const n = +el.dataset.length; inflated.set(el.id, text.slice(at, at + n)); at += n; }
  })());
}
performance.mark("castgraph-loader");
readBlock("data").then((data) => {
  performance.mark("castgraph-data-read");   // marks for bench/bench_viz_page.py
  window.CASTGRAPH = {
    data,
    read: readBlock,
    readAll,
    plain,
    readFacts: () => readBlock("facts"),
    deflated: document.getElementById("facts").type !== "application/json",
  };
  const chart = document.createElement("script");
  chart.textContent = document.getElementById("chart").textContent;
  document.body.append(chart);
});
