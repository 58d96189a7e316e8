// What the live pipeline says about a conversation: the escalation risk with its reasons, and the
// alert on the agent's desk with the next step.

import { html } from '../lib/html.js';
import { t, formatNumber } from '../lib/i18n.js';

/**
 * @typedef {{ kind: string, evidence?: string | null, turn?: number | null }} RiskReason
 * @typedef {{ score: number, level: string, reasons?: RiskReason[], next_step?: { id?: string, title: string, text?: string } | null }} Risk
 */

/** @param {RiskReason} reason */
export function reasonText(reason) {
  return t(`risk.reason.${reason.kind}`, { evidence: reason.evidence || '' });
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
          ${risk.next_step.id ? html`<a href=${`#/knowledge/${encodeURIComponent(risk.next_step.id)}`}>${risk.next_step.title}</a>` : html`<strong>${risk.next_step.title}</strong>`}
          ${risk.next_step.text ? html`<p class="small">${risk.next_step.text}</p>` : null}</div>`
      : null}
  </section>`;
}
