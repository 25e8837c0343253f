import { html, useState } from '../lib.js';
import { post } from '../api.js';
import { useOverview } from '../refresh.js';
import { ActionButton, Badge, ErrorNote, Loading, useToast } from '../components.js';
import { bytes, count, duration, instant, iso, millis, rate, relative } from '../format.js';
import { AdviceTable, LaneAdviceTable } from './advice.js';

const WORKER_STATE = { STARTING: 'neutral', IDLE: 'neutral', BUSY: 'ok', CLOSING: 'warn' };

function Figures({ figures }) {
  return html`
    <td class="num">${figures.running}</td>
    <td class="num">${figures.held}</td>
    <td class="num">${count(figures.queued)}</td>
    <td class="num">${count(figures.scheduled)}</td>
    <td class="num">${count(figures.retrying)}</td>
    <td class="num">${rate(figures.perSecond)}</td>
    <td class="num">${iso(figures.waitP50)} / ${iso(figures.waitP95)}</td>
    <td class="num">${iso(figures.runP50)} / ${iso(figures.runP95)}</td>`;
}

// The worker JVMs of a process lane, on every node, as the nodes last published them; each node by
// its name where the overview knows it (a node that stopped since shows its id).
function Workers({ lane, nodeNames }) {
  const workers = Object.entries(lane.workers || {}).flatMap(([node, list]) => list.map((w) => ({ node, ...w })));
  if (!workers.length) return null;
  return html`<div data-test="lane-workers" data-lane=${lane.lane}>
    <h3>Workers of ${lane.lane}</h3>
    <div class="table-wrap"><table class="table">
      <thead><tr>
        <th>Node</th><th class="num">PID</th><th>State</th><th>Job</th><th class="num">Jobs run</th>
        <th class="num">Heap used</th><th>Since</th>
      </tr></thead>
      <tbody>
        ${workers.map((w) => html`<tr key=${w.node + '/' + w.pid} data-test="worker-row">
          <td title=${w.node}>${nodeNames[w.node] || html`<span class="mono">${w.node.slice(0, 8)}</span>`}</td>
          <td class="num mono">${w.pid}</td>
          <td><${Badge} kind=${WORKER_STATE[w.state] || 'neutral'}>${w.state.toLowerCase()}<//></td>
          <td>${w.jobId ? html`<a class="mono" href=${'#/jobs/' + encodeURIComponent(w.jobId)}>${w.jobId.slice(0, 8)}</a>` : '–'}</td>
          <td class="num">${count(w.jobsRun)}</td>
          <td class="num">${bytes(w.heapUsedBytes)}</td>
          <td title=${instant(w.startedAt)}>${relative(w.startedAt)}</td>
        </tr>`)}
      </tbody>
    </table></div>
  </div>`;
}

export function Lanes() {
  const { overview, error } = useOverview();
  const [pending, setPending] = useState({});
  const [toast, say] = useToast();
  if (!overview) return error ? html`<${ErrorNote} error=${error} />` : html`<${Loading} />`;
  // A pause or resume shows at once; the next overview that agrees takes over from it.
  const stale = Object.keys(pending).filter((lane) =>
    overview.lanes.lanes.some((l) => l.lane === lane && l.paused === pending[lane]));
  if (stale.length) {
    const left = { ...pending };
    stale.forEach((lane) => delete left[lane]);
    setPending(left);
  }
  // Lanes the advisor finds held back by their concurrency, by name.
  const narrow = Object.fromEntries((overview.laneAdvice || []).map((a) => [a.lane, a]));
  // Job names whose declared bound the advisor finds does not fit, by name.
  const misdeclared = Object.fromEntries((overview.advice || []).filter((a) => a.suggested).map((a) => [a.jobName, a]));
  const act = async (lane, pause) => {
    try {
      await post('lanes/' + encodeURIComponent(lane) + (pause ? '/pause' : '/resume'));
      setPending({ ...pending, [lane]: pause });
      say((pause ? 'Paused ' : 'Resumed ') + lane + ': every node sees it within a poll');
    } catch (e) {
      say(e.message, true);
    }
  };
  return html`<section data-test="page-lanes">
    <h2>Lanes</h2>
    <div class="table-wrap"><table class="table">
      <thead><tr>
        <th>Lane</th><th>Bound types</th><th>Executor</th><th class="num">Slots</th><th class="num">Running</th>
        <th class="num">Held</th><th class="num">Queued</th><th class="num">Scheduled</th><th class="num">Retrying</th>
        <th class="num">Throughput</th><th class="num">Wait p50 / p95</th><th class="num">Run p50 / p95</th><th></th>
      </tr></thead>
      <tbody>
        ${overview.lanes.lanes.map((lane) => {
          const paused = lane.lane in pending ? pending[lane.lane] : lane.paused;
          return html`
          <tr key=${lane.lane} data-test="lane-row" data-lane=${lane.lane}>
            <td><strong>${lane.lane}</strong> ${paused ? html`<${Badge} kind="warn">paused<//>` : null}
              ${narrow[lane.lane] ? html` <span title=${narrow[lane.lane].reason} data-test="lane-advice-badge">
                <${Badge} kind="warn">concurrency: ${narrow[lane.lane].suggestedConcurrency}?<//></span>` : null}</td>
            <td>${lane.boundTypes.join(', ') || '–'}</td>
            <td>${lane.node ? lane.node.executor : html`<span class="muted">other nodes</span>`}</td>
            <td class="num">${lane.capacity ?? (lane.node ? lane.node.concurrency : '–')}</td>
            <${Figures} figures=${lane.total} />
            <td>
              <${ActionButton} testId="lane-toggle" onClick=${() => act(lane.lane, !paused)}>
                ${paused ? 'Resume' : 'Pause'}
              <//>
            </td>
          </tr>
          ${Object.entries(lane.jobs).map(([name, figures]) => html`
            <tr key=${lane.lane + '/' + name} class="sub">
              <td colspan="4"><a href=${'#/jobs?name=' + encodeURIComponent(name)}>${name}</a>
                ${misdeclared[name] ? html` <span title=${misdeclared[name].reason} data-test="advice-badge">
                  <${Badge} kind="warn">bound: ${misdeclared[name].suggested}?<//></span>` : null}</td>
              <${Figures} figures=${figures} />
              <td></td>
            </tr>`)}`;
        })}
      </tbody>
    </table></div>
    <p class="muted small">${'Runs of the last ' + iso(overview.lanes.window) + '; waiting jobs counted '
      + (overview.lanes.queueCountedAt ? 'at ' + instant(overview.lanes.queueCountedAt) : 'soon') + '.'}</p>
    ${overview.lanes.lanes.map((lane) => html`<${Workers} key=${'workers/' + lane.lane} lane=${lane}
      nodeNames=${Object.fromEntries(overview.nodes.map((node) => [node.id, node.name]))} />`)}
    <${LaneAdviceTable} laneAdvice=${overview.laneAdvice} />
    <${AdviceTable} advice=${overview.advice} />
    ${toast}
  </section>`;
}

export function Nodes() {
  const { overview, error } = useOverview();
  if (!overview) return error ? html`<${ErrorNote} error=${error} />` : html`<${Loading} />`;
  return html`<section data-test="page-nodes">
    <h2>Nodes</h2>
    <div class="table-wrap"><table class="table">
      <thead><tr><th>Node</th><th>Id</th><th>Started</th><th>Heartbeat</th><th>Version</th><th>Lanes (running / held / slots)</th></tr></thead>
      <tbody>
        ${overview.nodes.map((node) => {
          const age = millis(node.heartbeatAge);
          return html`<tr key=${node.id} data-test="node-row">
            <td><strong>${node.name}</strong></td>
            <td class="mono">${node.id}</td>
            <td>${instant(node.startedAt)}</td>
            <td>${age > 30000 ? html`<${Badge} kind="danger">silent<//> ` : null}${duration(age)} ago</td>
            <td>${node.version || '–'}</td>
            <td>${node.lanes.filter((l) => l.running || l.held).map((l) =>
              html`<span class="chip" key=${l.name}>${l.name} ${l.running}/${l.held}/${l.capacity}</span>`)}
              ${node.lanes.every((l) => !l.running && !l.held) ? html`<span class="muted">idle</span>` : null}</td>
          </tr>`;
        })}
      </tbody>
    </table></div>
  </section>`;
}
