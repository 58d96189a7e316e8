// The live assist panel beside a conversation: knowledge and similar-case cards for what the
// customer said last, refreshed as turns arrive. Cards are keyed, so a refresh keeps the cards that
// stay (and the agent's place and clicks) and only inserts or removes the others.

import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, qs } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { Empty, Loading } from './common.js';
import { CaseCard, KnowledgeCard, caseKey } from './knowledge-card.js';

/**
 * @typedef {import('./knowledge-card.js').KnowledgeHit} KnowledgeHit
 * @typedef {import('./knowledge-card.js').CaseHit} CaseHit
 * @typedef {{ basis?: string, query?: string, knowledge?: KnowledgeHit[], cases?: CaseHit[] }} AssistCards
 */

/**
 * @param {{ conversationId: string, upto: number | null, replaying: boolean, onReplay: () => void }} props
 *   `upto`: the cards as they were after that turn; null for the whole conversation.
 */
export function LiveAssist({ conversationId, upto, replaying, onReplay }) {
  const [cards, setCards] = useState(/** @type {AssistCards | null} */ (null));
  const [failure, setFailure] = useState('');

  useEffect(() => {
    let current = true;
    api(`/api/v1/conversations/${enc(conversationId)}/assist${qs({ upto: upto === null ? '' : upto, k: 4 })}`)
      .then((data) => {
        if (!current) return;
        setFailure('');
        setCards(data || {});
      })
      .catch((err) => {
        if (current) setFailure(err.message || t('err.network'));
      });
    return () => {
      current = false;
    };
  }, [conversationId, upto]);

  const knowledge = cards && Array.isArray(cards.knowledge) ? cards.knowledge : [];
  const cases = cards && Array.isArray(cards.cases) ? cards.cases : [];
  const query = (cards && cards.query) || '';
  let status = '';
  if (failure) status = failure;
  else if (cards) status = query ? t(cards.basis === 'opening' ? 'assist.opening' : 'assist.listening', { q: query }) : t('assist.waiting');
  const ctx = { conversationId, query };

  return html`<section class="card assist" data-testid="assist">
    <div class="card-title-row">
      <h2>${t('assist.title')}</h2>
      <button type="button" class="btn btn-small" data-testid="assist-replay" onClick=${onReplay}>${replaying ? t('assist.stop') : t('assist.replay')}</button>
    </div>
    <p><span class="muted small" data-testid="assist-query" aria-live="polite">${status}</span></p>
    ${!cards && !failure ? html`<${Loading} />` : null}
    <h3>${t('assist.knowledge')}</h3>
    <ol class="ask-list" data-testid="assist-cards">
      ${knowledge.map((it) => html`<${KnowledgeCard} key=${`k:${it.id}`} item=${it} ctx=${ctx} />`)}
    </ol>
    ${cards && !knowledge.length ? html`<${Empty} small text=${t('assist.noKnowledge')} />` : null}
    <h3>${t('assist.cases')}</h3>
    <ol class="ask-list" data-testid="assist-cases">
      ${cases.map((entry) => html`<${CaseCard} key=${caseKey(entry)} entry=${entry} />`)}
    </ol>
    ${cards && !cases.length ? html`<${Empty} small text=${t('assist.noCases')} />` : null}
  </section>`;
}
