// The live assist panel beside a conversation: knowledge and similar-case cards for what the
// customer said last, refreshed as turns arrive. Cards are keyed, so a refresh keeps the cards that
// stay (and the agent's place and clicks) and only inserts or removes the others.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, qs } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { Empty, ErrorBox, Loading, Trans } from './common.js';
import { CaseCard, KnowledgeCard, caseKey } from './knowledge-card.js';
import { FlowPanel } from './flow-walk.js';

/**
 * @typedef {import('./knowledge-card.js').KnowledgeHit} KnowledgeHit
 * @typedef {import('./knowledge-card.js').CaseHit} CaseHit
 * @typedef {{ basis?: string, query?: string, topic_turn?: number | null, knowledge?: KnowledgeHit[], cases?: CaseHit[], flow?: import('./flow-walk.js').Proposed | null }} AssistCards
 */

/**
 * @param {{ conversationId: string, upto: number | null, replaying: boolean, onReplay: () => void }} props
 *   `upto`: the cards as they were after that turn; null for the whole conversation.
 */
export function LiveAssist({ conversationId, upto, replaying, onReplay }) {
  const [cards, setCards] = useState(/** @type {AssistCards | null} */ (null));
  const [failure, setFailure] = useState(/** @type {unknown} */ (null));
  const [reads, setReads] = useState(0);
  // the card on top stays on top while the customer stays on the topic it answered
  const pinned = useRef(/** @type {{ topic: number, card: KnowledgeHit } | null} */ (null));

  useEffect(() => {
    let current = true;
    api(`/api/v1/conversations/${enc(conversationId)}/assist${qs({ upto: upto === null ? '' : upto, k: 4 })}`)
      .then((data) => {
        if (!current) return;
        setFailure(null);
        setCards(withPinned(data || {}, pinned));
      })
      .catch((err) => {
        if (current) setFailure(err);
      });
    return () => {
      current = false;
    };
  }, [conversationId, upto, reads]);

  const knowledge = cards && Array.isArray(cards.knowledge) ? cards.knowledge : [];
  const cases = cards && Array.isArray(cards.cases) ? cards.cases : [];
  const query = (cards && cards.query) || '';
  let status = /** @type {any} */ ('');
  if (cards) status = query ? html`<${Trans} k=${cards.basis === 'opening' ? 'assist.opening' : 'assist.listening'} params=${{ q: html`<span data-content>${query}</span>` }} />` : t('assist.waiting');
  const ctx = { conversationId, query };

  const proposed = (cards && cards.flow) || null;
  return html`<${FlowPanel} conversationId=${conversationId} upto=${upto} proposed=${proposed} /><section class="card assist" data-testid="assist">
    <div class="card-title-row">
      <h2>${t('assist.title')}</h2>
      <button type="button" class="btn btn-small" data-testid="assist-replay" onClick=${onReplay}>${replaying ? t('assist.stop') : t('assist.replay')}</button>
    </div>
    <p><span class="muted small" data-testid="assist-query" aria-live="polite">${status}</span></p>
    ${failure ? html`<${ErrorBox} err=${failure} onRetry=${() => setReads((n) => n + 1)} />` : null}
    ${!cards && !failure ? html`<${Loading} />` : null}
    <h3>${t('assist.knowledge')}</h3>
    <ol class="ask-list" data-testid="assist-cards">
      ${knowledge.map((it) => html`<${KnowledgeCard} key=${`k:${it.id}`} item=${it} ctx=${ctx} pinned=${Boolean(it.pinned)} />`)}
    </ol>
    ${cards && !knowledge.length ? html`<${Empty} small testid="assist-nothing" text=${query ? t('assist.nothingRelevant') : t('assist.noKnowledge')} />` : null}
    <h3>${t('assist.cases')}</h3>
    <ol class="ask-list" data-testid="assist-cases">
      ${cases.map((entry) => html`<${CaseCard} key=${caseKey(entry)} entry=${entry} />`)}
    </ol>
    ${cards && !cases.length ? html`<${Empty} small text=${t('assist.noCases')} />` : null}
  </section>`;
}

/**
 * The cards with the pinned one first: while the topic (the turn that opened it) stays, the card
 * that was on top stays on top, even when newer words rank it lower or leave it out; a new topic
 * pins its own top card.
 * @param {AssistCards} data @param {{ current: { topic: number, card: KnowledgeHit } | null }} pinned
 * @returns {AssistCards}
 */
function withPinned(data, pinned) {
  const knowledge = Array.isArray(data.knowledge) ? data.knowledge : [];
  const topic = typeof data.topic_turn === 'number' ? data.topic_turn : null;
  if (topic === null) {
    pinned.current = null;
    return data;
  }
  const held = pinned.current;
  if (!held || held.topic !== topic) {
    pinned.current = knowledge.length ? { topic, card: knowledge[0] } : null;
    return data;
  }
  const fresh = knowledge.find((k) => k.id === held.card.id);
  const card = { ...(fresh || held.card), pinned: true };
  return { ...data, knowledge: [card, ...knowledge.filter((k) => k.id !== held.card.id)].slice(0, Math.max(knowledge.length, 1)) };
}
