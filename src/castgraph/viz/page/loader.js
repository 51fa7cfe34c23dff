"use strict";
// Reads the page's data blocks, plain JSON or (for large graphs) deflated and base64-encoded, which
// the browser inflates natively far faster than it parses the plain text, then runs the chart.
// Only the chart the page opens on is read here; facts and each closed family's members are read
// when asked for (window.CASTGRAPH.read).
function plain(id) {   // a plain block's value now, or undefined if it is deflated
  const el = document.getElementById(id);
  return el.type === "application/json" ? JSON.parse(el.textContent) : undefined;
}
async function readBlock(id) {
  const now = plain(id);
  if (now !== undefined) return now;
  const bin = atob(document.getElementById(id).textContent), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return JSON.parse(await new Response(stream).text());
}
performance.mark("castgraph-loader");
readBlock("data").then((data) => {
  performance.mark("castgraph-data-read");   // marks for bench/bench_viz_page.py
  window.CASTGRAPH = {
    data,
    read: readBlock,
    plain,
    readFacts: () => readBlock("facts"),
    deflated: document.getElementById("facts").type !== "application/json",
  };
  const chart = document.createElement("script");
  chart.textContent = document.getElementById("chart").textContent;
  document.body.append(chart);
});
