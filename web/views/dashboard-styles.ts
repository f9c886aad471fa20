// What the dashboard adds to the shared stylesheet: the bar, the portfolio table, forms.
export const DASHBOARD_STYLES = `
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.2rem; padding: 0.6rem 1.2rem; background: #12344d; color: #fff; }
.bar a, .bar button.link { color: #fff; }
.bar .brand { font-weight: 700; font-size: 1.1rem; margin-right: 0.5rem; }
.bar nav a { margin-right: 0.9rem; }
.bar .who { margin-left: auto; font-size: 0.9em; }
main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
.tools { display: flex; flex-wrap: wrap; gap: 0.6rem 1rem; align-items: center; margin: 0.6rem 0; }
input[type=search], input[type=password], input[type=text], select, textarea { font: inherit; padding: 0.3rem 0.45rem; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--ink); }
button { font: inherit; padding: 0.3rem 0.8rem; border: 1px solid #1a4d73; border-radius: 4px; background: #1f5f8b; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1a4d73; }
button.link { background: none; border: none; padding: 0; color: var(--accent); text-decoration: underline; cursor: pointer; }
th button.sort { background: none; border: none; color: var(--ink); padding: 0; font-weight: 700; cursor: pointer; text-align: left; }
.live { font-size: 0.88em; color: #dbe5ee; }
.live.on::before { content: "●"; color: #7fe0a0; margin-right: 0.3em; }
.card-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 0.8rem; margin: 0.8rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; }
.card .big { font-size: 1.6rem; font-weight: 700; }
/* The portfolio's deadlines from a KEV listing that predates the server's record: a note under the deadline, red when overdue. */
.if-aware, .card .warn { font-size: 0.88em; margin-top: 0.15rem; }
.triage { display: grid; gap: 0.3rem; min-width: 14rem; }
.triage label { font-size: 0.85em; font-weight: 600; }
.history { font-size: 0.85em; }
.login { max-width: 30rem; margin: 3rem auto; }
.login label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
.error { color: var(--red); font-weight: 600; }
.table-wrap { overflow-x: auto; }
td.empty { text-align: center; color: var(--muted); padding: 1.2rem; }
@media (max-width: 700px) {
  main { padding: 0.6rem; }
  .bar .who { margin-left: 0; }
  /* Status and support end give way on a phone; the open vulnerabilities stay. */
  table.portfolio th:nth-child(4), table.portfolio td:nth-child(4), table.portfolio th:nth-child(5), table.portfolio td:nth-child(5) { display: none; }
  /* The release page's tables scroll inside the page instead of widening it. */
  main table:not(.portfolio) { display: block; overflow-x: auto; }
  ol.clock { grid-template-columns: 1fr 1fr; }
}
`;
