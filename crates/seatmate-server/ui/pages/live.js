// The live wall: every conversation going on that the user may see (an agent their own, a team
// lead the team's), updating in place as turns stream in, the riskiest first. A tile opens the
// conversation, which keeps following it.

import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, unhandled } from '../lib/api.js';
import { t, tEnum, formatTime } from '../lib/i18n.js';
import { listenLive, liveStatus } from '../lib/live.js';
import { go } from '../lib/router.js';
import { Badge, Empty, ErrorBox, Loading, PageHeader } from '../components/common.js';
import { RiskBadge, reasonText } from '../components/live-signals.js';

/**
 * @typedef {{ id: string, conversation: string, agent?: string | null, channel?: string, started_at?: number,
 *   last?: { speaker: string, text: string } | null, partial?: { speaker: string, text: string } | null,
 *   turns: number, risk?: any, emotion?: any, ended?: boolean, updated: number }} Tile
 */

const ENDED_VISIBLE_MS = 8000;

export default function LivePage() {
  const [tiles, setTiles] = useState(/** @type {Map<string, Tile> | null} */ (null));
  const [err, setErr] = useState(/** @type {any} */ (null));
  const [attempts, setAttempts] = useState(0); // bumped by Retry: read the wall and listen again

  useEffect(() => {
    let alive = true;
    const load = () => {
      const since = Date.now();
      return api('/api/v1/live/wall')
        .then((entries) => {
          if (!alive) return;
          /** @type {Map<string, Tile>} */
          const next = new Map();
          for (const e of entries || []) {
            next.set(e.id, {
              id: e.id,
              conversation: e.conversation,
              agent: e.agent,
              channel: e.channel,
              started_at: e.started_at,
              last: e.last ? { speaker: e.last.speaker, text: e.last.text } : null,
              turns: e.turns || 0,
              risk: e.risk,
              updated: e.started_at || 0,
            });
          }
          // a tile an event touched while the wall was read is newer than what the wall says
          setTiles((current) => {
            for (const tile of (current || new Map()).values()) if (tile.updated >= since) next.set(tile.id, tile);
            return next;
          });
          setErr(null);
        })
        .catch((e) => alive && unhandled(e) && setErr(e));
    };
    load();
    const stop = listenLive((event) => {
      if (event.type === 'resync') {
        load();
        return;
      }
      setTiles((current) => {
        // what follows a turn or the end may arrive after its tile was taken down
        if (!(current && current.has(event.id)) && !['started', 'partial', 'turn'].includes(event.type)) return current;
        const next = new Map(current || []);
        const tile = next.get(event.id) || { id: event.id, conversation: event.conversation, agent: event.agent, turns: 0, updated: 0 };
        const now = Date.now();
        if (event.type === 'started') Object.assign(tile, { channel: event.channel, started_at: event.started_at });
        if (event.type === 'partial') tile.partial = { speaker: event.speaker, text: event.text };
        if (event.type === 'turn') {
          tile.partial = null;
          tile.last = { speaker: event.turn.speaker, text: event.turn.text };
          tile.turns = Math.max(tile.turns, event.index + 1);
          if (event.signals && event.signals.risk) tile.risk = { ...event.signals.risk, next_step: (tile.risk && tile.risk.next_step) || null };
        }
        if (event.type === 'emotion') {
          tile.emotion = event.emotion;
          if (event.risk) tile.risk = { ...event.risk, next_step: (tile.risk && tile.risk.next_step) || null };
        }
        if (event.type === 'next_step' && tile.risk) tile.risk = { ...tile.risk, next_step: event.next_step };
        if (event.type === 'ended') {
          tile.ended = true;
          setTimeout(() => setTiles((later) => {
            const pruned = new Map(later || []);
            pruned.delete(event.id);
            return pruned;
          }), ENDED_VISIBLE_MS);
        }
        tile.updated = now;
        next.set(event.id, { ...tile });
        return next;
      });
    });
    return () => {
      alive = false;
      stop();
    };
  }, [attempts]);

  let body;
  if (err) body = html`<${ErrorBox} err=${err} onRetry=${() => {
    setErr(null);
    setAttempts((n) => n + 1);
  }} />`;
  else if (!tiles) body = html`<${Loading} />`;
  else if (!tiles.size) body = html`<${Empty} text=${t('live.none')} testid="live-empty" />`;
  else {
    const sorted = [...tiles.values()].sort(
      (a, b) => ((b.risk && b.risk.score) || 0) - ((a.risk && a.risk.score) || 0) || b.updated - a.updated,
    );
    body = html`<div class="live-wall" data-testid="live-wall">${sorted.map((tile) => html`<${LiveTile} key=${tile.id} tile=${tile} />`)}</div>`;
  }
  const status = liveStatus.value;
  return html`<${PageHeader} title=${t('live.title')}>
      <span class=${`live-status live-${status}`} data-testid="live-status">${t(`live.status.${status}`)}</span>
    <//>
    ${body}`;
}

/** @param {{ tile: Tile }} props */
function LiveTile({ tile }) {
  const href = `#/conversations/${enc(tile.id)}`;
  const level = tile.risk ? tile.risk.level : 'low';
  const line = tile.partial || tile.last;
  return html`<article class=${`live-tile card risk-${level}${tile.ended ? ' live-ended' : ''}`} data-testid="live-tile"
      data-id=${tile.id} data-risk=${level} onClick=${() => go(href)}>
    <header class="live-tile-head">
      <a href=${href} class="strong" data-content>${tile.conversation}</a>
      ${tile.channel ? html`<${Badge} text=${tEnum('channel', tile.channel)} kind=${`ch-${tile.channel}`} />` : null}
      ${tile.risk ? html`<${RiskBadge} risk=${tile.risk} />` : null}
      ${tile.emotion ? html`<span class="muted small" data-testid="live-emotion">${t(`emotion.label.${tile.emotion.label}`)}</span>` : null}
    </header>
    <div class="muted small">${tile.agent ? html`<span data-content>${tile.agent}</span>` : t('live.noAgent')} · ${t('live.turns', { n: tile.turns })}${tile.started_at ? ` · ${formatTime(tile.started_at)}` : ''}</div>
    ${line ? html`<p class=${`live-line${tile.partial ? ' live-partial' : ''}`}><span class="muted">${tEnum('speaker', line.speaker)}:</span> <span data-content>${line.text}</span></p>` : null}
    ${tile.risk && tile.risk.reasons && tile.risk.reasons.length
      ? html`<ul class="live-reasons" data-testid="live-reasons">${tile.risk.reasons.map((/** @type {any} */ r) => html`<li>${reasonText(r)}</li>`)}</ul>`
      : null}
    ${tile.ended ? html`<div class="muted small">${t('live.ended')}</div>` : null}
  </article>`;
}
