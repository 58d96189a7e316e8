// Drafts kept on the server: a form's unsaved values survive leaving the page, a reload or another
// device, until the form is submitted (docs: /api/v1/drafts/{key}).

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { api, enc } from './api.js';

/** How long typing must pause before the draft is saved. */
const SAVE_AFTER_MS = 400;

/**
 * Keeps `value` as the user's draft under `key`: restores a saved one once (through `restore`),
 * then saves every change after a short pause, and any unsaved change when the form goes away.
 * @template T
 * @param {{ key: string, conversationId: string | null, value: T, restore: (saved: T) => void, enabled: boolean }} options
 * @returns {{ restoredAt: number | null, discard: () => Promise<void> }}
 */
export function useDraft({ key, conversationId, value, restore, enabled }) {
  const [restoredAt, setRestoredAt] = useState(/** @type {number | null} */ (null));
  const loaded = useRef(false);
  const saved = useRef('');
  const latest = useRef('');
  const json = JSON.stringify(value);
  latest.current = json;
  const path = `/api/v1/drafts/${enc(key)}`;

  /** @param {string} body */
  const save = (body) => {
    saved.current = body;
    return api(path, { method: 'PUT', body: { conversation_id: conversationId, body: JSON.parse(body) } }).catch(() => {
      saved.current = '';
    });
  };

  useEffect(() => {
    loaded.current = false;
    saved.current = json;
    if (!enabled) return undefined;
    let live = true;
    api(path)
      .then((draft) => {
        if (!live || !draft || draft.body === null || typeof draft.body !== 'object') return;
        saved.current = JSON.stringify(draft.body);
        restore(draft.body);
        setRestoredAt(Number(draft.updated_at) || Date.now());
      })
      .catch(() => {})
      .finally(() => {
        if (live) loaded.current = true;
      });
    return () => {
      live = false;
      // leaving the form: what was typed since the last save is saved now
      if (loaded.current && latest.current !== saved.current) save(latest.current);
    };
  }, [key, enabled]);

  useEffect(() => {
    if (!enabled || !loaded.current || json === saved.current) return undefined;
    const timer = setTimeout(() => save(json), SAVE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [json, enabled]);

  const discard = async () => {
    saved.current = latest.current;
    await api(path, { method: 'DELETE' }).catch(() => {});
  };
  return { restoredAt, discard };
}
