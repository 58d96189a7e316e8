// Cards for search results: a knowledge item (with "used" / "not helpful" feedback) and a similar
// solved case. Used by the live assist panel and the ask box.

import { useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { Badge, Trans } from './common.js';
import { Passage } from './passage.js';
import { openInDrawer } from './knowledge-drawer.js';
import { startFlow } from './flow-walk.js';

export const KINDS = ['faq', 'article', 'flow'];
const MATCH_FIELDS = ['question', 'answer', 'title', 'body'];

/**
 * A knowledge hit as the API sends it.
 * @typedef {{ id: string, kind?: string, title?: string, key?: string, score?: number, passage?: string,
 *   answer?: string, highlights?: [number, number][], matched_field?: string, matched_terms?: string[],
 *   semantic?: { question?: number, passage?: number } | null, feedback?: number, pinned?: boolean }} KnowledgeHit
 * @typedef {{ visible?: boolean, case?: { conversation_id?: string, title?: string, summary?: string,
 *   passage?: string, highlights?: [number, number][], resolution?: string, category?: string, score?: number } }} CaseHit
 * @typedef {{ query?: string, conversationId?: string | null }} FeedbackContext
 */

/**
 * Why a result matched, for a person: the customer's own words it shares (the server leaves out
 * particles and pronouns), or that it was found by meaning; raw similarities are not shown, they
 * sit in a narrow band and mean little. The words are the customer's, marked as data.
 * @param {{ item: KnowledgeHit }} props
 */
export function Why({ item: it }) {
  const field = t(`ask.field.${MATCH_FIELDS.includes(it.matched_field || '') ? it.matched_field : 'body'}`);
  const terms = Array.isArray(it.matched_terms) ? it.matched_terms.filter(Boolean).map(String) : [];
  let reason;
  if (terms.length) reason = html`<${Trans} k="ask.whyTerms" params=${{ field, terms: html`<span data-content>${terms.join(t('ask.termSep'))}</span>` }} />`;
  else if (it.semantic && typeof it.semantic === 'object') reason = t('ask.whyMeaningOnly', { field });
  else reason = t('ask.why', { field });
  const extra = [];
  if (Number(it.feedback) > 0.01) extra.push(t('ask.whyLiked'));
  if (Number(it.feedback) < -0.01) extra.push(t('ask.whyDisliked'));
  return html`${reason}${extra.map((text) => ` · ${text}`)}`;
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

/**
 * A knowledge card: what to say or do (the FAQ's answer, the article's section, the flow's first
 * step) with "copy to reply", the phrasing that matched and why. The title opens the whole item in
 * the side drawer when the page has one (a conversation), else its page.
 * @param {{ item: KnowledgeHit, ctx: FeedbackContext, pinned?: boolean }} props
 */
export function KnowledgeCard({ item, ctx, pinned }) {
  const kind = KINDS.includes(item.kind || '') ? item.kind : 'faq';
  const answer = String(item.answer || '');
  /** @param {MouseEvent} e */
  const open = (e) => {
    if (openInDrawer(item, ctx)) e.preventDefault();
  };
  return html`<li class="ask-result card-new" data-testid="ask-result" data-id=${item.id} data-kind=${item.kind}>
    <div class="ask-result-head">
      <a href=${`#/knowledge/${enc(item.id)}`} class="strong" data-testid="card-open" data-content onClick=${open}>${item.title || item.key || item.id}</a>
      <${Badge} text=${t(`kind.${kind}`)} kind=${`kind-${kind}`} />
      <${ScoreBadge} score=${item.score} />
      ${pinned ? html`<span class="badge badge-start" data-testid="card-pinned" title=${t('card.pinnedHint')}>${t('card.pinned')}</span>` : null}
    </div>
    ${answer
      ? html`<div class="card-answer">
          ${kind === 'flow' ? html`<span class="muted small">${t('card.firstStep')}</span>` : null}
          <div class="card-answer-text clamp-4 prewrap" data-testid="card-answer" data-content>${answer}</div>
          ${kind === 'flow' && ctx.conversationId
            ? html`<button type="button" class="btn btn-small" data-testid="card-walk" onClick=${() => startFlow(ctx.conversationId || '', item.id)}>${t('flow.start')}</button>`
            : html`<${CopyButton} item=${item} text=${answer} ctx=${ctx} />`}
        </div>`
      : null}
    <details class="card-match">
      <summary class="muted small" data-testid="ask-why"><${Why} item=${item} /></summary>
      <${Passage} passage=${item.passage} highlights=${item.highlights} />
    </details>
    <${FeedbackButtons} id=${item.id} ctx=${ctx} />
  </li>`;
}

/**
 * "Copy to reply": the answer onto the clipboard, for the agent's chat or script window, and a
 * "used" verdict for the ranking (once per card).
 * @param {{ item: KnowledgeHit, text: string, ctx: FeedbackContext }} props
 */
export function CopyButton({ item, text, ctx }) {
  const [state, setState] = useState(/** @type {'' | 'copied' | 'failed'} */ (''));
  const counted = useRef(false);
  const copy = async () => {
    const ok = await copyText(text);
    setState(ok ? 'copied' : 'failed');
    if (ok && !counted.current) {
      counted.current = true;
      const body = { verdict: 'used', query: ctx.query || '', conversation_id: ctx.conversationId || null };
      api(`/api/v1/knowledge/${enc(item.id)}/feedback`, { method: 'POST', body }).catch(() => {});
    }
  };
  const label = state === 'copied' ? t('card.copied') : state === 'failed' ? t('card.copyFailed') : t('card.copy');
  return html`<button type="button" class=${`btn btn-small${state === 'copied' ? ' chosen' : ''}`} data-testid="card-copy" data-state=${state || undefined} onClick=${copy}>${label}</button>`;
}

/** Puts text on the clipboard: the Clipboard API where the page may use it, else a selection. @param {string} text */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A similar solved case: how it was resolved, then what it was about. @param {{ entry: CaseHit }} props */
export function CaseCard({ entry }) {
  const c = (entry && entry.case) || {};
  const title = entry.visible
    ? html`<a href=${`#/conversations/${enc(c.conversation_id)}`} class="strong" data-content>${c.title || c.conversation_id}</a>`
    : html`<span class="strong">${c.title || t('case.untitled')}</span>`;
  const summary = c.summary && c.summary !== c.resolution ? c.summary : '';
  return html`<li class="ask-result case-card card-new" data-testid="case-card" data-id=${c.conversation_id || ''}>
    <div class="ask-result-head">${title} ${c.category ? html`<code class="badge badge-kind-case" data-content>${c.category}</code>` : null} <${ScoreBadge} score=${c.score} /></div>
    ${c.resolution ? html`<p class="case-resolution" data-testid="case-resolution"><span class="muted small">${t('case.resolution')}：</span><span data-content>${c.resolution}</span></p>` : null}
    ${summary ? html`<p class="case-summary muted small clamp" data-content>${summary}</p>` : null}
    ${entry.visible && c.passage ? html`<${Passage} class="ask-passage muted small" passage=${c.passage} highlights=${c.highlights} />` : null}
  </li>`;
}

/** The key a case card keeps across refreshes. @param {CaseHit} entry */
export function caseKey(entry) {
  return `c:${(entry.case && entry.case.conversation_id) || ''}`;
}
