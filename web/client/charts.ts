// Draws every <canvas data-chart> with Chart.js (bundled at build time; no CDN). The numbers stay
// in the page as a table, so a chart is never the only place a figure is.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ChartSpec } from '../views/charts.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export function drawCharts(root: ParentNode = document): void {
  for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) {
    if (Chart.getChart(canvas)) continue;
    const spec = JSON.parse(canvas.dataset['chart']!) as ChartSpec;
    new Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels, datasets: spec.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color })) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: spec.horizontal ? 'y' : 'x',
        plugins: { legend: { display: spec.series.length > 1 } },
        scales: {
          x: { stacked: Boolean(spec.stacked), title: { display: Boolean(spec.horizontal ? spec.yTitle : spec.xTitle), text: (spec.horizontal ? spec.yTitle : spec.xTitle) ?? '' } },
          y: { stacked: Boolean(spec.stacked), beginAtZero: true, title: { display: Boolean(spec.horizontal ? spec.xTitle : spec.yTitle), text: (spec.horizontal ? spec.xTitle : spec.yTitle) ?? '' } },
        },
      },
    });
  }
}
