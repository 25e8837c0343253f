import { useEffect, useRef, useState } from './lib.js';
import { feed, get } from './api.js';

// How often the views refresh: live (the event stream), every 2 s or 10 s (polling), or paused.
export const RATES = [
  { value: 'live', label: 'Live' },
  { value: '2', label: '2 s' },
  { value: '10', label: '10 s' },
  { value: 'paused', label: 'Paused' },
];

const KEY = 'taskbound.refresh';
const listeners = new Set();
let rate = localStorage.getItem(KEY) || 'live';
if (!RATES.some((r) => r.value === rate)) rate = 'live';

export function setRate(value) {
  rate = value;
  localStorage.setItem(KEY, value);
  for (const listener of [...listeners]) listener(value);
}

export function useRate() {
  const [value, setValue] = useState(rate);
  useEffect(() => {
    listeners.add(setValue);
    return () => listeners.delete(setValue);
  }, []);
  return value;
}

/** Seconds between reloads of a view that is not fed by the stream, in live mode. */
const LIVE_FALLBACK_SECONDS = 5;

/**
 * Loads a view's data now and again as the refresh rate says: in live mode when this node's job
 * events arrive (at most once a second; `onJobs` picks the batches that matter) and every few
 * seconds for other nodes' changes (every second while `fast` says so), else every 2 or 10 s.
 * Returns [data, error, reload].
 */
export function useRefreshing(load, deps, { onJobs, fast } = {}) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const current = useRate();
  // The latest render's loader, and a generation that a change of deps moves on: an answer to an
  // older generation's request (another filter, another page) is dropped, never shown.
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);
  const loading = useRef(false);
  const due = useRef(false);
  const reload = async () => {
    if (loading.current) {
      due.current = true;
      return;
    }
    loading.current = true;
    const asked = generation.current;
    try {
      const answer = await latest.current();
      if (asked === generation.current) {
        setData(answer);
        setError(null);
      }
    } catch (e) {
      if (asked === generation.current) setError(e);
    } finally {
      loading.current = false;
      if (due.current || asked !== generation.current) {
        due.current = false;
        setTimeout(reload, 0);
      }
    }
  };
  useEffect(() => {
    generation.current++;
    setData(null);
    setError(null);
    reload();
  }, deps);
  // A view of something changing fast (a running job's progress) is reloaded every second while live.
  const quick = !!(fast && fast(data));
  useEffect(() => {
    if (current === 'paused') return undefined;
    const seconds = current === 'live' ? (quick ? 1 : LIVE_FALLBACK_SECONDS) : Number(current);
    // A hidden tab does not reload: it would cost the database for nobody to see.
    const timer = setInterval(() => document.hidden || reload(), seconds * 1000);
    let stop = () => {};
    if (current === 'live') {
      let last = 0;
      let pending = null;
      stop = feed.listen((name, batch) => {
        if (name !== 'jobs' || (onJobs && !onJobs(batch))) return;
        const wait = Math.max(0, 1000 - (Date.now() - last));
        if (pending) return;
        pending = setTimeout(() => {
          pending = null;
          last = Date.now();
          reload();
        }, wait);
      });
      const stopListening = stop;
      stop = () => {
        stopListening();
        if (pending) clearTimeout(pending);
      };
    }
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [current, quick, ...deps]);
  return [data, error, reload];
}

/**
 * The overview as the stream brings it in live mode, or polled every 2 or 10 s from the snapshot the
 * server shares between tabs. Returns { overview, series, error }.
 */
export function useOverview() {
  const current = useRate();
  const [state, setState] = useState({ overview: null, series: null, error: null });
  useEffect(() => {
    let gone = false;
    const apply = (overview, series) =>
      setState((old) => {
        let points = series ? series.points : old.series ? old.series.points : [];
        if (overview && !series && (!points.length || points[points.length - 1].at !== overview.point.at)) {
          points = [...points, overview.point].slice(-1000);
        }
        return { overview: overview || old.overview, series: { points }, error: null };
      });
    if (current === 'live') {
      return feed.listen((name, data) => {
        if (name === 'series') apply(null, data);
        else if (name === 'overview') apply(data, null);
      });
    }
    const poll = async () => {
      try {
        const overview = await get('overview');
        if (!gone) apply(overview, null);
      } catch (e) {
        if (!gone) setState((old) => ({ ...old, error: e }));
      }
    };
    (async () => {
      try {
        const stats = await get('stats');
        if (!gone) apply(null, stats.series);
      } catch (e) {
        /* the series is a nicety: the overview still shows */
      }
      poll();
    })();
    if (current === 'paused') return () => (gone = true);
    const timer = setInterval(() => document.hidden || poll(), Number(current) * 1000);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [current]);
  return state;
}
