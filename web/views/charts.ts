// A bar chart that reads without JavaScript: the numbers are a table (for screen readers, print and
// old files), and the client script draws the same numbers with Chart.js on the canvas above it.
import { html } from 'htm/preact';

export interface ChartSpec {
  labels: string[];
  series: { label: string; data: number[]; color: string }[];
  stacked?: boolean;
  horizontal?: boolean;
  xTitle?: string;
  yTitle?: string;
}

export function BarChart({ id, title, spec, height = 220 }: { id: string; title: string; spec: ChartSpec; height?: number }) {
  const summary = spec.series.map((s) => `${s.label}: ${s.data.reduce((a, b) => a + b, 0)}`).join(', ');
  return html`<figure class="chart" id=${id}>
    <figcaption>${title}</figcaption>
    <div class="chart-box" style=${`height:${height}px`}><canvas data-chart=${JSON.stringify(spec)} role="img" aria-label=${`${title}. ${summary}. The numbers are in the table below.`}></canvas></div>
    <details class="chart-data"><summary>Numbers</summary>
      <table><thead><tr><th scope="col">${spec.xTitle ?? ''}</th>${spec.series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
      <tbody>${spec.labels.map((l, i) => html`<tr><th scope="row">${l}</th>${spec.series.map((s) => html`<td class="num">${s.data[i]}</td>`)}</tr>`)}</tbody></table>
    </details>
  </figure>`;
}
