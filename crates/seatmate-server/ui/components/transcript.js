// A conversation's turns as chat bubbles; during a replay only the first `shown` turns are visible.

import { useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { t, tEnum } from '../lib/i18n.js';
import { mmss } from '../lib/format.js';
import { Data, Empty } from './common.js';

/**
 * @typedef {{ silence_ms?: number, talk_over_ms?: number, per_minute?: number }} Timing
 * @typedef {{ speaker: string, text?: string, start_ms?: number | null, timing?: Timing | null }} Turn
 */

/** Silence before a live turn, talk-over and speech rate. @param {{ timing: Timing }} props */
function TimingChips({ timing }) {
  const chips = [];
  if (timing.silence_ms) chips.push(t('timing.silence', { s: (timing.silence_ms / 1000).toFixed(1) }));
  if (timing.talk_over_ms) chips.push(t('timing.talkOver', { s: (timing.talk_over_ms / 1000).toFixed(1) }));
  if (timing.per_minute) chips.push(t('timing.rate', { n: timing.per_minute }));
  return chips.length ? html`<div class="turn-timing muted small" data-testid="turn-timing">${chips.join(' · ')}</div>` : null;
}

/**
 * @param {{ turns: Turn[], agent?: string | null, shown: number | null, onTurn: (index: number) => void,
 *   partial?: { speaker: string, text: string } | null, following?: boolean }} props
 */
export function Transcript({ turns, agent, shown, onTurn, partial, following }) {
  const list = useRef(/** @type {HTMLDivElement | null} */ (null));
  useEffect(() => {
    if (shown === null || shown < 1 || !list.current) return;
    const last = list.current.children[shown - 1];
    if (last) last.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  // a live conversation keeps its newest turn in view
  useEffect(() => {
    if (!following || !list.current || !list.current.lastElementChild) return;
    list.current.lastElementChild.scrollIntoView({ block: 'nearest' });
  }, [following, turns.length, partial && partial.text]);

  return html`<section class="card">
    <h2>${t('conv.transcript')} ${following ? html`<span class="badge badge-live" data-testid="live-badge">${t('live.following')}</span>` : null}</h2>
    ${turns.length || partial
      ? html`<div class="transcript" data-testid="transcript" ref=${list}>
          ${turns.map((turn, i) => {
            const speaker = ['agent', 'customer', 'system'].includes(turn.speaker) ? turn.speaker : 'system';
            const label = tEnum('speaker', turn.speaker);
            /** @param {KeyboardEvent} e */
            const onKeyDown = (e) => {
              if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
              e.preventDefault();
              onTurn(i);
            };
            return html`<div class=${`turn turn-${speaker}`} id=${`turn-${i}`} data-testid="turn" data-speaker=${turn.speaker} hidden=${shown !== null && i >= shown}
                tabindex="0" role="button" aria-label=${t('conv.turnLabel', { n: i + 1, speaker: label })} title=${t('shortcut.turn')}
                onClick=${() => onTurn(i)} onKeyDown=${onKeyDown}>
              <div class="turn-meta">
                <span class="turn-speaker">${label}${turn.speaker === 'agent' && agent ? html` · <${Data}>${agent}<//>` : null}</span>
                ${turn.start_ms !== null && turn.start_ms !== undefined ? html`<span class="turn-time">${mmss(turn.start_ms)}</span>` : null}
              </div>
              <div class="bubble" data-content>${turn.text || ''}</div>
              ${turn.timing ? html`<${TimingChips} timing=${turn.timing} />` : null}
            </div>`;
          })}
          ${partial
            ? html`<div class=${`turn turn-${partial.speaker} turn-partial`} data-testid="turn-partial">
                <div class="turn-meta"><span class="turn-speaker">${tEnum('speaker', partial.speaker)}</span><span class="turn-time">${t('live.typing')}</span></div>
                <div class="bubble" data-content>${partial.text}</div>
              </div>`
            : null}
        </div>`
      : html`<${Empty} text=${t('conv.noTurns')} />`}
  </section>`;
}

/**
 * Scrolls the transcript to turn `index` (0-based) and flashes it.
 * @param {number} index
 */
export function showTurn(index) {
  const turn = document.getElementById(`turn-${index}`);
  if (!turn) return;
  const still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  turn.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'center' });
  turn.classList.remove('turn-flash');
  void turn.offsetWidth; // restart the animation when the same turn is shown again
  turn.classList.add('turn-flash');
  turn.addEventListener('animationend', () => turn.classList.remove('turn-flash'), { once: true });
}
