import uPlot from '../vendor/uplot/dist/uPlot.esm.js';
import { html, useEffect, useRef } from './lib.js';

const PALETTE = ['#4f46e5', '#0891b2', '#16a34a', '#d97706', '#dc2626', '#9333ea', '#db2777', '#65a30d', '#0d9488'];

export const colorOf = (index) => PALETTE[index % PALETTE.length];

function axisColor() {
  return getComputedStyle(document.documentElement).getPropertyValue('--muted').trim() || '#888';
}

function gridColor() {
  return getComputedStyle(document.documentElement).getPropertyValue('--grid').trim() || '#8883';
}

/**
 * A line chart over time: `times` in seconds since the epoch, one line per entry of `lines`
 * ({label, values}); `format` writes a value for the axis and the legend.
 */
export function LineChart({ title, times, lines, format, theme, testId }) {
  const box = useRef(null);
  const plot = useRef(null);
  const shape = lines.map((line) => line.label).join('|') + '|' + theme;
  useEffect(() => {
    const element = box.current;
    const options = {
      width: Math.max(200, element.clientWidth),
      height: 180,
      legend: { show: true },
      cursor: { points: { size: 6 } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: axisColor(), grid: { stroke: gridColor(), width: 1 }, ticks: { stroke: gridColor() } },
        {
          stroke: axisColor(),
          grid: { stroke: gridColor(), width: 1 },
          ticks: { stroke: gridColor() },
          size: 70,
          values: (u, values) => values.map((v) => format(v)),
        },
      ],
      series: [
        {},
        ...lines.map((line, index) => ({
          label: line.label,
          stroke: colorOf(index),
          width: 2,
          spanGaps: false,
          value: (u, v) => (v === null || v === undefined ? '–' : format(v)),
        })),
      ],
    };
    plot.current = new uPlot(options, [times, ...lines.map((line) => line.values)], element);
    const resize = new ResizeObserver(() => {
      if (plot.current) plot.current.setSize({ width: Math.max(200, element.clientWidth), height: 180 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current.destroy();
      plot.current = null;
    };
  }, [shape]);
  useEffect(() => {
    if (plot.current) plot.current.setData([times, ...lines.map((line) => line.values)]);
  });
  return html`<figure class="chart" data-test=${testId}>
    <figcaption>${title}</figcaption>
    <div ref=${box}></div>
  </figure>`;
}
