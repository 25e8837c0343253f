// How values read: instants in the browser's zone, durations and counts made short.

/** Milliseconds of an ISO-8601 duration such as "PT1.5S" or "P1DT2H", or null. */
export function millis(duration) {
  if (duration === null || duration === undefined) return null;
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(duration);
  if (!match) return null;
  const [, d, h, m, s] = match;
  return ((+d || 0) * 86400 + (+h || 0) * 3600 + (+m || 0) * 60 + (+s || 0)) * 1000;
}

/** "850 ms", "2.4 s", "3 min 20 s", "5 h 2 min" */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return ms.toFixed(2) + ' ms';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  const minutes = Math.floor(ms / 60000);
  if (minutes < 60) return minutes + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours + ' h ' + (minutes % 60) + ' min';
  return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
}

export const iso = (value) => duration(millis(value));

const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export function instant(value) {
  return value ? DATE_TIME.format(new Date(value)) : '–';
}

/** "in 3 min", "12 s ago" */
export function relative(value, now = Date.now()) {
  if (!value) return '–';
  const delta = new Date(value).getTime() - now;
  const away = Math.abs(delta);
  const text = away < 1000 ? 'now' : away < 60000 ? Math.round(away / 1000) + ' s' : duration(Math.round(away / 1000) * 1000);
  if (text === 'now') return text;
  return delta > 0 ? 'in ' + text : text + ' ago';
}

export function count(n) {
  if (n === null || n === undefined) return '–';
  return new Intl.NumberFormat().format(n);
}

export function rate(perSecond) {
  if (perSecond === null || perSecond === undefined) return '–';
  if (perSecond === 0) return '0/s';
  if (perSecond < 10) return perSecond.toFixed(2) + '/s';
  return count(Math.round(perSecond)) + '/s';
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit ? value.toFixed(1) : value) + ' ' + units[unit];
}

/** JSON text made readable, or the text as it is if it is not JSON. */
export function prettyJson(text) {
  if (text === null || text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (e) {
    return String(text);
  }
}

// Job ids are time-ordered (UUIDv7): jobs made together share their first digits, not their last.
export const shortId = (id) => (id ? id.slice(-8) : '');
