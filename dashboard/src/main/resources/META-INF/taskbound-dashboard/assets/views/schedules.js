import { html, useEffect, useState } from '../lib.js';
import { del, get, post, put } from '../api.js';
import { useRefreshing } from '../refresh.js';
import { ActionButton, Badge, Confirm, Empty, ErrorNote, Loading, useToast } from '../components.js';
import { instant, iso, relative } from '../format.js';

const MISFIRE = ['FIRE_ONCE', 'FIRE_ALL', 'SKIP'];
const OVERLAP = ['ALLOW', 'SKIP'];
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [ZONE];

/** A fire time as a clock in the schedule's zone shows it, or in the browser's if the zone is not one it knows. */
function inZone(value, zone) {
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
      second: '2-digit', timeZone: zone, timeZoneName: 'short',
    }).format(new Date(value));
  } catch (e) {
    return instant(value);
  }
}

/** The next fire times of a cron expression or interval as typed, or its error, checked by the server as one types. */
function usePreview(timing, zone) {
  const [preview, setPreview] = useState(null);
  useEffect(() => {
    const value = timing.kind === 'cron' ? timing.cron.trim() : timing.every.trim();
    if (!value) {
      setPreview(null);
      return undefined;
    }
    let gone = false;
    const timer = setTimeout(async () => {
      try {
        const params = timing.kind === 'cron' ? { cron: value, zone } : { every: value, zone };
        const answer = await get('schedules/preview', { ...params, count: 5 });
        if (!gone) setPreview({ next: answer.next });
      } catch (e) {
        if (!gone) setPreview({ error: e.message });
      }
    }, 250);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [timing.kind, timing.cron, timing.every, zone]);
  return preview;
}

function ScheduleForm({ schedule, catalogue, onSaved, onCancel }) {
  const editing = !!schedule;
  const [form, setForm] = useState(() => ({
    id: schedule ? schedule.id : '',
    job: schedule ? schedule.jobName : catalogue.names[0] || '',
    arguments: schedule ? schedule.argumentsJson || '[]' : '[]',
    kind: schedule && !schedule.cron ? 'every' : 'cron',
    cron: schedule && schedule.cron ? schedule.cron : '',
    every: schedule && schedule.every ? schedule.every : 'PT5M',
    zone: schedule ? schedule.zone : ZONE,
    misfire: schedule ? schedule.misfire : 'FIRE_ONCE',
    overlap: schedule ? schedule.overlap : 'SKIP',
    jitter: schedule ? schedule.jitter : 'PT0S',
  }));
  const [error, setError] = useState(null);
  const preview = usePreview({ kind: form.kind, cron: form.cron, every: form.every }, form.zone);
  const set = (name) => (event) => setForm({ ...form, [name]: event.target.value });
  const save = async (event) => {
    event.preventDefault();
    let args;
    try {
      args = JSON.parse(form.arguments || '[]');
    } catch (e) {
      setError(new Error('Arguments: not JSON (' + e.message + '): write a JSON array such as ["report", 42]'));
      return;
    }
    const body = {
      arguments: args,
      zone: form.zone,
      misfire: form.misfire,
      overlap: form.overlap,
      jitter: form.jitter,
      ...(form.kind === 'cron' ? { cron: form.cron } : { every: form.every }),
    };
    try {
      const saved = editing
        ? await put('schedules/' + encodeURIComponent(form.id), body)
        : await post('schedules', { id: form.id, job: form.job, ...body });
      onSaved(saved);
    } catch (e) {
      setError(e);
    }
  };
  return html`<form class="panel form" onSubmit=${save} data-test="schedule-form">
    <h3>${editing ? 'Change schedule ' + form.id : 'New schedule'}</h3>
    <div class="form-grid">
      <label>Id <input value=${form.id} onInput=${set('id')} disabled=${editing} required placeholder="nightly-report"
        data-test="schedule-id" /></label>
      <label>Job <select value=${form.job} onChange=${set('job')} disabled=${editing} data-test="schedule-job">
        ${catalogue.names.map((n) => html`<option value=${n}>${n}</option>`)}
      </select></label>
      <label class="wide">Arguments (JSON array)
        <textarea rows="2" value=${form.arguments} onInput=${set('arguments')} data-test="schedule-arguments"></textarea></label>
      <fieldset class="wide timing">
        <legend>Fires</legend>
        <label class="inline"><input type="radio" name="kind" checked=${form.kind === 'cron'}
          onChange=${() => setForm({ ...form, kind: 'cron' })} /> on a cron expression</label>
        <label class="inline"><input type="radio" name="kind" checked=${form.kind === 'every'}
          onChange=${() => setForm({ ...form, kind: 'every' })} data-test="schedule-kind-every" /> every interval</label>
        ${form.kind === 'cron'
          ? html`<input class="mono" value=${form.cron} onInput=${set('cron')} placeholder="0 0 3 * * *  (second minute hour day month weekday)"
              data-test="schedule-cron" aria-invalid=${preview && preview.error ? 'true' : 'false'} />`
          : html`<input class="mono" value=${form.every} onInput=${set('every')} placeholder="PT5M" data-test="schedule-every" />`}
      </fieldset>
      <label>Zone <input list="zones" value=${form.zone} onInput=${set('zone')} data-test="schedule-zone" />
        <datalist id="zones">${ZONES.map((z) => html`<option value=${z} />`)}</datalist></label>
      <label>Missed fire times <select value=${form.misfire} onChange=${set('misfire')}>
        ${MISFIRE.map((m) => html`<option value=${m}>${m}</option>`)}</select></label>
      <label>While one still runs <select value=${form.overlap} onChange=${set('overlap')}>
        ${OVERLAP.map((o) => html`<option value=${o}>${o}</option>`)}</select></label>
      <label>Jitter <input class="mono" value=${form.jitter} onInput=${set('jitter')} placeholder="PT0S" /></label>
    </div>
    <div class="preview" data-test="schedule-preview">
      ${!preview ? html`<span class="muted">The next fire times show here.</span>`
        : preview.error ? html`<span class="error-text" data-test="schedule-preview-error">${preview.error}</span>`
        : html`<span class="muted">Next in ${form.zone}:</span>
            <ol>${preview.next.map((t) => html`<li>${inZone(t, form.zone)} <span class="muted">(${relative(t)})</span></li>`)}</ol>`}
    </div>
    <${ErrorNote} error=${error} />
    <div class="actions">
      <button class="button" type="button" onClick=${onCancel}>Cancel</button>
      <button class="button primary" type="submit" data-test="schedule-save">${editing ? 'Save' : 'Create'}</button>
    </div>
  </form>`;
}

export function Schedules({ catalogue }) {
  // Job events do not change schedules: live, the list is read again every few seconds only.
  const [schedules, error, reload] = useRefreshing(() => get('schedules'), [], { onJobs: () => false });
  const [editing, setEditing] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const [toast, say] = useToast();
  const act = async (schedule, action) => {
    try {
      const answer = await post('schedules/' + encodeURIComponent(schedule.id) + '/' + action);
      say(action === 'trigger' ? 'Triggered ' + schedule.id + ': job ' + answer.id + ' queued' : schedule.id + ': ' + action + 'd');
      reload();
    } catch (e) {
      say(e.message, true);
    }
  };
  const remove = async () => {
    const schedule = deleting;
    setDeleting(null);
    try {
      await del('schedules/' + encodeURIComponent(schedule.id));
      say('Deleted ' + schedule.id);
      reload();
    } catch (e) {
      say(e.message, true);
    }
  };
  return html`<section data-test="page-schedules">
    <div class="title-row"><h2>Schedules</h2>
      <${ActionButton} kind="primary" testId="schedule-new" onClick=${() => setEditing('new')}>New schedule<//></div>
    ${editing ? html`<${ScheduleForm} key=${editing === 'new' ? 'new' : editing.id} catalogue=${catalogue}
      schedule=${editing === 'new' ? null : editing} onCancel=${() => setEditing(null)}
      onSaved=${(s) => { setEditing(null); say('Saved ' + s.id); reload(); }} />` : null}
    <${ErrorNote} error=${error} />
    ${!schedules ? html`<${Loading} />` : !schedules.length ? html`<${Empty}>No schedules yet: declare one with @Recurring, or create one here.<//>` : html`
    <div class="table-wrap"><table class="table" data-test="schedules-table">
      <thead><tr><th>Schedule</th><th>Job</th><th>Timing</th><th>Next fire times</th><th>Last fired</th><th></th></tr></thead>
      <tbody>${schedules.map((s) => {
        const declared = s.declaredInCode;
        const why = declared ? 'Declared in code by ' + s.declaredBy + ': change it there; pause, resume and trigger work here' : undefined;
        return html`<tr key=${s.id} data-test="schedule-row" data-id=${s.id}>
          <td><a href=${'#/jobs?schedule=' + encodeURIComponent(s.id)}><strong>${s.id}</strong></a>
            ${s.paused ? html` <${Badge} kind="warn">paused<//>` : null}
            ${declared ? html` <${Badge} title=${why}>in code<//>` : null}
            ${declared ? html`<div class="muted small">${s.declaredBy}</div>` : null}</td>
          <td>${s.jobName}</td>
          <td class="mono" title=${s.timing}>${s.cron ? s.cron : 'every ' + iso(s.every)}<div class="muted small">${s.zone} · ${s.misfire} · overlap ${s.overlap}</div></td>
          <td class="nowrap">${s.paused ? html`<span class="muted">paused</span>` : (s.next || [s.nextFireAt]).slice(0, 3).map((t) =>
            html`<div title=${instant(t)}>${relative(t)}</div>`)}</td>
          <td class="nowrap" title=${instant(s.lastFireAt)}>${s.lastFireAt ? relative(s.lastFireAt) : '–'}</td>
          <td><div class="row-actions">
            <${ActionButton} testId="schedule-toggle" onClick=${() => act(s, s.paused ? 'resume' : 'pause')}>${s.paused ? 'Resume' : 'Pause'}<//>
            <${ActionButton} testId="schedule-trigger" onClick=${() => act(s, 'trigger')}>Trigger now<//>
            <${ActionButton} disabled=${declared} title=${why} onClick=${() => setEditing(s)}>Edit<//>
            <${ActionButton} kind="danger" disabled=${declared} title=${why} onClick=${() => setDeleting(s)}>Delete<//>
          </div></td>
        </tr>`;
      })}</tbody>
    </table></div>`}
    ${deleting ? html`<${Confirm} title="Delete schedule" danger=${true} confirmLabel="Delete"
      message=${'Delete schedule ' + deleting.id + '? Jobs it made stay.'} onConfirm=${remove}
      onCancel=${() => setDeleting(null)} />` : null}
    ${toast}
  </section>`;
}
