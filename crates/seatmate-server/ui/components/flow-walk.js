// A guided flow walked inside a conversation (一步步指导): the current step and its question, the
// option the customer's answer picks, actions checked off (those the turns show done come
// pre-ticked), and the path so far. Every move is saved, so quality inspection can check that the
// flow's required actions came in order.

import { useEffect, useState } from '../vendor/hooks.js';
import { signal } from '../vendor/signals.js';
import { html } from '../lib/html.js';
import { api, enc, qs } from '../lib/api.js';
import { t, tEnum } from '../lib/i18n.js';
import { pct } from '../lib/format.js';
import { Badge, Data, ErrorBox, Loading } from './common.js';

/**
 * @typedef {{ id: string, title: string, basis: string, score: number }} Proposed
 * @typedef {{ step: string, option?: number, action?: string, turn?: number }} WalkedStep
 * @typedef {{ flow_id: string, steps: WalkedStep[], finished: boolean, revision: number }} Walk
 * @typedef {{ id: string, kind: string, text: string, options?: { label: string, next: string }[], next?: string, action?: string }} Step
 * @typedef {{ flow: { id: string, title: string, body: { start: string, steps: Step[], required?: string[] } },
 *   walk: Walk | null, recognised: { step: string, turn: number, cue: string }[],
 *   answer: { step: string, option: number, turn: number, words: string[] } | null }} Guide
 */

/** The flow being walked on this page ({ conversationId, flowId }), or null. */
const walking = signal(/** @type {{ conversationId: string, flowId: string } | null} */ (null));

/** Opens a flow's walk in the conversation's guidance panel. @param {string} conversationId @param {string} flowId */
export function startFlow(conversationId, flowId) {
  walking.value = { conversationId, flowId };
}

/** An action code in the UI's language (the code itself, marked as data, when unknown). @param {string} code */
export function actionLabel(code) {
  const name = tEnum('flowaction', code);
  return name === code ? html`<${Data}>${code}<//>` : name;
}

/**
 * The guidance panel beside a conversation: the flow being walked (or the one last walked), else
 * the flow the live cards propose.
 * @param {{ conversationId: string, upto: number | null, proposed?: Proposed | null }} props
 */
export function FlowPanel({ conversationId, upto, proposed }) {
  const [walks, setWalks] = useState(/** @type {Walk[] | null} */ (null));
  useEffect(() => {
    walking.value = null;
    let live = true;
    api(`/api/v1/conversations/${enc(conversationId)}/flows`)
      .then((res) => {
        if (!live) return;
        const items = (res && res.items) || [];
        setWalks(items);
        const open = items.find((/** @type {Walk} */ w) => !w.finished) || items[items.length - 1];
        if (open && !walking.value) walking.value = { conversationId, flowId: open.flow_id };
      })
      .catch(() => live && setWalks([]));
    return () => {
      live = false;
      walking.value = null;
    };
  }, [conversationId]);
  const current = walking.value && walking.value.conversationId === conversationId ? walking.value.flowId : null;
  if (current) return html`<${FlowWalk} key=${current} conversationId=${conversationId} flowId=${current} upto=${upto} />`;
  if (!proposed || walks === null) return null;
  return html`<section class="card flow-proposal" data-testid="flow-proposal">
    <div class="card-title-row">
      <div>
        <span class="muted small">${t('flow.proposed')}</span> <strong data-content>${proposed.title}</strong>
        <div class="muted small" data-testid="flow-basis">${t(proposed.basis === 'category' ? 'flow.byCategory' : 'flow.byWords', { p: pct(proposed.score) })}</div>
      </div>
      <button type="button" class="btn btn-small btn-primary" data-testid="flow-start" onClick=${() => startFlow(conversationId, proposed.id)}>${t('flow.start')}</button>
    </div>
  </section>`;
}

/** @param {{ conversationId: string, flowId: string, upto: number | null }} props */
function FlowWalk({ conversationId, flowId, upto }) {
  const [guide, setGuide] = useState(/** @type {Guide | null} */ (null));
  const [failure, setFailure] = useState(/** @type {unknown} */ (null));
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [reads, setReads] = useState(0);
  const path = `/api/v1/conversations/${enc(conversationId)}/flows/${enc(flowId)}`;

  useEffect(() => {
    let live = true;
    api(`${path}${qs({ upto: upto === null ? '' : upto })}`)
      .then((g) => {
        if (!live) return;
        setFailure(null);
        setGuide(g);
      })
      .catch((err) => live && setFailure(err));
    return () => {
      live = false;
    };
  }, [path, upto, reads]);

  if (failure && !guide) return html`<section class="card flow-walk"><${ErrorBox} err=${failure} onRetry=${() => setReads((n) => n + 1)} /></section>`;
  if (!guide) return html`<section class="card flow-walk"><${Loading} lines=${3} /></section>`;

  const flow = guide.flow.body;
  const steps = flow.steps || [];
  const byId = (/** @type {string} */ id) => steps.find((s) => s.id === id);
  const recognisedAt = (/** @type {string} */ id) => (guide.recognised || []).find((r) => r.step === id);
  const walk = guide.walk;
  /** @type {WalkedStep[]} */
  const taken = walk ? walk.steps : [];
  const here = taken.length ? taken[taken.length - 1] : null;
  const step = here ? byId(here.step) : null;

  /** Saves the walk's steps; a 409 (another tab saved first) reloads the walk. @param {WalkedStep[]} next */
  const save = async (next) => {
    setBusy(true);
    setNotice('');
    try {
      const saved = await api(path, { method: 'PUT', body: { steps: next, revision: walk ? walk.revision : 0 } });
      setFailure(null);
      setGuide({ ...guide, walk: saved, answer: null });
      setReads((n) => n + 1);
    } catch (err) {
      if (/** @type {any} */ (err).status === 409) {
        setNotice(t('flow.reloaded'));
        setReads((n) => n + 1);
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  /** The current step with its action checked (with the turn that showed it) or not. @param {boolean} done */
  const withAction = (done) => {
    if (!here || !step) return taken;
    const seen = recognisedAt(step.id);
    /** @type {WalkedStep} */
    const updated = { step: here.step };
    if (here.option !== undefined) updated.option = here.option;
    if (done && step.action) {
      updated.action = step.action;
      if (seen) updated.turn = seen.turn;
    }
    return [...taken.slice(0, -1), updated];
  };
  const actionDone = Boolean(here && here.action);
  const goOn = () => {
    if (!step || !step.next) return;
    save([...withAction(actionDone), { step: step.next }]);
  };
  /** @param {number} option */
  const choose = (option) => {
    if (!step || !step.options) return;
    const current = withAction(actionDone);
    const last = { ...current[current.length - 1], option };
    save([...current.slice(0, -1), last, { step: step.options[option].next }]);
  };
  const back = () => {
    if (taken.length <= 1) return;
    const previous = taken.slice(0, -1);
    const last = { ...previous[previous.length - 1] };
    delete last.option;
    save([...previous.slice(0, -1), last]);
  };
  const close = () => {
    walking.value = null;
  };

  const required = flow.required || [];
  const doneActions = taken.map((s) => s.action).filter(Boolean);
  let body;
  if (!walk) {
    body = html`<p class="small">${t('flow.notStarted')}</p>
      <button type="button" class="btn btn-primary" data-testid="flow-begin" disabled=${busy} onClick=${() => save([{ step: flow.start }])}>${t('flow.begin')}</button>`;
  } else if (step) {
    const seen = recognisedAt(step.id);
    const answer = guide.answer && guide.answer.step === step.id ? guide.answer : null;
    body = html`<div class="flow-step" data-testid="flow-step" data-step=${step.id} data-kind=${step.kind}>
        <div class="flow-step-head"><${Badge} text=${tEnum('stepkind', step.kind)} kind=${`step-${step.kind}`} /><span class="muted small">${t('flow.stepOf', { n: taken.length })}</span></div>
        <p class="flow-text" data-content>${step.text}</p>
        ${step.action
          ? html`<label class="flow-action" data-testid="flow-action">
              <input type="checkbox" checked=${actionDone} disabled=${busy} onChange=${(/** @type {any} */ e) => save(withAction(e.currentTarget.checked))} />
              ${t('flow.actionDone')} ${actionLabel(step.action)}
            </label>
            ${seen ? html`<p class="small flow-seen" data-testid="flow-recognised">${t('flow.recognised', { n: seen.turn + 1 })} <q data-content>${seen.cue}</q>${actionDone ? null : html` <button type="button" class="btn btn-small" data-testid="flow-confirm-recognised" onClick=${() => save(withAction(true))}>${t('flow.tick')}</button>`}</p>` : null}`
          : null}
        ${step.kind === 'ask'
          ? html`${answer ? html`<p class="small flow-seen" data-testid="flow-answer">${t('flow.answered', { n: answer.turn + 1 })} <q data-content>${answer.words.join('、')}</q></p>` : null}
            <div class="flow-options" role="group" aria-label=${t('flow.options')}>
              ${(step.options || []).map(
                (o, i) => html`<button type="button" class=${answer && answer.option === i ? 'btn btn-primary' : 'btn'} data-testid="flow-option" data-suggested=${answer && answer.option === i ? 'true' : null} disabled=${busy} onClick=${() => choose(i)}>${answer && answer.option === i ? '★ ' : ''}<span data-content>${o.label}</span></button>`,
              )}
            </div>`
          : null}
        ${step.kind === 'end'
          ? html`<p class="flow-done" data-testid="flow-finished">${t('flow.finished')}</p>`
          : step.kind !== 'ask'
            ? html`<button type="button" class="btn btn-primary" data-testid="flow-next" disabled=${busy} onClick=${goOn}>${t('flow.next')}</button>`
            : null}
        ${taken.length > 1 ? html` <button type="button" class="btn btn-small" data-testid="flow-back" disabled=${busy} onClick=${back}>${t('flow.back')}</button>` : null}
      </div>`;
  } else {
    body = html`<p class="small">${t('flow.stepGone')}</p>`;
  }

  return html`<section class="card flow-walk" data-testid="flow-walk" data-finished=${walk && walk.finished ? 'true' : 'false'}>
    <div class="card-title-row">
      <h2><span class="muted small">${t('flow.title')}</span> <span data-content>${guide.flow.title}</span></h2>
      <button type="button" class="btn btn-small" data-testid="flow-close" onClick=${close}>${t('flow.close')}</button>
    </div>
    ${notice ? html`<p class="small notice" role="status">${notice}</p>` : null}
    ${failure ? html`<${ErrorBox} err=${failure} onRetry=${() => setReads((n) => n + 1)} />` : null}
    ${taken.length > 1
      ? html`<ol class="flow-path" data-testid="flow-path" aria-label=${t('flow.path')}>
          ${taken.slice(0, -1).map((s) => {
            const st = byId(s.step);
            const label = st && s.option !== undefined && st.options ? st.options[s.option].label : st ? st.text : s.step;
            return html`<li data-step=${s.step}>${s.action ? '✓ ' : ''}<span data-content class="clamp-1">${label}</span></li>`;
          })}
        </ol>`
      : null}
    ${body}
    ${required.length
      ? html`<p class="small flow-required" data-testid="flow-required">${t('flow.required')} ${required.map(
          (code, i) => html`${i ? ' → ' : ''}<span class=${doneActions.includes(code) ? 'ok' : 'muted'} data-done=${doneActions.includes(code) ? 'true' : 'false'}>${doneActions.includes(code) ? '✓' : '○'} ${actionLabel(code)}</span>`,
        )}</p>`
      : null}
  </section>`;
}
