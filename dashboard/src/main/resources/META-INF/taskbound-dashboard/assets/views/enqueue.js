import { html, useState } from '../lib.js';
import { post } from '../api.js';
import { ActionButton, Empty, ErrorNote } from '../components.js';

const TEXT_TYPES = ['String', 'java.lang.String', 'UUID', 'java.util.UUID'];

/**
 * A parameter's value as typed: text for a String parameter; else JSON (a number, true, a list, an
 * object), or the text itself where it is not JSON (a Duration's PT5M, an enum's name, a date), for
 * the server to check against the parameter's type.
 */
function value(parameter, text) {
  if (TEXT_TYPES.includes(parameter.type)) return text;
  try {
    return JSON.parse(text);
  } catch (e) {
    return text;
  }
}

export function Enqueue({ params, catalogue, navigate }) {
  const types = catalogue.types;
  const [name, setName] = useState(params.name || (types[0] && types[0].name) || '');
  const [values, setValues] = useState({});
  const [options, setOptions] = useState({ lane: '', runAt: '', priority: '' });
  const [error, setError] = useState(null);
  const type = types.find((t) => t.name === name);
  if (!types.length) return html`<${Empty}>No job is registered on this node: declare one with @Job.<//>`;
  const submit = async (event) => {
    event.preventDefault();
    try {
      const args = type.parameters.map((p) => value(p, values[p.name] ?? ''));
      const body = { name, arguments: args };
      if (options.lane) body.lane = options.lane;
      if (options.runAt) body.runAt = new Date(options.runAt).toISOString();
      if (options.priority !== '') body.priority = Number(options.priority);
      const job = await post('jobs', body);
      navigate('#/jobs/' + job.id);
    } catch (e) {
      setError(e);
    }
  };
  return html`<section data-test="page-enqueue">
    <h2>Enqueue a job</h2>
    <form class="panel form" onSubmit=${submit} data-test="enqueue-form">
      <div class="form-grid">
        <label class="wide">Job <select value=${name} data-test="enqueue-name"
          onChange=${(e) => { setName(e.target.value); setValues({}); setError(null); }}>
          ${types.map((t) => html`<option value=${t.name}>${t.name}</option>`)}
        </select></label>
        ${type ? html`<p class="wide muted small">${type.method + ' → ' + type.resultType + ' · lane ' + type.lane + ' ('
          + type.bound + ') · ' + type.maxAttempts + ' attempts' + (type.timeout ? ' · timeout ' + type.timeout : '')}</p>` : null}
        ${type && !type.parameters.length ? html`<p class="wide muted">This job takes no arguments.</p>` : null}
        ${type ? type.parameters.map((p) => html`<label class="wide" key=${name + p.name}>
          ${p.name} <span class="type mono">${p.type}</span>
          <input class="mono" value=${values[p.name] ?? ''} data-test=${'enqueue-param-' + p.name}
            placeholder=${TEXT_TYPES.includes(p.type) ? 'text' : 'JSON value'}
            onInput=${(e) => setValues({ ...values, [p.name]: e.target.value })} />
        </label>`) : null}
        <label>Lane <select value=${options.lane} onChange=${(e) => setOptions({ ...options, lane: e.target.value })}>
          <option value="">its own (${type ? type.lane : ''})</option>
          ${catalogue.lanes.map((l) => html`<option value=${l}>${l}</option>`)}
        </select></label>
        <label>Run at <input type="datetime-local" value=${options.runAt}
          onInput=${(e) => setOptions({ ...options, runAt: e.target.value })} /></label>
        <label>Priority <input type="number" value=${options.priority} placeholder=${type ? String(type.priority) : ''}
          onInput=${(e) => setOptions({ ...options, priority: e.target.value })} /></label>
      </div>
      <${ErrorNote} error=${error} />
      <div class="actions"><${ActionButton} kind="primary" testId="enqueue-submit">Enqueue<//></div>
    </form>
  </section>`;
}
