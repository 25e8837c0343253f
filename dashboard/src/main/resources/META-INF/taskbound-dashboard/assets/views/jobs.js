import { html, useState } from '../lib.js';
import { get, post } from '../api.js';
import { useRefreshing } from '../refresh.js';
import { ActionButton, Confirm, Empty, ErrorNote, Loading, Progress, STATES, StateBadge, useToast } from '../components.js';
import { count, instant, relative, shortId } from '../format.js';
import { AdviceNote } from './advice.js';

const PAGE = 50;
const DONE = { retry: 'retried', cancel: 'cancelled', delete: 'deleted' };
// The states each bulk action takes a job in (the server's rule); the confirmation counts those only.
const ELIGIBLE = {
  retry: ['DEAD', 'CANCELLED', 'SUCCEEDED', 'RETRYING'],
  cancel: ['QUEUED', 'RETRYING', 'RUNNING'],
  delete: ['SUCCEEDED', 'DEAD', 'CANCELLED'],
};

/** The filter narrowed to the states an action takes, or null when no job could match. */
function eligible(filter, action) {
  const wanted = filter.state ? filter.state.toUpperCase().split(',').map((s) => s.trim()) : ELIGIBLE[action];
  const states = wanted.filter((state) => ELIGIBLE[action].includes(state));
  return states.length ? { ...filter, state: states.join(',') } : null;
}
const FILTERS = ['state', 'lane', 'name', 'schedule', 'q', 'from', 'to'];

/** A page of the listing; a page that came back short with a cursor (sparse matches) is filled by following it. */
async function loadPage(filter, cursor) {
  let items = [];
  let next = cursor;
  for (let calls = 0; calls < 10; calls++) {
    const page = await get('jobs', { ...filter, limit: PAGE - items.length, cursor: next });
    items = items.concat(page.items);
    next = page.next;
    if (!next || items.length >= PAGE) break;
  }
  return { items, next };
}

function describe(filter) {
  const parts = FILTERS.filter((f) => filter[f]).map((f) => f + ' ' + filter[f]);
  return parts.length ? parts.join(', ') : 'no filter: every job';
}

// datetime-local inputs hold local time; the API takes instants.
const toInstant = (local) => (local ? new Date(local).toISOString() : '');
const toLocal = (value) => {
  if (!value) return '';
  const date = new Date(value);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

function FilterBar({ filter, setFilter, lanes, names }) {
  const [q, setQ] = useState(filter.q || '');
  const change = (name) => (event) => setFilter({ ...filter, [name]: event.target.value });
  return html`<form class="filters" onSubmit=${(e) => { e.preventDefault(); setFilter({ ...filter, q }); }}>
    <label>State <select value=${filter.state || ''} onChange=${change('state')} data-test="filter-state">
      <option value="">any</option>
      ${STATES.map((s) => html`<option value=${s}>${s}</option>`)}
    </select></label>
    <label>Lane <select value=${filter.lane || ''} onChange=${change('lane')} data-test="filter-lane">
      <option value="">any</option>
      ${lanes.map((l) => html`<option value=${l}>${l}</option>`)}
    </select></label>
    <label>Job <select value=${filter.name || ''} onChange=${change('name')} data-test="filter-name">
      <option value="">any</option>
      ${names.map((n) => html`<option value=${n}>${n}</option>`)}
    </select></label>
    <label>Schedule <input value=${filter.schedule || ''} onChange=${change('schedule')} placeholder="schedule id" size="12" /></label>
    <label>Created from <input type="datetime-local" value=${toLocal(filter.from)}
      onChange=${(e) => setFilter({ ...filter, from: toInstant(e.target.value) })} /></label>
    <label>to <input type="datetime-local" value=${toLocal(filter.to)}
      onChange=${(e) => setFilter({ ...filter, to: toInstant(e.target.value) })} /></label>
    <label class="grow">Arguments contain
      <input type="search" value=${q} onInput=${(e) => setQ(e.target.value)} placeholder="text in the arguments, e.g. an order id"
        data-test="filter-q" /></label>
    <button class="button" type="submit" data-test="filter-search">Search</button>
    ${FILTERS.some((f) => filter[f]) ? html`<button class="button link" type="button"
      onClick=${() => { setQ(''); setFilter({}); }}>Clear</button>` : null}
  </form>`;
}

function BulkActions({ filter, onDone, say }) {
  const [asking, setAsking] = useState(null);
  const ask = async (action) => {
    try {
      const filtered = FILTERS.some((f) => filter[f]);
      const counted = eligible(filter, action);
      const total = counted ? await get('jobs/count', counted) : { count: 0, atLeast: false };
      const many = total.count === null ? null : total.atLeast ? 'more than ' + count(total.count) : count(total.count);
      setAsking({ action, filtered, filter, total, message: 'This will ' + action + ' the jobs matching ' + describe(filter)
        + ' that can be ' + DONE[action] + ': ' + (many === null
          ? 'how many is not known (counting them would take too long).' : many + ' match now.') });
    } catch (e) {
      say(e.message, true);
    }
  };
  const run = async () => {
    const { action, filtered, filter: asked } = asking;
    setAsking(null);
    try {
      const done = await post('jobs/' + action, undefined, filtered ? asked : { all: 'true' });
      say(action[0].toUpperCase() + action.slice(1) + ': ' + count(done.count) + ' jobs');
      onDone();
    } catch (e) {
      say(e.message, true);
    }
  };
  return html`<div class="bulk">
    <span class="muted">On every job matching the filter:</span>
    <${ActionButton} testId="bulk-retry" onClick=${() => ask('retry')}>Retry…<//>
    <${ActionButton} testId="bulk-cancel" onClick=${() => ask('cancel')}>Cancel…<//>
    <${ActionButton} testId="bulk-delete" kind="danger" onClick=${() => ask('delete')}>Delete…<//>
    ${asking ? html`<${Confirm} title=${'Bulk ' + asking.action} message=${asking.message}
      confirmLabel=${asking.action[0].toUpperCase() + asking.action.slice(1) + ' '
        + (asking.total.atLeast || asking.total.count === null ? 'all' : count(asking.total.count))}
      danger=${asking.action === 'delete'} onConfirm=${run} onCancel=${() => setAsking(null)} />` : null}
  </div>`;
}

export function Jobs({ params, navigate, catalogue }) {
  const filter = Object.fromEntries(FILTERS.filter((f) => params[f]).map((f) => [f, params[f]]));
  const [cursors, setCursors] = useState([null]);
  const [toast, say] = useToast();
  const key = JSON.stringify(filter);
  const cursor = cursors[cursors.length - 1];
  // Live, the first page follows this node's job events that the filter could take; deeper pages
  // stay as they were paged to.
  const [page, error, reload] = useRefreshing(() => loadPage(filter, cursor), [key, cursor], {
    onJobs: (batch) => cursors.length === 1 && (batch.dropped > 0 || batch.changes.some((change) =>
      (!filter.lane || change.lane === filter.lane) && (!filter.name || change.name === filter.name))),
  });
  const setFilter = (next) => {
    setCursors([null]);
    const query = new URLSearchParams(Object.entries(next).filter(([, v]) => v)).toString();
    navigate('#/jobs' + (query ? '?' + query : ''));
  };
  return html`<section data-test="page-jobs">
    <h2>Jobs</h2>
    ${filter.name ? html`<${AdviceNote} name=${filter.name} />` : null}
    <${FilterBar} key=${key} filter=${filter} setFilter=${setFilter} lanes=${catalogue.lanes} names=${catalogue.names} />
    <${BulkActions} filter=${filter} onDone=${reload} say=${say} />
    <${ErrorNote} error=${error} />
    ${!page ? html`<${Loading} />` : !page.items.length ? html`<${Empty}>No job matches ${describe(filter)}.<//>` : html`
    <div class="table-wrap"><table class="table" data-test="jobs-table">
      <thead><tr><th>Job</th><th>State</th><th>Lane</th><th class="num">Attempt</th><th>Created</th><th>Run at</th><th>Finished</th><th>Error</th></tr></thead>
      <tbody>
        ${page.items.map((job) => html`<tr key=${job.id} data-test="job-row" data-id=${job.id} data-state=${job.state}>
          <td><a href=${'#/jobs/' + job.id}><strong>${job.name}</strong> <span class="mono muted">${shortId(job.id)}</span></a></td>
          <td><${StateBadge} state=${job.state} />${job.state === 'RUNNING' ? html`<${Progress} value=${job.progress} />` : null}</td>
          <td>${job.lane}</td>
          <td class="num">${job.attempt} / ${job.maxAttempts}</td>
          <td title=${instant(job.createdAt)}>${relative(job.createdAt)}</td>
          <td title=${instant(job.runAt)}>${relative(job.runAt)}</td>
          <td title=${instant(job.finishedAt)}>${job.finishedAt ? relative(job.finishedAt) : '–'}</td>
          <td class="error-cell">${job.error || ''}</td>
        </tr>`)}
      </tbody>
    </table></div>`}
    <div class="pager">
      <button class="button" disabled=${cursors.length < 2} onClick=${() => setCursors(cursors.slice(0, -1))}>← Newer</button>
      <button class="button" disabled=${cursors.length < 2} onClick=${() => setCursors([null])}>First page</button>
      <button class="button" data-test="next-page" disabled=${!page || !page.next}
        onClick=${() => setCursors([...cursors, page.next])}>Older →</button>
    </div>
    ${toast}
  </section>`;
}
