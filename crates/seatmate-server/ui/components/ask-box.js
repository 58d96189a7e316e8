// "Ask the knowledge base": a question in, knowledge cards and similar solved cases out.

import { useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, qs } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { ErrorBox, Loading } from './common.js';
import { CaseCard, KnowledgeCard, caseKey } from './knowledge-card.js';

/**
 * @typedef {{ state: 'idle' } | { state: 'loading' } | { state: 'failed', err: unknown }
 *   | { state: 'done', query: string, items: import('./knowledge-card.js').KnowledgeHit[], cases: import('./knowledge-card.js').CaseHit[] }} AskState
 */

export function AskBox() {
  const [question, setQuestion] = useState('');
  const [result, setResult] = useState(/** @type {AskState} */ ({ state: 'idle' }));
  const seq = useRef(0);

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    const q = question.trim();
    const mine = ++seq.current;
    if (!q) {
      setResult({ state: 'idle' });
      return;
    }
    setResult({ state: 'loading' });
    try {
      const data = await api(`/api/v1/knowledge/search${qs({ q, k: 5 })}`);
      if (mine !== seq.current) return;
      const items = data && Array.isArray(data.items) ? data.items : [];
      const cases = data && Array.isArray(data.cases) ? data.cases : [];
      setResult({ state: 'done', query: q, items, cases });
    } catch (err) {
      if (mine === seq.current) setResult({ state: 'failed', err });
    }
  };

  return html`<section class="card ask" data-testid="ask">
    <h2>${t('ask.title')}</h2>
    <form class="ask-form" onSubmit=${submit}>
      <input type="search" class="input grow" placeholder=${t('ask.placeholder')} data-testid="ask-input" aria-label=${t('ask.title')}
        value=${question} onInput=${(/** @type {any} */ e) => setQuestion(e.currentTarget.value)} />
      <button type="submit" class="btn btn-primary" data-testid="ask-submit">${t('ask.submit')}</button>
    </form>
    <div class="ask-results" aria-live="polite"><${AskResults} result=${result} /></div>
  </section>`;
}

/** @param {{ result: AskState }} props */
function AskResults({ result }) {
  if (result.state === 'loading') return html`<${Loading} />`;
  if (result.state === 'failed') return html`<${ErrorBox} err=${result.err} />`;
  if (result.state !== 'done') return null;
  if (!result.items.length) return html`<div class="empty" data-testid="ask-empty">${t('ask.empty')}</div>`;
  const ctx = { query: result.query };
  return html`
    <ol class="ask-list">${result.items.map((it) => html`<${KnowledgeCard} key=${it.id} item=${it} ctx=${ctx} />`)}</ol>
    ${result.cases.length
      ? html`<h3>${t('assist.cases')}</h3>
          <ol class="ask-list" data-testid="ask-cases">${result.cases.map((entry) => html`<${CaseCard} key=${caseKey(entry)} entry=${entry} />`)}</ol>`
      : null}
  `;
}
