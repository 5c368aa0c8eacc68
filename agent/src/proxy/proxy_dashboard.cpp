#include "proxy/proxy_dashboard.hpp"

namespace ih::proxy {

namespace {

// clang-format off
constexpr const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>infinite-hashes proxy</title>
<style>
:root { --bg:#0f1419; --card:#182028; --fg:#e6e6e6; --dim:#8b98a5; --ok:#3fb950; --bad:#f85149; }
body { margin:0; font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; gap:1em; align-items:baseline; padding:12px 16px; border-bottom:1px solid #263040; }
header h1 { font-size:18px; margin:0; }
.ok { color:var(--ok); } .bad { color:var(--bad); } .dim { color:var(--dim); }
main { display:grid; gap:12px; padding:12px; }
section { background:var(--card); border-radius:8px; padding:12px 14px; overflow-x:auto; }
section h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 8px; }
table { width:100%; border-collapse:collapse; font-size:14px; }
td, th { text-align:left; padding:3px 8px 3px 0; white-space:nowrap; }
th { color:var(--dim); font-weight:500; }
.bar { background:#263040; height:8px; border-radius:4px; min-width:120px; }
.bar > div { background:#58a6ff; height:8px; border-radius:4px; }
</style>
</head>
<body>
<header><h1>infinite-hashes proxy</h1><span id="state" class="dim">connecting…</span><span id="total" class="dim"></span></header>
<main>
<section><h2>Routing</h2><table>
<thead><tr><th>pool</th><th>state</th><th>target</th><th>weight</th><th>desired</th><th>assigned</th><th></th><th>workers</th><th>accepted</th><th>rejected</th></tr></thead>
<tbody id="pools"></tbody></table></section>
<section><h2>Workers</h2><table>
<thead><tr><th>worker</th><th>pool</th><th>as</th><th>hashrate</th><th>difficulty</th><th>valid</th><th>invalid</th><th>forwarded</th><th>accepted</th><th>firmware</th><th>address</th></tr></thead>
<tbody id="workers"></tbody></table></section>
</main>
<script>
"use strict";
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const headers = token ? { Authorization: "Bearer " + token } : {};
const $ = (id) => document.getElementById(id);
function rate(h) {
  if (h === null || h === undefined) return "n/a";
  const units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"];
  let i = 0;
  while (h >= 1000 && i < units.length - 1) { h /= 1000; i++; }
  return h.toFixed(h >= 100 ? 0 : h >= 10 ? 1 : 2) + " " + units[i];
}
async function get(path) {
  const r = await fetch(path, { headers: headers, cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}
function row(cells) {
  const tr = document.createElement("tr");
  for (const v of cells) {
    const td = document.createElement("td");
    if (v instanceof Node) td.appendChild(v); else td.textContent = v;
    tr.appendChild(td);
  }
  return tr;
}
function bar(part, whole) {
  const outer = document.createElement("div"); outer.className = "bar";
  const inner = document.createElement("div");
  inner.style.width = Math.min(100, whole > 0 ? 100 * part / whole : 0) + "%";
  outer.appendChild(inner); return outer;
}
async function refresh() {
  try {
    const [p, w] = await Promise.all([get("2/pools"), get("2/workers")]);
    const pools = p.pools.map(x => row([x.name, x.usable ? "up" : (x.problem || "down"),
      x.target_hashrate === null ? "–" : rate(x.target_hashrate), x.target_hashrate === null ? x.weight : "–",
      rate(x.desired_hashrate), rate(x.assigned_hashrate), bar(x.assigned_hashrate, x.desired_hashrate),
      x.workers, x.shares.accepted, x.shares.rejected]));
    $("pools").replaceChildren(...pools);
    let total = 0;
    const workers = w.workers.map(x => { total += x.hashrate || 0; return row([x.name, x.pool || "–", x.upstream_name,
      rate(x.hashrate), x.difficulty.toPrecision(4), x.shares.valid, x.shares.invalid, x.shares.forwarded,
      x.shares.accepted, x.user_agent, x.remote]); });
    $("workers").replaceChildren(...workers);
    const up = p.pools.some(x => x.usable);
    $("state").textContent = up ? "routing" : "no pool"; $("state").className = up ? "ok" : "bad";
    $("total").textContent = w.workers.length + " worker(s), " + rate(total);
  } catch (e) {
    $("state").textContent = String(e.message); $("state").className = "bad";
  }
}
refresh();
setInterval(refresh, 5000);
</script>
</body>
</html>
)HTML";
// clang-format on

}  // namespace

const std::string& proxy_dashboard_page() {
  static const std::string page(kPage);
  return page;
}

}  // namespace ih::proxy
