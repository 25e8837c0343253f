import { html } from '../lib.js';
import { useOverview } from '../refresh.js';
import { LineChart } from '../charts.js';
import { Badge, ErrorNote, Loading, STATES, StateBadge } from '../components.js';
import { count, duration, iso, millis, rate } from '../format.js';

/** The lanes with something to show in the series: runs, waiting or running jobs. */
function activeLanes(points, lanes) {
  const active = new Set();
  for (const point of points) {
    for (const [lane, figures] of Object.entries(point.lanes)) {
      if (figures.perSecond > 0 || figures.queued > 0 || figures.running > 0) active.add(lane);
    }
  }
  for (const lane of lanes) if (lane.total.running > 0 || lane.total.queued > 0) active.add(lane.lane);
  return [...active].sort();
}

function Charts({ series, lanes, theme }) {
  const points = series ? series.points : [];
  const names = activeLanes(points, lanes);
  if (!points.length || !names.length) {
    return html`<div class="panel muted" data-test="charts-empty">
      Charts of throughput, queue and wait appear here once jobs run; they cover the time the dashboard has been
      watched, up to 30 minutes.
    </div>`;
  }
  const times = points.map((p) => new Date(p.at).getTime() / 1000);
  const line = (pick) => names.map((lane) => ({
    label: lane,
    values: points.map((p) => (p.lanes[lane] ? pick(p.lanes[lane]) : null)),
  }));
  return html`<div class="charts">
    <${LineChart} title="Throughput (runs ended per second)" times=${times} theme=${theme} testId="chart-throughput"
      lines=${line((f) => f.perSecond)} format=${rate} />
    <${LineChart} title="Queued" times=${times} theme=${theme} testId="chart-queued"
      lines=${line((f) => f.queued)} format=${(v) => (Number.isInteger(v) ? count(v) : v.toFixed(1))} />
    <${LineChart} title="Wait p95 (due to started)" times=${times} theme=${theme} testId="chart-wait"
      lines=${line((f) => f.waitP95Millis)} format=${duration} />
  </div>`;
}

function LaneCard({ lane }) {
  const total = lane.total;
  const capacity = lane.capacity || (lane.node ? lane.node.concurrency : 0);
  const used = capacity ? Math.min(100, Math.round((100 * total.running) / capacity)) : 0;
  return html`<a class="card lane-card" href=${'#/jobs?lane=' + encodeURIComponent(lane.lane)} data-test="lane-card">
    <div class="card-head">
      <strong>${lane.lane}</strong>
      ${lane.paused ? html`<${Badge} kind="warn">paused<//>` : null}
    </div>
    <div class="meter" title=${total.running + ' of ' + capacity + ' slots busy'}>
      <div style=${{ width: used + '%' }}></div>
    </div>
    <dl class="figures">
      <div><dt>Running</dt><dd>${total.running} / ${capacity || '–'}</dd></div>
      <div><dt>Queued</dt><dd>${count(total.queued)}</dd></div>
      <div><dt>Throughput</dt><dd>${rate(total.perSecond)}</dd></div>
      <div><dt>Wait p95</dt><dd>${iso(total.waitP95)}</dd></div>
      <div><dt>Run p95</dt><dd>${iso(total.runP95)}</dd></div>
      <div><dt>Failed (1 min)</dt><dd>${count(total.failed)}</dd></div>
    </dl>
  </a>`;
}

export function Overview({ theme }) {
  const { overview, series, error } = useOverview();
  if (!overview) return error ? html`<${ErrorNote} error=${error} />` : html`<${Loading} />`;
  const lanes = overview.lanes.lanes;
  const shown = lanes.filter((lane) => lane.total.running || lane.total.queued || lane.total.perSecond
    || lane.total.succeeded || lane.total.failed || lane.paused || Object.keys(lane.jobs).length);
  return html`<section data-test="page-overview">
    <${ErrorNote} error=${error} />
    <div class="tiles">
      ${STATES.map((state) => {
        const c = overview.stats.states[state] || { count: 0, exact: true };
        return html`<a class="tile" href=${'#/jobs?state=' + state} data-test=${'tile-' + state}>
          <${StateBadge} state=${state} />
          <span class="tile-count" title=${c.exact ? 'counted' : 'estimated from the table statistics'}>
            ${c.exact ? '' : '≈ '}${count(c.count)}
          </span>
        </a>`;
      })}
    </div>
    <h2>Lanes</h2>
    <div class="cards">
      ${(shown.length ? shown : lanes).map((lane) => html`<${LaneCard} key=${lane.lane} lane=${lane} />`)}
    </div>
    ${shown.length && shown.length < lanes.length
      ? html`<p class="muted small">${lanes.length - shown.length} idle lanes not shown: see <a href="#/lanes">Lanes</a>.</p>`
      : null}
    <h2>Activity</h2>
    <${Charts} series=${series} lanes=${lanes} theme=${theme} />
    <h2>Nodes</h2>
    <div class="cards">
      ${overview.nodes.map((node) => {
        const running = node.lanes.reduce((sum, lane) => sum + lane.running, 0);
        const age = millis(node.heartbeatAge);
        return html`<a class="card" href="#/nodes" key=${node.id} data-test="node-card">
          <div class="card-head"><strong>${node.name}</strong>
            ${age > 30000 ? html`<${Badge} kind="danger">silent<//>` : html`<${Badge} kind="ok">alive<//>`}</div>
          <dl class="figures">
            <div><dt>Heartbeat</dt><dd>${duration(age)} ago</dd></div>
            <div><dt>Running</dt><dd>${running}</dd></div>
            <div><dt>Version</dt><dd>${node.version || '–'}</dd></div>
          </dl>
        </a>`;
      })}
    </div>
    <p class="muted small">Figures of the last ${iso(overview.lanes.window)}, refreshed every ${iso(overview.refresh)}.</p>
  </section>`;
}
