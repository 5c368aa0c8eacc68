#include "status/dashboard_page.hpp"

namespace ih::agent::status {

namespace {

// clang-format off
constexpr const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>infinite-hashes</title>
<style>
:root { --bg:#0f1419; --card:#182028; --fg:#e6e6e6; --dim:#8b98a5; --ok:#3fb950; --bad:#f85149; --acc:#58a6ff; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; flex-wrap:wrap; align-items:baseline; gap:.5em 1em; padding:12px 16px; border-bottom:1px solid #263040; }
header h1 { font-size:18px; margin:0; }
#state { font-weight:600; }
.ok { color:var(--ok); } .bad { color:var(--bad); } .dim { color:var(--dim); }
main { display:grid; gap:12px; padding:12px; grid-template-columns:repeat(auto-fit,minmax(280px,1fr)); }
section { background:var(--card); border-radius:8px; padding:12px 14px; min-width:0; }
section h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 8px; }
.big { font-size:28px; font-weight:600; }
.wide { grid-column:1/-1; }
canvas { width:100%; height:180px; display:block; }
table { width:100%; border-collapse:collapse; font-size:14px; }
td, th { text-align:left; padding:3px 6px 3px 0; white-space:nowrap; }
th { color:var(--dim); font-weight:500; }
.scroll { overflow-x:auto; }
dl { display:grid; grid-template-columns:auto 1fr; gap:2px 12px; margin:0; }
dt { color:var(--dim); } dd { margin:0; overflow-wrap:anywhere; }
</style>
</head>
<body>
<header><h1>infinite-hashes</h1><span id="state" class="dim">connecting…</span><span id="version" class="dim"></span></header>
<main>
<section><h2>Hashrate</h2>
<div class="big"><span id="hashrate-10s" data-hps="0">–</span></div>
<div class="dim">60 s <span id="hashrate-60s">–</span> · 15 min <span id="hashrate-15m">–</span> · best <span id="hashrate-highest">–</span></div>
</section>
<section><h2>Shares</h2>
<dl><dt>accepted</dt><dd id="accepted">–</dd><dt>rejected</dt><dd id="rejected">–</dd><dt>stale</dt><dd id="stale">–</dd>
<dt>hardware errors</dt><dd id="hw">–</dd><dt>difficulty</dt><dd id="diff">–</dd><dt>best share</dt><dd id="best">–</dd></dl>
</section>
<section><h2>Pool</h2>
<dl><dt>url</dt><dd id="pool">–</dd><dt>connected</dt><dd id="pool-up">–</dd><dt>ping</dt><dd id="ping">–</dd>
<dt>failures</dt><dd id="failures">–</dd><dt>uptime</dt><dd id="uptime">–</dd></dl>
</section>
<section class="wide"><h2>Last hour</h2><canvas id="chart" width="900" height="180"></canvas></section>
<section class="wide"><h2>Devices</h2><div class="scroll"><table>
<thead><tr><th>device</th><th>scanner</th><th>10 s</th><th>60 s</th><th>accepted</th><th>HW</th><th>state</th><th>temp</th><th>power</th></tr></thead>
<tbody id="devices"></tbody></table></div></section>
</main>
<script>
"use strict";
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const headers = token ? { Authorization: "Bearer " + token } : {};
const $ = (id) => document.getElementById(id);
function rate(h) {
  if (h === null || h === undefined) return "n/a";
  const units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s"];
  let i = 0;
  while (h >= 1000 && i < units.length - 1) { h /= 1000; i++; }
  return h.toFixed(h >= 100 ? 0 : h >= 10 ? 1 : 2) + " " + units[i];
}
function duration(s) {
  s = Math.floor(s); const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + (s % 60) + "s";
}
function text(id, value) { $(id).textContent = value; }
async function get(path) {
  const r = await fetch(path, { headers: headers, cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}
function drawChart(points) {
  const c = $("chart"), g = c.getContext("2d");
  const w = c.width = c.clientWidth * (window.devicePixelRatio || 1), hgt = c.height = 180 * (window.devicePixelRatio || 1);
  g.clearRect(0, 0, w, hgt);
  const ys = points.map(p => p[1]).filter(v => v !== null);
  if (ys.length < 2) { g.fillStyle = "#8b98a5"; g.font = (14 * (window.devicePixelRatio || 1)) + "px sans-serif"; g.fillText("collecting samples…", 10, 24); return; }
  const max = Math.max(...ys) * 1.1 || 1, t0 = points[0][0], t1 = points[points.length - 1][0] || t0 + 1;
  g.strokeStyle = "#263040"; g.lineWidth = 1;
  for (let i = 1; i < 4; i++) { g.beginPath(); g.moveTo(0, hgt * i / 4); g.lineTo(w, hgt * i / 4); g.stroke(); }
  g.strokeStyle = "#58a6ff"; g.lineWidth = 2 * (window.devicePixelRatio || 1); g.beginPath();
  let started = false;
  for (const [t, v] of points) {
    if (v === null) { started = false; continue; }
    const x = (t - t0) / Math.max(1, t1 - t0) * w, y = hgt - v / max * hgt;
    if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
  }
  g.stroke();
  g.fillStyle = "#8b98a5"; g.font = (12 * (window.devicePixelRatio || 1)) + "px sans-serif"; g.fillText(rate(max / 1.1), 6, 14);
}
async function refresh() {
  try {
    const [s, backends, history] = await Promise.all([get("1/summary"), get("2/backends"), get("dashboard/history")]);
    const t = s.hashrate.total;
    text("hashrate-10s", rate(t[0])); $("hashrate-10s").dataset.hps = t[0] === null ? 0 : t[0];
    text("hashrate-60s", rate(t[1])); text("hashrate-15m", rate(t[2])); text("hashrate-highest", rate(s.hashrate.highest));
    const l = s.ledger.total;
    text("accepted", l.accepted); text("rejected", l.rejected); text("stale", l.stale); text("hw", l.hardware_errors);
    text("diff", s.results.diff_current.toPrecision(4)); text("best", s.results.best.length ? s.results.best[0].toPrecision(4) : "–");
    const c = s.connection || {};
    text("pool", c.pool || "–"); text("pool-up", c.connected ? "yes, " + duration(c.uptime) : "no");
    text("ping", c.ping + " ms"); text("failures", c.failures); text("uptime", duration(s.uptime));
    text("version", s.ua);
    const state = $("state");
    state.textContent = s.paused ? "paused" : c.connected ? "mining" : "no pool";
    state.className = !s.paused && c.connected ? "ok" : "bad";
    const rows = backends.map(d => {
      const tr = document.createElement("tr");
      const cells = [d.name, d.scanner, rate(d.hashrate[0]), rate(d.hashrate[1]), d.shares.accepted, d.hardware_errors,
        d.failed ? "failed" : d.paused ? "paused" : "ok",
        d.health.temperature_c === null ? "–" : d.health.temperature_c + " °C",
        d.health.power_w === null ? "–" : d.health.power_w.toFixed(0) + " W"];
      for (const v of cells) { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); }
      return tr;
    });
    $("devices").replaceChildren(...rows);
    drawChart(history.points);
  } catch (e) {
    const state = $("state"); state.textContent = String(e.message); state.className = "bad";
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

const std::string& dashboard_page() {
  static const std::string page(kPage);
  return page;
}

}  // namespace ih::agent::status
