import { html, useState } from '../lib.js';
import { del, get, post } from '../api.js';
import { useRefreshing } from '../refresh.js';
import { ActionButton, Badge, Confirm, ErrorNote, Json, Loading, Progress, StateBadge, useToast } from '../components.js';
import { bytes, instant, iso, relative } from '../format.js';

const RETRYABLE = ['DEAD', 'CANCELLED', 'SUCCEEDED', 'RETRYING'];
const CANCELLABLE = ['QUEUED', 'RETRYING', 'RUNNING'];
const FINISHED = ['SUCCEEDED', 'DEAD', 'CANCELLED'];

function Field({ label, children }) {
  return html`<div><dt>${label}</dt><dd>${children}</dd></div>`;
}

function Attempts({ attempts, job }) {
  if (!attempts.length) {
    return html`<p class="muted">${job.attempt ? 'No failed attempt.' : 'Not run yet.'}</p>`;
  }
  return html`<ol class="timeline" data-test="attempts">
    ${attempts.map((a) => html`<li key=${a.attempt} class=${'outcome-' + String(a.outcome).toLowerCase()}>
      <div class="timeline-head">
        <strong>Attempt ${a.attempt}</strong> <${Badge} kind="danger">${a.outcome}<//>
        <span class="muted">${instant(a.startedAt)} → ${instant(a.finishedAt)} · ${iso(a.wallTime)}
          ${a.peakHeapBytes != null ? ' · peak heap ' + bytes(a.peakHeapBytes) : ''}
          ${a.nodeId ? ' · node ' + a.nodeId.slice(0, 8) : ''}</span>
      </div>
      ${a.error ? html`<div class="error-text">${a.error}</div>` : null}
      ${a.stackTrace ? html`<details><summary>Stack trace</summary><pre class="stack">${a.stackTrace}</pre></details>` : null}
    </li>`)}
  </ol>`;
}

function Logs({ id, logs }) {
  const [more, setMore] = useState([]);
  const [next, setNext] = useState(undefined);
  const cursor = next === undefined ? logs.next : next;
  const lines = logs.items.concat(more);
  const [error, setError] = useState(null);
  const loadMore = async () => {
    try {
      const page = await get('jobs/' + encodeURIComponent(id) + '/logs', { cursor, limit: 200 });
      setMore(more.concat(page.items));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  if (!lines.length) return html`<p class="muted">No log lines.</p>`;
  return html`<div class="table-wrap"><table class="table logs" data-test="logs">
    <thead><tr><th>Time</th><th class="num">Attempt</th><th>Message</th></tr></thead>
    <tbody>${lines.map((line) => html`<tr key=${line.id}>
      <td class="mono">${instant(line.at)}</td><td class="num">${line.attempt}</td><td class="log-message">${line.message}</td>
    </tr>`)}</tbody>
  </table></div>
  <${ErrorNote} error=${error} />
  ${cursor ? html`<button class="button" onClick=${loadMore}>More lines</button>` : null}`;
}

export function JobDetail({ id, navigate }) {
  const [toast, say] = useToast();
  const [asking, setAsking] = useState(false);
  const [details, error, reload] = useRefreshing(() => get('jobs/' + id), [id], {
    onJobs: (batch) => batch.dropped > 0 || batch.changes.some((change) => change.jobId === id),
    fast: (data) => data && data.job.state === 'RUNNING',
  });
  if (!details) return error ? html`<${ErrorNote} error=${error} />` : html`<${Loading} />`;
  const job = details.job;
  const act = async (action) => {
    try {
      if (action === 'delete') {
        await del('jobs/' + id);
        navigate('#/jobs');
        return;
      }
      await post('jobs/' + id + '/' + action);
      say(action === 'retry' ? 'Queued to run again now' : 'Cancelled');
      reload();
    } catch (e) {
      say(e.message, true);
    }
  };
  return html`<section data-test="page-job">
    <div class="title-row">
      <h2>${job.name} <${StateBadge} state=${job.state} /></h2>
      <div class="actions">
        ${RETRYABLE.includes(job.state) ? html`<${ActionButton} testId="job-retry" kind="primary" onClick=${() => act('retry')}>Retry now<//>` : null}
        ${CANCELLABLE.includes(job.state) ? html`<${ActionButton} testId="job-cancel" onClick=${() => act('cancel')}>Cancel<//>` : null}
        ${FINISHED.includes(job.state) ? html`<${ActionButton} testId="job-delete" kind="danger" onClick=${() => setAsking(true)}>Delete<//>` : null}
      </div>
    </div>
    <${ErrorNote} error=${error} />
    <p class="mono muted">${job.id}</p>
    ${job.state === 'RUNNING' ? html`<${Progress} value=${job.progress ?? 0} />` : null}
    <dl class="grid">
      <${Field} label="Lane">${job.lane} (${job.bound})<//>
      <${Field} label="Attempt">${job.attempt} of ${job.maxAttempts}<//>
      <${Field} label="Priority">${job.priority}<//>
      <${Field} label="Created">${instant(job.createdAt)}<//>
      <${Field} label="Run at">${instant(job.runAt)} (${relative(job.runAt)})<//>
      <${Field} label="Started">${instant(job.startedAt)}<//>
      <${Field} label="Finished">${instant(job.finishedAt)}<//>
      <${Field} label="Late by">${iso(details.lateness)}<//>
      <${Field} label="Wall time">${iso(job.wallTime)}<//>
      <${Field} label="CPU time">${iso(job.cpuTime)}<//>
      <${Field} label="Allocated">${bytes(job.allocatedBytes)}<//>
      <${Field} label="Peak heap">${bytes(job.peakHeapBytes)}<//>
      <${Field} label="Node">${job.nodeId ? job.nodeId.slice(0, 8) : '–'}<//>
      <${Field} label="Schedule">${job.scheduleId
        ? html`<a href=${'#/jobs?schedule=' + encodeURIComponent(job.scheduleId)}>${job.scheduleId}</a>` : '–'}<//>
      <${Field} label="Unique key">${job.uniqueKey || '–'}<//>
      <${Field} label="Enqueue trace">${traceId(job.traceContext)}<//>
    </dl>
    ${job.error ? html`<h3>Error</h3><div class="error-text" data-test="job-error">${job.error}</div>` : null}
    <div class="two">
      <div><h3>Arguments</h3><${Json} text=${job.argumentsJson} /></div>
      <div><h3>Result</h3><${Json} text=${job.resultJson} empty=${job.state === 'SUCCEEDED' ? 'no result (void)' : 'none yet'} /></div>
    </div>
    <h3>Failed attempts</h3>
    <${Attempts} attempts=${details.attempts} job=${job} />
    <h3>Log</h3>
    <${Logs} key=${job.attempt + ':' + details.logs.items.length} id=${id} logs=${details.logs} />
    ${asking ? html`<${Confirm} title="Delete this job" danger=${true} confirmLabel="Delete"
      message=${'Delete ' + job.name + ' (' + job.id + ') with its attempts and log? This cannot be undone.'}
      onConfirm=${() => { setAsking(false); act('delete'); }} onCancel=${() => setAsking(false)} />` : null}
    ${toast}
  </section>`;
}

// The trace id of the enqueue's W3C traceparent, stored as a "traceparent: 00-<trace>-<span>-<flags>"
// line when the enqueue was traced: what to search for in the tracing back end.
function traceId(context) {
  const line = (context || '').split('\n').find(l => l.startsWith('traceparent:'));
  const parts = line ? line.slice('traceparent:'.length).trim().split('-') : [];
  return parts.length >= 4
    ? html`<code title=${'traceparent ' + parts.join('-') + ' (the enqueue\'s span ' + parts[2] + ')'}>${parts[1]}</code>`
    : '–';
}
