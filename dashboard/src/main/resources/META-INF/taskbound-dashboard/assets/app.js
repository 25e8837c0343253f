import { html, render, useEffect, useState } from './lib.js';
import { ApiError, feed, get, loadSession } from './api.js';
import { RATES, setRate, useRate } from './refresh.js';
import { ErrorNote, Loading } from './components.js';
import { Overview } from './views/overview.js';
import { Jobs } from './views/jobs.js';
import { JobDetail } from './views/job.js';
import { Schedules } from './views/schedules.js';
import { Lanes, Nodes } from './views/lanes.js';
import { Enqueue } from './views/enqueue.js';

// Views are routed in the page's hash (#/jobs?state=DEAD), so the server serves one page.
function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  return { parts: path.split('/').filter(Boolean), params: Object.fromEntries(new URLSearchParams(query || '')) };
}

const THEME_KEY = 'taskbound.theme';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function initialTheme() {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
}
applyTheme(initialTheme());

const NAV = [
  ['', 'Overview'],
  ['jobs', 'Jobs'],
  ['schedules', 'Schedules'],
  ['lanes', 'Lanes'],
  ['nodes', 'Nodes'],
  ['enqueue', 'Enqueue'],
];

function RateControl() {
  const rate = useRate();
  const [connected, setConnected] = useState(feed.connected);
  useEffect(() => (rate === 'live' ? feed.listen((name, data) => name === 'status' && setConnected(data)) : undefined), [rate]);
  return html`<div class="rates" role="group" aria-label="Refresh rate" data-test="refresh-rate">
    ${rate === 'live' ? html`<span class=${'dot ' + (connected ? 'on' : 'off')}
      title=${connected ? 'Live: updates as they happen' : 'Reconnecting…'}></span>` : null}
    ${RATES.map((r) => html`<button class=${'rate ' + (r.value === rate ? 'active' : '')} data-test=${'rate-' + r.value}
      aria-pressed=${r.value === rate} onClick=${() => setRate(r.value)}>${r.label}</button>`)}
  </div>`;
}

async function loadCatalogue() {
  let types = [];
  try {
    types = await get('job-types');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const overview = await get('overview');
  const lanes = overview.lanes.lanes.map((lane) => lane.lane);
  return { types, names: types.map((t) => t.name).sort(), lanes };
}

function App() {
  const [where, setWhere] = useState(route());
  const [theme, setTheme] = useState(initialTheme());
  const [boot, setBoot] = useState({ session: null, catalogue: null, error: null });
  useEffect(() => {
    const changed = () => setWhere(route());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  useEffect(() => {
    (async () => {
      try {
        const session = await loadSession();
        setBoot({ session, catalogue: await loadCatalogue(), error: null });
      } catch (e) {
        setBoot({ session: null, catalogue: null, error: e });
      }
    })();
  }, []);
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, next);
    applyTheme(next);
    setTheme(next);
  };
  const navigate = (hash) => {
    location.hash = hash;
  };
  const [first, second] = where.parts;
  let view;
  if (boot.error) view = html`<${ErrorNote} error=${boot.error} />`;
  else if (!boot.catalogue) view = html`<${Loading} />`;
  else {
    const props = { params: where.params, navigate, catalogue: boot.catalogue, theme };
    if (!first) view = html`<${Overview} ...${props} />`;
    else if (first === 'jobs' && second && UUID.test(second)) view = html`<${JobDetail} key=${second} id=${second} ...${props} />`;
    else if (first === 'jobs' && second) view = html`<div class="note error">"${second}" is not a job id: <a href="#/jobs">list the jobs</a>.</div>`;
    else if (first === 'jobs') view = html`<${Jobs} key=${JSON.stringify(where.params)} ...${props} />`;
    else if (first === 'schedules') view = html`<${Schedules} ...${props} />`;
    else if (first === 'lanes') view = html`<${Lanes} ...${props} />`;
    else if (first === 'nodes') view = html`<${Nodes} ...${props} />`;
    else if (first === 'enqueue') view = html`<${Enqueue} key=${where.params.name} ...${props} />`;
    else view = html`<div class="note error">No page here: <a href="#/">go to the overview</a>.</div>`;
  }
  return html`
    <header class="top">
      <a class="brand" href="#/"><img src="assets/icon.svg" alt="" width="24" height="24" /> Taskbound</a>
      <nav>${NAV.map(([path, label]) => html`<a href=${'#/' + path} data-test=${'nav-' + (path || 'overview')}
        class=${(first || '') === path ? 'active' : ''}>${label}</a>`)}</nav>
      <div class="tools">
        <${RateControl} />
        <button class="button icon" onClick=${toggleTheme} data-test="theme-toggle"
          title=${theme === 'dark' ? 'Switch to light' : 'Switch to dark'}>${theme === 'dark' ? '☀' : '☾'}</button>
        ${boot.session && boot.session.user ? html`<span class="user muted" title=${boot.session.canManage ? 'may change jobs' : 'read only'}>
          ${boot.session.user}${boot.session.canManage ? '' : ' (read only)'}</span>` : null}
      </div>
    </header>
    <main>${view}</main>`;
}

render(html`<${App} />`, document.getElementById('app'));
