// The desk's live feed: one WebSocket to /api/v1/live/events per tab, shared by every component
// that listens, reconnected with back-off when it drops. Events are the server's JSON
// (docs/live-protocol.md); `resync` tells listeners to reload what they show.

import { signal } from '../vendor/signals.js';

/** @typedef {{ type: string, id: string, conversation: string, seq: number, agent?: string | null, [key: string]: any }} LiveEvent */

/** `connecting`, `open` or `closed` (reconnecting). */
export const liveStatus = signal('closed');

/** @type {Set<(event: LiveEvent) => void>} */
const listeners = new Set();
/** @type {WebSocket | null} */
let socket = null;
let retryMs = 500;
/** @type {ReturnType<typeof setTimeout> | null} */
let retry = null;

function connect() {
  if (socket || !listeners.size) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  liveStatus.value = 'connecting';
  const ws = new WebSocket(`${scheme}://${location.host}/api/v1/live/events`);
  socket = ws;
  ws.onopen = () => {
    retryMs = 500;
    liveStatus.value = 'open';
    // anything missed while disconnected is read again by the listeners
    for (const listener of listeners) listener({ type: 'resync', id: '', conversation: '', seq: 0 });
  };
  ws.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
  ws.onclose = () => {
    socket = null;
    liveStatus.value = 'closed';
    if (!listeners.size) return;
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };
}

/**
 * Listens to the live feed until the returned function is called.
 * @param {(event: LiveEvent) => void} listener
 * @returns {() => void}
 */
export function listenLive(listener) {
  listeners.add(listener);
  connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size) return;
    if (retry) clearTimeout(retry);
    retry = null;
    if (socket) socket.close();
    socket = null;
  };
}
