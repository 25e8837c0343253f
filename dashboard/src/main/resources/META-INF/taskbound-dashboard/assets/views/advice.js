import { html } from '../lib.js';
import { useOverview } from '../refresh.js';
import { Badge } from '../components.js';
import { bytes, count } from '../format.js';

const OBSERVED = {
  CPU_BOUND: 'computing',
  IO_BOUND: 'waiting',
  MEMORY_HEAVY: 'heavy on memory',
  MIXED: 'mixed',
  UNKNOWN: 'not judged yet',
};

function share(value) {
  return value === null || value === undefined ? '–' : Math.round(value * 100) + ' %';
}

// The bound advisor's view of each job name this node ran: declared against observed, mismatches first.
export function AdviceTable({ advice }) {
  if (!advice || !advice.length) return null;
  const sorted = [...advice].sort((a, b) => (b.suggested ? 1 : 0) - (a.suggested ? 1 : 0));
  return html`<div data-test="advice">
    <h3>Bound advisor</h3>
    <div class="table-wrap"><table class="table">
      <thead><tr>
        <th>Job</th><th>Lane</th><th>Declared</th><th>Observed</th><th class="num">Runs</th>
        <th class="num">CPU / wall</th><th class="num">Allocated per run</th><th class="num">Confidence</th><th>Advice</th>
      </tr></thead>
      <tbody>
        ${sorted.map((a) => html`
          <tr key=${a.jobName} data-test="advice-row" data-job=${a.jobName} title=${a.reason}>
            <td><a href=${'#/jobs?name=' + encodeURIComponent(a.jobName)}>${a.jobName}</a></td>
            <td>${a.lane}</td>
            <td class="mono">${a.declared}</td>
            <td>${OBSERVED[a.observed] || a.observed}</td>
            <td class="num">${count(a.runs)}</td>
            <td class="num">${share(a.cpuShare)}</td>
            <td class="num">${bytes(a.allocatedBytesPerRun)}</td>
            <td class="num">${a.observed === 'UNKNOWN' ? '–' : a.confidence.toFixed(2)}</td>
            <td>${a.suggested
              ? html`<${Badge} kind="warn">@Job(bound = ${a.suggested})<//>`
              : html`<span class="muted">fits</span>`}</td>
          </tr>
          ${a.suggested ? html`<tr key=${a.jobName + '/reason'} class="sub">
            <td colspan="9" class="small" data-test="advice-reason">${a.reason}</td>
          </tr>` : null}`)}
      </tbody>
    </table></div>
    <p class="muted small">This node's runs over the advisor's window. CPU of jobs on virtual threads is
      sampled with JDK Flight Recorder; see the README's "The bound advisor".</p>
  </div>`;
}

// The lanes of this node the advisor finds held back by their concurrency: each with its figures and
// the setting to try.
export function LaneAdviceTable({ laneAdvice }) {
  if (!laneAdvice || !laneAdvice.length) return null;
  return html`<div data-test="lane-advice">
    <h3>Lanes held back by their concurrency</h3>
    <div class="table-wrap"><table class="table">
      <thead><tr>
        <th>Lane</th><th class="num">Concurrency</th><th class="num">Saturated</th><th class="num">Held on average</th>
        <th class="num">CPU busy</th><th class="num">Looks</th><th>Advice</th>
      </tr></thead>
      <tbody>
        ${laneAdvice.map((a) => html`
          <tr key=${a.lane} data-test="lane-advice-row" data-lane=${a.lane} title=${a.reason}>
            <td><strong>${a.lane}</strong></td>
            <td class="num">${count(a.concurrency)}</td>
            <td class="num">${share(a.saturatedShare)}</td>
            <td class="num">${a.averageHeld.toFixed(1)}</td>
            <td class="num">${share(a.cpuBusyShare)}</td>
            <td class="num">${count(a.samples)}</td>
            <td><${Badge} kind="warn"><span class="mono">${a.setting}</span><//></td>
          </tr>
          <tr key=${a.lane + '/reason'} class="sub">
            <td colspan="7" class="small" data-test="lane-advice-reason">${a.reason}</td>
          </tr>`)}
      </tbody>
    </table></div>
    <p class="muted small">This node's lanes over the advisor's window: saturated means every slot ran a job while
      work waited for one; CPU busy is this process's share of its processors meanwhile. See the README's
      "The bound advisor".</p>
  </div>`;
}

// The advisor's word on one job name, above the jobs listed by that name.
export function AdviceNote({ name }) {
  const { overview } = useOverview();
  const advice = overview && (overview.advice || []).find((a) => a.jobName === name);
  if (!advice || advice.observed === 'UNKNOWN') return null;
  return html`<p class=${'note' + (advice.suggested ? ' warn' : '')} data-test="advice-note">
    ${advice.suggested ? html`<${Badge} kind="warn">bound<//> ` : null}
    Declared ${advice.declared}, observed ${OBSERVED[advice.observed]} over ${count(advice.runs)} runs
    (CPU ${share(advice.cpuShare)} of wall time). ${advice.suggested ? advice.reason : ''}
  </p>`;
}
