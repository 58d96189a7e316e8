// What the live pipeline says about a conversation: the escalation risk with its reasons, and the
// alert on the agent's desk with the next step.

import { html } from '../lib/html.js';
import { t, formatNumber } from '../lib/i18n.js';
import { Data, Trans } from './common.js';

/**
 * @typedef {{ kind: string, evidence?: string | null, turn?: number | null }} RiskReason
 * @typedef {{ score: number, level: string, reasons?: RiskReason[], next_step?: { id?: string, title: string, text?: string } | null }} Risk
 */

/** @param {RiskReason} reason */
export function reasonText(reason) {
  // the evidence is the customer's words: data, in whatever language they spoke
  return html`<${Trans} k=${`risk.reason.${reason.kind}`} params=${{ evidence: html`<${Data}>${reason.evidence || ''}<//>` }} />`;
}

/** @param {{ risk: Risk }} props */
export function RiskBadge({ risk }) {
  return html`<span class=${`badge badge-risk-${risk.level}`} data-testid="risk-badge" title=${t('risk.scoreTitle')}>
    ${t(`risk.level.${risk.level}`)} ${formatNumber(Math.round(risk.score * 100))}
  </span>`;
}

/** The alert on the agent's desk: why, and what to do next. @param {{ risk: Risk | null }} props */
export function RiskAlert({ risk }) {
  if (!risk || risk.level === 'low') return null;
  return html`<section class=${`alert risk-alert risk-${risk.level}`} role="alert" data-testid="risk-alert">
    <div class="risk-alert-head"><strong>${t(`risk.alert.${risk.level}`)}</strong> <${RiskBadge} risk=${risk} /></div>
    <ul class="live-reasons">${(risk.reasons || []).map((r) => html`<li>${reasonText(r)}</li>`)}</ul>
    ${risk.next_step
      ? html`<div class="risk-next" data-testid="risk-next"><span class="muted">${t('risk.nextStep')}</span>
          ${risk.next_step.id ? html`<a href=${`#/knowledge/${encodeURIComponent(risk.next_step.id)}`} data-content>${risk.next_step.title}</a>` : html`<strong data-content>${risk.next_step.title}</strong>`}
          ${risk.next_step.text ? html`<p class="small" data-content>${risk.next_step.text}</p>` : null}</div>`
      : null}
  </section>`;
}

/**
 * The customer's emotion now and its trajectory, one point per customer turn.
 * @param {{ emotion: { label: string, probability: number, valence: number, trajectory: { turn: number, valence: number }[] } | null }} props
 */
export function EmotionStrip({ emotion }) {
  if (!emotion) return null;
  const points = emotion.trajectory || [];
  const width = 120;
  const height = 28;
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const y = (/** @type {number} */ v) => ((1 - v) / 2) * (height - 4) + 2;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${(i * step).toFixed(1)},${y(p.valence).toFixed(1)}`).join(' ');
  const tone = emotion.valence < -0.3 ? 'negative' : emotion.valence > 0.3 ? 'positive' : 'neutral';
  return html`<div class=${`emotion-strip emotion-${tone}`} data-testid="emotion-strip" title=${t('emotion.trajectoryTitle')}>
    <span class="muted">${t('emotion.title')}</span>
    <strong data-testid="emotion-label">${t(`emotion.label.${emotion.label}`)}</strong>
    <svg class="emotion-trajectory" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} aria-hidden="true">
      <line x1="0" x2=${width} y1=${y(0)} y2=${y(0)} class="emotion-zero" />
      ${points.length > 1 ? html`<path d=${path} />` : html`<circle cx="0" cy=${y(points[0] ? points[0].valence : 0)} r="2" />`}
    </svg>
  </div>`;
}

/**
 * Sales and retention opportunities the customer's words showed, each with why.
 * @param {{ opportunities: { name: string, evidence: string, matched_by: string }[] }} props
 */
export function OpportunityCues({ opportunities }) {
  if (!opportunities.length) return null;
  return html`<section class="opportunities" data-testid="opportunities">
    <strong>${t('opportunity.title')}</strong>
    ${opportunities.map((o) => html`<span class="badge badge-opportunity" data-testid="opportunity" data-content
      title=${t(o.matched_by === 'meaning' ? 'opportunity.byMeaning' : 'opportunity.byWords', { evidence: o.evidence })}>${o.name}</span>`)}
  </section>`;
}

/**
 * What the customer's words so far are about: the ticket classifier's best category.
 * @param {{ intent: { path: string[], probability: number, none_of_these: boolean } | null }} props
 */
export function IntentLine({ intent }) {
  if (!intent) return null;
  return html`<div class="live-intent" data-testid="live-intent">
    <span class="muted">${t('intent.title')}</span>
    <strong data-content>${intent.path.join(' › ')}</strong>
    <span class="muted small">${formatNumber(Math.round(intent.probability * 100))}%${intent.none_of_these ? ` ${t('intent.noneOfThese')}` : ''}</span>
  </div>`;
}
