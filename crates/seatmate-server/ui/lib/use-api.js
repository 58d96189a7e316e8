// A hook that reads one API path: its data, error and loading state, and a way to read it again.

import { useCallback, useEffect, useState } from '../vendor/hooks.js';
import { api, unhandled } from './api.js';

/**
 * @typedef {{ loading: boolean, data: any, err: unknown }} ApiState
 * @param {string | null} path nothing is read while it is null
 * @returns {[ApiState, () => void]}
 */
export function useApi(path) {
  const [state, setState] = useState(/** @type {ApiState} */ ({ loading: path !== null, data: null, err: null }));
  const [reads, setReads] = useState(0);
  useEffect(() => {
    if (path === null) return undefined;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api(path)
      .then((data) => {
        if (live) setState({ loading: false, data, err: null });
      })
      .catch((err) => {
        if (live && unhandled(err)) setState({ loading: false, data: null, err });
      });
    return () => {
      live = false;
    };
  }, [path, reads]);
  const reload = useCallback(() => setReads((n) => n + 1), []);
  return [state, reload];
}
