// A case's recording on a timeline: each side's speech, the silences and the talk-over, and the
// pitch contour, over the audio player; clicking the timeline plays from there.

import { useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { enc, errorMessage } from '../lib/api.js';
import { t, tEnum } from '../lib/i18n.js';
import { useApi } from '../lib/use-api.js';
import { Badge } from './common.js';

const W = 720;
const LANE = 26;

/** @param {{ caseId: string }} props */
export function VoiceTimeline({ caseId }) {
  const [{ data, err }] = useApi(`/api/v1/learning/cases/${enc(caseId)}/voice`);
  const audio = useRef(/** @type {HTMLAudioElement | null} */ (null));
  const [at, setAt] = useState(0);
  if (err) return html`<section class="card"><h2>${t('learn.recording')}</h2><p class="muted small" data-testid="voice-error">${errorMessage(err)}</p></section>`;
  if (!data) return null;
  const f = data.features;
  const total = Math.max(f.duration_ms, 1);
  const x = (/** @type {number} */ ms) => (ms / total) * W;
  const lanes = f.channels.map((/** @type {any} */ c, /** @type {number} */ i) => ({ ...c, y: 10 + i * (LANE + 8) }));
  const height = 10 + lanes.length * (LANE + 8) + 60;
  // pitch: one polyline per channel, 60 px band at the bottom, 60–400 Hz
  const pitchY = (/** @type {number} */ hz) => height - 4 - ((Math.min(Math.max(hz, 60), 400) - 60) / 340) * 52;
  const seek = (/** @type {MouseEvent} */ e) => {
    const box = /** @type {SVGElement} */ (e.currentTarget).getBoundingClientRect();
    const ms = ((e.clientX - box.left) / box.width) * total;
    if (audio.current) {
      audio.current.currentTime = ms / 1000;
      audio.current.play().catch(() => {});
    }
  };
  return html`<section class="card" data-testid="voice-timeline">
    <h2>${t('learn.recording')}</h2>
    <audio controls preload="metadata" ref=${audio} src=${`/api/v1/learning/cases/${enc(caseId)}/audio`} data-testid="voice-audio"
      onTimeUpdate=${(/** @type {any} */ e) => setAt(e.currentTarget.currentTime * 1000)}></audio>
    <svg class="chart voice-chart" viewBox=${`0 0 ${W} ${height}`} role="img" aria-label=${t('learn.recording')} onClick=${seek}>
      ${f.silences.map((/** @type {any} */ s) => html`<rect x=${x(s.start_ms)} y="0" width=${Math.max(x(s.end_ms) - x(s.start_ms), 1)} height=${height} class="voice-silence"><title>${t('learn.silence')} ${((s.end_ms - s.start_ms) / 1000).toFixed(1)} s</title></rect>`)}
      ${(f.overlaps || []).map((/** @type {any} */ o) => html`<rect x=${x(o.start_ms)} y="0" width=${Math.max(x(o.end_ms) - x(o.start_ms), 1)} height=${height - 60} class="voice-overlap"><title>${t('learn.talkOver')} ${((o.end_ms - o.start_ms) / 1000).toFixed(1)} s · ${tEnum('speaker', o.interrupter)}</title></rect>`)}
      ${lanes.map(
        (/** @type {any} */ c) => html`<g>
          <text x="2" y=${c.y + 10} class="voice-label">${c.speaker ? tEnum('speaker', c.speaker) : t('learn.mixed')}</text>
          ${c.speech.map((/** @type {any} */ s) => html`<rect x=${x(s.start_ms)} y=${c.y + 12} width=${Math.max(x(s.end_ms) - x(s.start_ms), 1)} height=${LANE - 12} class=${`voice-speech voice-${c.speaker || 'mixed'}`} />`)}
        </g>`,
      )}
      ${lanes.map((/** @type {any} */ c) => {
        const points = c.pitch_hz.map((/** @type {number | null} */ hz, /** @type {number} */ i) => (hz ? `${x(i * f.hop_ms).toFixed(1)},${pitchY(hz).toFixed(1)}` : null)).filter(Boolean);
        return points.length ? html`<polyline points=${points.join(' ')} class=${`voice-pitch voice-${c.speaker || 'mixed'}`} fill="none" />` : null;
      })}
      <line x1=${x(at)} x2=${x(at)} y1="0" y2=${height} class="voice-cursor" />
    </svg>
    <div class="muted small">
      ${lanes.map((/** @type {any} */ c) => html`<span class="voice-stat">${c.speaker ? tEnum('speaker', c.speaker) : t('learn.mixed')}: ${t('learn.speechShare', { n: Math.round(c.speech_ratio * 100) })}${c.pitch ? ` · ${Math.round(c.pitch.median_hz)} Hz` : ''}</span> `)}
      ${data.rates.speakers.map((/** @type {any} */ r) => html`<${Badge} text=${`${tEnum('speaker', r.speaker)} ${t('learn.perMinute', { n: Math.round(r.per_minute || 0) })}`} kind="muted" /> `)}
      <${Badge} text=${`${t('learn.silences')} ${f.silences.length}`} kind="muted" />
      ${f.overlaps ? html`<${Badge} text=${`${t('learn.talkOver')} ${f.overlaps.length}`} kind=${f.overlaps.length ? 'warning' : 'muted'} />` : null}
    </div>
  </section>`;
}
