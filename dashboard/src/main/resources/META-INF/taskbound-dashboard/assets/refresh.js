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
  const loading = useRef(false);
  const due = useRef(false);
  const reload = async () => {
    if (loading.current) {
      due.current = true;
      return;
    }
    loading.current = true;
    try {
      setData(await load());
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      loading.current = false;
      if (due.current) {
        due.current = false;
        setTimeout(reload, 0);
      }
    }
  };
  useEffect(() => {
    setData(null);
    reload();
  }, deps);
  // A view of something changing fast (a running job's progress) is reloaded every second while live.
  const quick = !!(fast && fast(data));
  useEffect(() => {
    if (current === 'paused') return undefined;
    const seconds = current === 'live' ? (quick ? 1 : LIVE_FALLBACK_SECONDS) : Number(current);
    const timer = setInterval(reload, seconds * 1000);
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
          points = [...points, overview.point].slice(-720);
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
    const timer = setInterval(poll, Number(current) * 1000);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [current]);
  return state;
}
