// The dashboard's REST API, relative to the page, so that a context path or a proxy's prefix works.
const BASE = new URL('api/', document.baseURI);
// A page opened as http://user:password@host/... has its credentials in its URL, and fetch refuses
// such URLs: the browser sends the credentials it was given anyway.
BASE.username = '';
BASE.password = '';

/** An answer other than 2xx, with the message of the API's JSON error body. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let session = { user: null, canManage: true, csrf: null };

/** Who is signed in, whether they may change anything, and the CSRF header to send. */
export async function loadSession() {
  try {
    session = await get('session');
  } catch (e) {
    // An application without the session endpoint: everything may be tried, the server decides.
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  return session;
}

export function currentSession() {
  return session;
}

export function url(path, params) {
  const target = new URL(path, BASE);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') target.searchParams.set(name, value);
  }
  return target;
}

async function call(method, path, { params, body } = {}, retried = false) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers[session.csrf.header] = session.csrf.token;
  let response;
  try {
    response = await fetch(url(path, params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'The application does not answer: is it running? (' + e.message + ')');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  // A CSRF token from before a sign-in elsewhere is refused: take the new one and try once more.
  if (response.status === 403 && method !== 'GET' && session.csrf && !retried) {
    await loadSession();
    return call(method, path, { params, body }, true);
  }
  if (!response.ok) {
    const message = json && json.message ? json.message : response.status + ' ' + response.statusText;
    throw new ApiError(response.status, message);
  }
  return json;
}

export const get = (path, params) => call('GET', path, { params });
export const post = (path, body, params) => call('POST', path, { body, params });
export const put = (path, body) => call('PUT', path, { body });
export const del = (path) => call('DELETE', path);

/**
 * The API's `GET /events` stream, open while someone listens and the tab is visible: a hidden tab
 * gives its connection back (browsers allow six per server over HTTP/1.1, for all tabs together) and
 * gets the whole overview again when it is shown. A stream the server ended (a restart, a database
 * outage, too many streams) is opened again after a pause.
 */
class Feed {
  constructor() {
    this.listeners = new Set();
    this.source = null;
    this.last = {};
    this.connected = false;
    this.retry = null;
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) this.close();
      else if (this.listeners.size && !this.source) this.open();
    });
  }

  listen(listener) {
    this.listeners.add(listener);
    if (!this.source && !document.hidden) this.open();
    for (const [name, data] of Object.entries(this.last)) listener(name, data);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
    };
  }

  open() {
    this.source = new EventSource(url('events'));
    for (const name of ['series', 'overview', 'jobs']) {
      this.source.addEventListener(name, (event) => {
        const data = JSON.parse(event.data);
        if (name !== 'jobs') this.last[name] = data;
        for (const listener of [...this.listeners]) listener(name, data);
      });
    }
    this.source.onopen = () => this.status(true);
    this.source.onerror = () => {
      this.status(false);
      // EventSource retries by itself after a network error, but not after an answer other than 200.
      if (this.source && this.source.readyState === EventSource.CLOSED) {
        this.close();
        this.retry = setTimeout(() => {
          this.retry = null;
          if (this.listeners.size && !document.hidden && !this.source) this.open();
        }, 5000);
      }
    };
  }

  status(connected) {
    this.connected = connected;
    for (const listener of [...this.listeners]) listener('status', connected);
  }

  close() {
    if (this.source) this.source.close();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.source = null;
    this.last = {};
  }
}

export const feed = new Feed();
