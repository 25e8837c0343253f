import { html, useEffect, useRef, useState } from './lib.js';
import { currentSession } from './api.js';
import { prettyJson } from './format.js';

// Every value from a job reaches the page as text through Preact, which escapes it: nothing here
// sets HTML.

export const STATES = ['QUEUED', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'DEAD', 'CANCELLED'];

export function StateBadge({ state }) {
  return html`<span class=${'badge state-' + String(state).toLowerCase()}>${state}</span>`;
}

export function Badge({ kind = 'neutral', children, title }) {
  return html`<span class=${'badge ' + kind} title=${title}>${children}</span>`;
}

export function Json({ text, empty = 'none' }) {
  if (text === null || text === undefined) return html`<span class="muted">${empty}</span>`;
  return html`<pre class="json">${prettyJson(text)}</pre>`;
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<div class="note error" role="alert">${error.message || String(error)}</div>`;
}

export function Loading() {
  return html`<div class="muted loading">Loading…</div>`;
}

export function Progress({ value }) {
  if (value === null || value === undefined) return null;
  return html`<div class="progress" role="progressbar" aria-valuenow=${value} aria-valuemin="0" aria-valuemax="100">
    <div class="progress-bar" style=${{ width: value + '%' }}></div><span>${value} %</span>
  </div>`;
}

/** A button that changes something: disabled, with the reason, for a user who may only look. */
export function ActionButton({ onClick, kind = '', children, disabled, title, testId }) {
  const session = currentSession();
  const readOnly = !session.canManage;
  return html`<button
    class=${'button ' + kind}
    data-test=${testId}
    disabled=${disabled || readOnly}
    title=${readOnly ? 'Your role may look, not change: ask for the dashboard\'s admin role' : title}
    onClick=${onClick}
  >${children}</button>`;
}

/** A modal dialog asking to confirm an action, saying what it will do. */
export function Confirm({ title, message, confirmLabel = 'Confirm', danger, onConfirm, onCancel }) {
  const dialog = useRef(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  return html`<dialog class="dialog" ref=${dialog} onCancel=${onCancel} data-test="confirm">
    <h3>${title}</h3>
    <p>${message}</p>
    <div class="actions">
      <button class="button" onClick=${onCancel} data-test="confirm-cancel">Cancel</button>
      <button class=${'button ' + (danger ? 'danger' : 'primary')} onClick=${onConfirm} data-test="confirm-ok">
        ${confirmLabel}
      </button>
    </div>
  </dialog>`;
}

/** A short message at the bottom of the page, gone after a few seconds. */
export function useToast() {
  const [toast, setToast] = useState(null);
  useEffect(() => {
    if (!toast) return undefined;
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);
  const view = toast
    ? html`<div class=${'toast ' + (toast.error ? 'error' : '')} role="status" data-test="toast">${toast.text}</div>`
    : null;
  return [view, (text, error = false) => setToast({ text, error })];
}

export function Empty({ children }) {
  return html`<div class="empty muted">${children}</div>`;
}
