// One mined case: why it was mined, its features (speech rate, pauses, talk-over, the customer's
// emotion arc, keywords, quality items), its transcript (masked), and the trainer's curation.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { go } from '../lib/router.js';
import { currentUser } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, ErrorBox, Loading, MetaList, PageHeader } from '../components/common.js';
import { Transcript, showTurn } from '../components/transcript.js';
import { KindBadge } from './learning.js';
import { VoiceTimeline } from '../components/voice-timeline.js';

/** @param {import('../lib/router.js').PageProps} props */
export default function CaseRoute({ params }) {
  const id = params[0];
  const [{ data, err }, reload] = useApi(`/api/v1/learning/cases/${enc(id)}`);
  const [error, setError] = useState(/** @type {any} */ (null));
  const user = currentUser.value || { role: '' };
  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!data) return html`<${Loading} />`;
  const f = (data.mined && data.mined.features) || {};
  const start = async () => {
    try {
      const session = await api('/api/v1/learning/sessions', { method: 'POST', body: { case_id: id } });
      go(`#/learning/sessions/${enc(session.id)}`);
    } catch (e) {
      setError(e);
    }
  };
  const rate = (/** @type {number | null | undefined} */ n) => (n === null || n === undefined ? '—' : t('learn.perMinute', { n }));
  return html`<div class="crumbs"><a href="#/learning?tab=cases">← ${t('learn.library')}</a></div>
    <${PageHeader} title=${t('learn.caseTitle')}>
      <${KindBadge} kind=${data.kind} />
      ${data.status === 'accepted' ? html`<button type="button" class="btn btn-primary" onClick=${start} data-testid="case-practise">${t('learn.start')}</button>` : null}
    <//>
    ${error ? html`<${ErrorBox} err=${error} />` : null}
    <div class="split">
      <div>
        <section class="card" data-testid="case-features">
          <h2>${t('learn.features')}</h2>
          <div>${((data.mined && data.mined.reasons) || []).map((/** @type {string} */ r) => html`<${Badge} text=${t(`learn.reason.${r}`)} kind="warning" /> `)}</div>
          <${MetaList} pairs=${[
            [t('learn.category'), html`<${Data}>${data.category}<//>`],
            [t('qa.score'), f.score === null || f.score === undefined ? '—' : String(Math.round(f.score))],
            [t('learn.failedItems'), html`<${Data}>${(f.failed_items || []).join(' · ')}<//>`],
            [t('learn.agentRate'), rate(f.agent_per_minute)],
            [t('learn.customerRate'), rate(f.customer_per_minute)],
            [t('learn.pauses'), f.pauses ? `${f.pauses} (${Math.round((f.longest_pause_ms || 0) / 1000)} s)` : '0'],
            [t('learn.talkOver'), f.talk_overs ? `${f.talk_overs} (${(f.talk_over_ms / 1000).toFixed(1)} s)` : '0'],
            [t('learn.peakRisk'), `${Math.round((f.peak_risk || 0) * 100)}%`],
            [t('learn.keywords'), html`<${Data}>${(f.keywords || []).join(' · ')}<//>`],
            [t('learn.similar'), String(data.cluster_size)],
          ]} />
          <h3>${t('learn.emotionArc')}</h3>
          <${Arc} points=${f.emotion_arc || []} />
        </section>
        ${data.conversation && data.conversation.audio_ref ? html`<${VoiceTimeline} caseId=${id} />` : null}
        ${data.conversation
          ? html`<${Transcript} turns=${data.conversation.turns} agent=${data.conversation.agent} shown=${null} onTurn=${() => {}} />`
          : null}
      </div>
      ${['trainer', 'admin'].includes(user.role) ? html`<${Curation} item=${data} onSaved=${reload} />` : html`<${Teaching} item=${data} />`}
    </div>`;
}

/** The customer's feeling turn by turn: -1 (angry) at the bottom, +1 at the top. */
/** @param {{ points: { turn: number, valence: number }[] }} props */
function Arc({ points }) {
  if (points.length < 2) return html`<p class="muted small">${t('learn.noArc')}</p>`;
  const w = 320;
  const h = 80;
  const xs = points.map((_, i) => 8 + (i * (w - 16)) / (points.length - 1));
  const ys = points.map((p) => h / 2 - (p.valence * (h - 16)) / 2);
  const line = xs.map((x, i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${ys[i].toFixed(1)}`).join(' ');
  return html`<svg class="chart" viewBox=${`0 0 ${w} ${h}`} role="img" aria-label=${t('learn.emotionArc')} data-testid="case-arc">
    <line x1="0" x2=${w} y1=${h / 2} y2=${h / 2} class="chart-axis" />
    <path d=${line} class="chart-line" fill="none" />
    ${xs.map((x, i) => html`<circle cx=${x} cy=${ys[i]} r="3" class=${points[i].valence < -0.3 ? 'chart-dot-bad' : 'chart-dot'} onClick=${() => showTurn(points[i].turn)}><title>${points[i].valence.toFixed(2)}</title></circle>`)}
  </svg>`;
}

/** @param {{ item: any }} props */
function Teaching({ item }) {
  return html`<section class="card"><h2>${t('learn.teachingPoint')}</h2><p data-content>${item.teaching_point || '—'}</p>
    <p class="muted small" data-content>${item.items.join(' · ')}</p></section>`;
}

/** @param {{ item: any, onSaved: () => void }} props */
function Curation({ item, onSaved }) {
  const [items, setItems] = useState(item.items.join(', '));
  const [point, setPoint] = useState(item.teaching_point);
  const [message, setMessage] = useState('');
  const save = async (/** @type {string} */ status) => {
    try {
      const body = { status, items: items.split(/[,，\s]+/).filter(Boolean), teaching_point: point };
      await api(`/api/v1/learning/cases/${enc(item.id)}/curation`, { method: 'POST', body });
      setMessage(t(`learn.status.${status}`));
      onSaved();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  return html`<section class="card" data-testid="case-curation">
    <h2>${t('learn.curation')}</h2>
    <p><${Badge} text=${t(`learn.status.${item.status}`)} kind=${item.status === 'accepted' ? 'ok' : 'muted'} /></p>
    <label class="field"><span>${t('learn.items')}</span>
      <input class="input" value=${items} placeholder=${t('learn.itemsPlaceholder')} data-testid="case-items" data-content onInput=${(/** @type {any} */ e) => setItems(e.currentTarget.value)} /></label>
    <label class="field"><span>${t('learn.teachingPoint')}</span>
      <textarea class="input" rows="4" data-testid="case-teaching-point" data-content onInput=${(/** @type {any} */ e) => setPoint(e.currentTarget.value)}>${point}</textarea></label>
    <div class="row gap">
      <button type="button" class="btn btn-primary" onClick=${() => save('accepted')} data-testid="case-accept">${t('learn.accept')}</button>
      <button type="button" class="btn" onClick=${() => save('rejected')} data-testid="case-reject">${t('learn.reject')}</button>
    </div>
    ${message ? html`<p class="muted small" data-testid="case-curation-message">${message}</p>` : null}
  </section>`;
}
