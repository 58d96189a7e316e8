// Cards for search results: a knowledge item (with "used" / "not helpful" feedback) and a similar
// solved case. Used by the live assist panel and the ask box.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { Badge } from './common.js';
import { Passage } from './passage.js';

export const KINDS = ['faq', 'article', 'flow'];
const MATCH_FIELDS = ['question', 'answer', 'title', 'body'];

/**
 * A knowledge hit as the API sends it.
 * @typedef {{ id: string, kind?: string, title?: string, key?: string, score?: number, passage?: string,
 *   highlights?: [number, number][], matched_field?: string, matched_terms?: string[],
 *   semantic?: { question?: number, passage?: number } | null, feedback?: number }} KnowledgeHit
 * @typedef {{ visible?: boolean, case?: { conversation_id?: string, title?: string, summary?: string,
 *   passage?: string, highlights?: [number, number][], resolution?: string, category?: string, score?: number } }} CaseHit
 * @typedef {{ query?: string, conversationId?: string | null }} FeedbackContext
 */

/** Why a result matched: the words it shares with the question and how close its meaning is. @param {KnowledgeHit} it */
export function whyText(it) {
  const field = MATCH_FIELDS.includes(it.matched_field || '') ? it.matched_field : 'body';
  const terms = Array.isArray(it.matched_terms) ? it.matched_terms.filter(Boolean).map(String) : [];
  const parts = [terms.length ? t('ask.whyTerms', { field: t(`ask.field.${field}`), terms: terms.join(t('ask.termSep')) }) : t('ask.why', { field: t(`ask.field.${field}`) })];
  const sem = it.semantic;
  if (sem && typeof sem === 'object') {
    const best = Math.max(Number(sem.question) || 0, Number(sem.passage) || 0);
    parts.push(t('ask.whyMeaning', { sim: best.toFixed(2) }));
  }
  if (Number(it.feedback) > 0.01) parts.push(t('ask.whyLiked'));
  if (Number(it.feedback) < -0.01) parts.push(t('ask.whyDisliked'));
  return parts.join(' · ');
}

/** @param {{ score: number | undefined }} props */
export function ScoreBadge({ score }) {
  const pct = Math.round(Math.max(0, Math.min(1, Number(score) || 0)) * 100);
  const level = pct >= 70 ? 'high' : pct >= 30 ? 'mid' : 'low';
  return html`<span class=${`score score-${level}`} title=${t('ask.scoreHint')} data-testid="card-score">${pct}%</span>`;
}

/**
 * "Used" / "Not helpful" on a knowledge card; the verdict is stored and weighs in later rankings.
 * @param {{ id: string, ctx: FeedbackContext }} props
 */
function FeedbackButtons({ id, ctx }) {
  const [sending, setSending] = useState(false);
  const [verdict, setVerdict] = useState(/** @type {string | null} */ (null));
  const [note, setNote] = useState('');
  /** @param {'used' | 'unhelpful'} choice */
  const send = async (choice) => {
    setSending(true);
    try {
      await api(`/api/v1/knowledge/${enc(id)}/feedback`, { method: 'POST', body: { verdict: choice, query: ctx.query || '', conversation_id: ctx.conversationId || null } });
      setVerdict(choice);
      setNote(t('fb.thanks'));
    } catch (err) {
      setSending(false);
      setNote((err instanceof Error && err.message) || t('err.network'));
    }
  };
  const done = sending || verdict !== null;
  /** @param {'used' | 'unhelpful'} choice @param {string} label */
  const button = (choice, label) =>
    html`<button type="button" class=${`btn btn-small${verdict === choice ? ' chosen' : ''}`} data-testid=${`feedback-${choice}`} disabled=${done} onClick=${() => send(choice)}>${label}</button>`;
  return html`<div class="feedback-row" data-verdict=${verdict || undefined}>
    ${button('used', t('fb.used'))} ${button('unhelpful', t('fb.unhelpful'))}
    <span class="muted small" data-testid="feedback-note" aria-live="polite">${note}</span>
  </div>`;
}

/** @param {{ item: KnowledgeHit, ctx: FeedbackContext }} props */
export function KnowledgeCard({ item, ctx }) {
  const kind = KINDS.includes(item.kind || '') ? item.kind : 'faq';
  return html`<li class="ask-result card-new" data-testid="ask-result" data-id=${item.id} data-kind=${item.kind}>
    <div class="ask-result-head">
      <a href=${`#/knowledge/${enc(item.id)}`} class="strong">${item.title || item.key || item.id}</a>
      <${Badge} text=${t(`kind.${kind}`)} kind=${`kind-${kind}`} />
      <${ScoreBadge} score=${item.score} />
    </div>
    <${Passage} passage=${item.passage} highlights=${item.highlights} />
    <div class="ask-why muted small" data-testid="ask-why">${whyText(item)}</div>
    <${FeedbackButtons} id=${item.id} ctx=${ctx} />
  </li>`;
}

/** A similar solved case: what it was about and how it was resolved. @param {{ entry: CaseHit }} props */
export function CaseCard({ entry }) {
  const c = (entry && entry.case) || {};
  const title = entry.visible
    ? html`<a href=${`#/conversations/${enc(c.conversation_id)}`} class="strong">${c.title || c.conversation_id}</a>`
    : html`<span class="strong">${c.title || t('case.untitled')}</span>`;
  return html`<li class="ask-result case-card card-new" data-testid="case-card" data-id=${c.conversation_id || ''}>
    <div class="ask-result-head">${title} ${c.category ? html`<${Badge} text=${c.category} kind="kind-case" />` : null} <${ScoreBadge} score=${c.score} /></div>
    ${c.summary ? html`<p class="case-summary">${c.summary}</p>` : null}
    ${entry.visible && c.passage ? html`<${Passage} class="ask-passage muted small" passage=${c.passage} highlights=${c.highlights} />` : null}
    ${c.resolution ? html`<p class="case-resolution"><span class="muted small">${t('case.resolution')}：</span>${c.resolution}</p>` : null}
  </li>`;
}

/** The key a case card keeps across refreshes. @param {CaseHit} entry */
export function caseKey(entry) {
  return `c:${(entry.case && entry.case.conversation_id) || ''}`;
}
