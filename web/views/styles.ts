// One stylesheet for the dossier and the dashboard: readable on screen, printable on A4, contrast
// at WCAG AA for text (checked by axe-core in the browser tests).
export const STYLES = `
:root { --ink: #1b1f24; --muted: #545d68; --line: #d0d7de; --bg: #ffffff; --soft: #f4f6f8; --accent: #1f5f8b; --red: #b3261e; --red-bg: #fde0dc; --green: #1e6b3a; --green-bg: #e0f2e9; --amber: #7a4d00; --amber-bg: #fff1d6; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
code { font: 0.86em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.hash { font-size: 0.8em; }
h1 { font-size: 1.9rem; margin: 0.2rem 0; } h2 { font-size: 1.35rem; border-bottom: 2px solid var(--line); padding-bottom: 0.2rem; margin-top: 2.2rem; } h3 { font-size: 1.08rem; margin-top: 1.4rem; } h4 { margin: 0.6rem 0 0.3rem; font-size: 1rem; }
.dossier { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
.dossier.embedded { max-width: none; padding: 0; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; color: var(--muted); margin: 0; }
.lead { font-size: 1.05rem; }
.muted { color: var(--muted); font-size: 0.9em; }
.cite { display: inline-block; font-size: 0.78em; color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 0.3em; white-space: nowrap; }
.gap { background: var(--amber-bg); color: var(--amber); padding: 0 0.25em; border-radius: 3px; font-weight: 600; overflow-wrap: anywhere; }
.warn, .exploited { color: var(--red); font-weight: 600; }
.note { background: var(--soft); border-left: 4px solid var(--accent); padding: 0.5rem 0.8rem; margin: 0.8rem 0; }
.warn-box { border-left-color: var(--red); }
.tag { display: inline-block; background: var(--soft); border: 1px solid var(--line); border-radius: 12px; padding: 0 0.55em; margin: 0 0.2em 0.3em 0; font-size: 0.88em; }
.tag .count { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
table.facts th { width: 14rem; }
.matrix { width: auto; min-width: 26rem; } .matrix caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
.matrix td.hot, tr.hot td { background: var(--red-bg); }
.sev { font-weight: 600; text-transform: capitalize; } .sev-critical, .sev-high { color: var(--red); } .sev-medium { color: var(--amber); }
.status, .check { display: inline-block; border-radius: 3px; padding: 0 0.35em; font-size: 0.88em; font-weight: 600; }
.status-affected, .check-not-met { background: var(--red-bg); color: var(--red); }
.status-under_investigation, .check-needs-evidence { background: var(--amber-bg); color: var(--amber); }
.status-not_affected, .status-fixed, .check-met { background: var(--green-bg); color: var(--green); }
.check-declared { background: #e3ecf5; color: #1a4d73; }
.guidance { color: var(--muted); font-style: italic; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1rem; }
figure.chart { margin: 0.5rem 0; } figure.chart figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.chart-box { position: relative; } .chart-data summary { cursor: pointer; color: var(--accent); font-size: 0.9em; }
.paths .path { margin: 0.2rem 0 0.6rem; font-size: 0.9em; }
ol.clock { list-style: none; padding: 0; margin: 0.3rem 0 1rem; display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.4rem; }
ol.clock li { border: 1px solid var(--line); border-top-width: 5px; padding: 0.35rem 0.5rem; display: flex; flex-direction: column; font-size: 0.88em; }
ol.clock .stage { font-weight: 600; } ol.clock .aware { border-top-color: var(--accent); }
ol.clock .sent { border-top-color: var(--green); } ol.clock .overdue { border-top-color: var(--red); background: var(--red-bg); }
ol.clock .due { border-top-color: #b07800; } ol.clock .waiting { border-top-color: var(--line); }
ol.clock .state { font-weight: 600; }
ol.clock .basis { color: var(--muted); font-size: 0.9em; } .clock-note { margin-top: -0.5rem; font-size: 0.9em; }
.perimeter .svg { overflow: auto; max-height: 80vh; border: 1px solid var(--line); }
.perimeter .svg svg { max-width: none; height: auto; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.88em; }
.sw { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em; border: 2px solid; }
.sw.red { border-color: red; background: var(--red-bg); } .sw.green { border-color: darkgreen; background: var(--green-bg); } .sw.entry { border-color: red; background: #fff; border-radius: 50%; }
.coverage ul { margin: 0.2rem 0 0.6rem; padding-left: 1.4rem; } .coverage ul.sources { font-size: 0.88em; } .coverage li { margin: 0.15rem 0; }
ul.columns { columns: 2 22rem; font-size: 0.88em; }
.toc ol { columns: 2 16rem; }
ul.dates li.passed { color: var(--muted); }
@media (max-width: 700px) {
  .dossier { padding: 0.8rem; }
  table.facts th { width: 38%; }
  .matrix { min-width: 0; }
  ol.clock { grid-template-columns: 1fr 1fr; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  .dossier { max-width: none; padding: 0; }
  section { break-before: page; } section#identity { break-before: auto; }
  details { display: block; } details > summary { list-style: none; }
  details:not([open]) > *:not(summary) { display: block; }
  .chart-data { display: none; }
  tr, .clock-block, figure { break-inside: avoid; }
  .perimeter .svg { max-height: none; overflow: visible; border: none; }
  .perimeter .svg svg { max-width: 100%; }
  a { color: inherit; text-decoration: none; }
}
`;
