"use strict";
// Reads the page's data blocks, plain JSON or (for large graphs) deflated and base64-encoded, which
// the browser inflates natively far faster than it parses the plain text, then runs the chart.
async function readBlock(id) {
  const el = document.getElementById(id);
  if (el.type === "application/json") return JSON.parse(el.textContent);
  const bin = atob(el.textContent), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return JSON.parse(await new Response(stream).text());
}
performance.mark("castgraph-loader");
readBlock("data").then((data) => {
  performance.mark("castgraph-data-read");   // marks for bench/bench_viz_page.py
  window.CASTGRAPH = {
    data,
    readFacts: () => readBlock("facts"),
    deflated: document.getElementById("facts").type !== "application/json",
  };
  const chart = document.createElement("script");
  chart.textContent = document.getElementById("chart").textContent;
  document.body.append(chart);
});
