// A guided flow edited as a form: its description, start step and required actions, and its
// steps (say, ask with answers, action, end). Checked in the browser as `GuidedFlow::validate`
// checks it on the server, so the messages are in the UI's language.

import { html } from '../lib/html.js';
import { t, tEnum } from '../lib/i18n.js';

/**
 * @typedef {{ label: string, next: string, cues?: string[] }} FlowOption
 * @typedef {{ id: string, kind: string, text?: string, next?: string | null, options?: FlowOption[], action?: string | null,
 *   cues?: string[] }} FlowStep
 * @typedef {{ kind: string, description?: string, start?: string, steps?: FlowStep[], required?: string[] }} FlowBody
 * @typedef {{ key: number, label: string, next: string, cues: string }} OptionDraft
 * @typedef {{ key: number, id: string, kind: string, text: string, next: string, action: string, cues: string,
 *   options: OptionDraft[], more: boolean }} StepDraft  `more`: its action and cues start unfolded
 * @typedef {{ key: number, code: string }} RequiredDraft
 * @typedef {{ description: string, start: string, required: RequiredDraft[], steps: StepDraft[] }} FlowDraft
 * @typedef {{ message: string, step?: number }} Problem
 */

const STEP_KINDS = ['say', 'ask', 'action', 'end'];

let lastKey = 0;
const newKey = () => ++lastKey;

/** Words separated by commas (either width) or 、. @param {string} text */
export function splitWords(text) {
  return String(text)
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** @param {string[] | undefined} words */
const joinWords = (words) => (Array.isArray(words) ? words.join('、') : '');

/** The form's state of a stored flow. @param {FlowBody} body @returns {FlowDraft} */
export function flowDraft(body) {
  const steps = Array.isArray(body.steps) ? body.steps : [];
  return {
    description: body.description || '',
    start: body.start || '',
    required: (Array.isArray(body.required) ? body.required : []).map((code) => ({ key: newKey(), code })),
    steps: steps.map((s) => ({
      key: newKey(),
      id: s.id || '',
      kind: STEP_KINDS.includes(s.kind) ? s.kind : 'say',
      text: s.text || '',
      next: s.next || '',
      action: s.action || '',
      cues: joinWords(s.cues),
      options: (Array.isArray(s.options) ? s.options : []).map((o) => ({ key: newKey(), label: o.label || '', next: o.next || '', cues: joinWords(o.cues) })),
      more: Boolean(s.action || (s.cues && s.cues.length)),
    })),
  };
}

/** The flow a draft stands for, as PUT takes it; empty fields are left out as the server leaves them out. @param {FlowDraft} draft @returns {FlowBody} */
export function flowBody(draft) {
  /** @type {FlowBody} */
  const body = {
    kind: 'flow',
    description: draft.description,
    start: draft.start,
    steps: draft.steps.map((s) => {
      /** @type {FlowStep} */
      const step = { id: s.id.trim(), kind: s.kind, text: s.text };
      if (s.kind === 'ask') {
        step.options = s.options.map((o) => {
          /** @type {FlowOption} */
          const option = { label: o.label.trim(), next: o.next };
          const cues = splitWords(o.cues);
          if (cues.length) option.cues = cues;
          return option;
        });
      } else if (s.kind !== 'end' && s.next) step.next = s.next;
      if (s.action.trim()) step.action = s.action.trim();
      const cues = splitWords(s.cues);
      if (cues.length) step.cues = cues;
      return step;
    }),
  };
  const required = draft.required.map((r) => r.code.trim()).filter(Boolean);
  if (required.length) body.required = required;
  return body;
}

/** What keeps a flow from being saved, in the UI's language; empty when it can be. @param {FlowDraft} draft @returns {Problem[]} */
export function flowProblems(draft) {
  /** @type {Problem[]} */
  const problems = [];
  if (!draft.steps.length) return [{ message: t('flowedit.needStep') }];
  const ids = new Set();
  draft.steps.forEach((s, i) => {
    const id = s.id.trim();
    if (!id) problems.push({ message: t('flowedit.needId', { n: i + 1 }), step: s.key });
    else if (ids.has(id)) problems.push({ message: t('flowedit.duplicateId', { id }), step: s.key });
    ids.add(id);
  });
  if (!draft.start) problems.push({ message: t('flowedit.needStart') });
  else if (!ids.has(draft.start)) problems.push({ message: t('flowedit.missingStart', { id: draft.start }) });
  for (const s of draft.steps) {
    const id = s.id.trim();
    /** @param {string} target */
    const check = (target) => {
      if (target && !ids.has(target)) problems.push({ message: t('flowedit.missingTarget', { id, target }), step: s.key });
    };
    if (s.kind === 'ask') {
      if (!s.options.length) problems.push({ message: t('flowedit.askNoOptions', { id }), step: s.key });
      s.options.forEach((o, i) => {
        if (!o.label.trim()) problems.push({ message: t('flowedit.optionNoLabel', { id, n: i + 1 }), step: s.key });
        if (!o.next) problems.push({ message: t('flowedit.optionNoNext', { id, n: i + 1 }), step: s.key });
        check(o.next);
      });
    } else if (s.kind !== 'end') check(s.next);
  }
  return problems;
}

/** A free id for a new step: s and one more than the highest number in use. @param {StepDraft[]} steps */
function freeId(steps) {
  const numbers = steps.map((s) => /^s(\d+)$/.exec(s.id.trim())).map((m) => (m ? Number(m[1]) : 0));
  return `s${Math.max(0, ...numbers) + 1}`;
}

/** `list` with the item at `from` moved by `by` places (no-op at the ends). @template T @param {T[]} list @param {number} from @param {number} by */
function moved(list, from, by) {
  const to = from + by;
  if (to < 0 || to >= list.length) return list;
  const copy = list.slice();
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

/**
 * A select of the flow's step ids; a target that no longer exists stays selectable, marked, so
 * the check can name it.
 * @param {{ value: string, ids: string[], onChange: (value: string) => void, testid: string, label: string, none?: boolean, id?: string }} props
 */
function StepSelect({ value, ids, onChange, testid, label, none, id }) {
  const missing = value && !ids.includes(value);
  return html`<select class=${`input${missing ? ' invalid' : ''}`} id=${id} data-testid=${testid} aria-label=${label} aria-invalid=${missing ? 'true' : undefined}
    value=${value} onChange=${(/** @type {any} */ e) => onChange(e.currentTarget.value)}>
    ${none || !value ? html`<option value="">${t('flowedit.noNext')}</option>` : null}
    ${ids.map((stepId) => html`<option value=${stepId} data-content>${stepId}</option>`)}
    ${missing ? html`<option value=${value}>${t('flowedit.missing', { id: value })}</option>` : null}
  </select>`;
}

/** @param {{ label: string, testid: string, onClick: () => void, disabled?: boolean, text: string, danger?: boolean }} props */
function SmallButton({ label, testid, onClick, disabled, text, danger }) {
  return html`<button type="button" class=${`btn btn-small${danger ? ' btn-danger' : ''}`} data-testid=${testid} aria-label=${label} title=${label}
    disabled=${disabled} onClick=${onClick}>${text}</button>`;
}

/**
 * @param {{ draft: FlowDraft, onChange: (draft: FlowDraft) => void, problems: Problem[] | null }} props
 *   `problems`: shown on the steps they concern once a save was tried, else null.
 */
export function FlowForm({ draft, onChange, problems }) {
  const ids = [...new Set(draft.steps.map((s) => s.id.trim()).filter(Boolean))];
  const actions = [...new Set(draft.steps.map((s) => s.action.trim()).filter(Boolean))];
  /** @param {number} key @param {Partial<StepDraft>} change */
  const setStep = (key, change) => onChange({ ...draft, steps: draft.steps.map((s) => (s.key === key ? { ...s, ...change } : s)) });
  /** @param {StepDraft} step @param {number} key @param {Partial<OptionDraft>} change */
  const setOption = (step, key, change) => setStep(step.key, { options: step.options.map((o) => (o.key === key ? { ...o, ...change } : o)) });
  const addStep = () => {
    const id = freeId(draft.steps);
    /** @type {StepDraft} */
    const step = { key: newKey(), id, kind: 'say', text: '', next: '', action: '', cues: '', options: [], more: false };
    onChange({ ...draft, start: draft.start || id, steps: [...draft.steps, step] });
  };
  /** @param {RequiredDraft[]} required */
  const setRequired = (required) => onChange({ ...draft, required });
  const stepProblems = (/** @type {number} */ key) => (problems || []).filter((p) => p.step === key);

  return html`<div class="flow-form" data-testid="flow-form">
    <label class="field-label" for="kn-edit-description">${t('kn.description')}</label>
    <textarea class="input textarea" id="kn-edit-description" data-testid="kn-edit-description" rows="2" value=${draft.description}
      onInput=${(/** @type {any} */ e) => onChange({ ...draft, description: e.currentTarget.value })}></textarea>
    <label class="field-label" for="kn-edit-start">${t('kn.startStep')}</label>
    <${StepSelect} id="kn-edit-start" testid="kn-edit-start" label=${t('kn.startStep')} value=${draft.start} ids=${ids}
      onChange=${(/** @type {string} */ start) => onChange({ ...draft, start })} />

    <div class="field-label">${t('flowedit.required')}</div>
    <div class="field-hint muted">${t('flowedit.requiredHint')}</div>
    <ol class="flow-edit-required" data-testid="flow-required">
      ${draft.required.map(
        (r, i) => html`<li class="flow-edit-row" key=${r.key}>
          <input type="text" class="input grow mono" data-testid="flow-required-code" aria-label=${t('flowedit.action')} list="flow-actions" value=${r.code}
            onInput=${(/** @type {any} */ e) => setRequired(draft.required.map((x) => (x.key === r.key ? { ...x, code: e.currentTarget.value } : x)))} />
          <${SmallButton} text="↑" label=${t('flowedit.moveUp')} testid="flow-required-up" disabled=${i === 0} onClick=${() => setRequired(moved(draft.required, i, -1))} />
          <${SmallButton} text="↓" label=${t('flowedit.moveDown')} testid="flow-required-down" disabled=${i === draft.required.length - 1}
            onClick=${() => setRequired(moved(draft.required, i, 1))} />
          <${SmallButton} text="✕" danger label=${t('flowedit.removeRequired')} testid="flow-required-remove" onClick=${() => setRequired(draft.required.filter((x) => x.key !== r.key))} />
        </li>`,
      )}
    </ol>
    <datalist id="flow-actions">${actions.map((code) => html`<option value=${code} />`)}</datalist>
    <div><button type="button" class="btn btn-small" data-testid="flow-required-add" onClick=${() => setRequired([...draft.required, { key: newKey(), code: '' }])}>${t('flowedit.addRequired')}</button></div>

    <div class="field-label">${t('kn.steps')}</div>
    <ol class="flow-edit-steps" data-testid="flow-edit-steps">
      ${draft.steps.map((s, i) => {
        const mine = stepProblems(s.key);
        const fid = `flow-step-${s.key}`;
        return html`<li class=${`flow-edit-step step-${s.kind}${mine.length ? ' invalid' : ''}`} key=${s.key} data-testid="flow-edit-step" data-step-id=${s.id}
            data-invalid=${mine.length ? 'true' : undefined}>
          <div class="flow-edit-row flow-edit-head">
            <span class="muted small">${t('flowedit.stepN', { n: i + 1 })}</span>
            <label class="visually-hidden" for=${`${fid}-id`}>${t('flowedit.stepId')}</label>
            <input type="text" class="input mono flow-edit-id" id=${`${fid}-id`} data-testid="flow-step-id" value=${s.id} title=${t('flowedit.stepId')}
              onInput=${(/** @type {any} */ e) => setStep(s.key, { id: e.currentTarget.value })} />
            <select class="input flow-edit-kind" data-testid="flow-step-kind" aria-label=${t('flowedit.kind')} value=${s.kind}
              onChange=${(/** @type {any} */ e) => {
                const kind = e.currentTarget.value;
                // an ask step needs an answer: start it with an empty one
                const options = kind === 'ask' && !s.options.length ? [{ key: newKey(), label: '', next: '', cues: '' }] : s.options;
                setStep(s.key, { kind, options });
              }}>
              ${STEP_KINDS.map((k) => html`<option value=${k}>${tEnum('stepkind', k)}</option>`)}
            </select>
            <span class="push-right flow-edit-row">
              <${SmallButton} text="↑" label=${t('flowedit.moveUp')} testid="flow-step-up" disabled=${i === 0}
                onClick=${() => onChange({ ...draft, steps: moved(draft.steps, i, -1) })} />
              <${SmallButton} text="↓" label=${t('flowedit.moveDown')} testid="flow-step-down" disabled=${i === draft.steps.length - 1}
                onClick=${() => onChange({ ...draft, steps: moved(draft.steps, i, 1) })} />
              <${SmallButton} text="✕" danger label=${t('flowedit.removeStep')} testid="flow-step-remove"
                onClick=${() => onChange({ ...draft, steps: draft.steps.filter((x) => x.key !== s.key) })} />
            </span>
          </div>
          <label class="visually-hidden" for=${`${fid}-text`}>${t('flowedit.text')}</label>
          <textarea class="input textarea" id=${`${fid}-text`} data-testid="flow-step-text" rows="2" placeholder=${t('flowedit.text')} value=${s.text}
            onInput=${(/** @type {any} */ e) => setStep(s.key, { text: e.currentTarget.value })}></textarea>
          ${s.kind === 'ask'
            ? html`<div class="field-label">${t('flowedit.options')}</div>
                <ol class="flow-edit-options">
                  ${s.options.map(
                    (o, j) => html`<li class="flow-edit-option" key=${o.key} data-testid="flow-option">
                      <div class="flow-edit-row">
                        <input type="text" class="input grow" data-testid="flow-option-label" aria-label=${t('flowedit.optionLabel')} placeholder=${t('flowedit.optionLabel')}
                          value=${o.label} onInput=${(/** @type {any} */ e) => setOption(s, o.key, { label: e.currentTarget.value })} />
                        <span class="muted" aria-hidden="true">→</span>
                        <${StepSelect} testid="flow-option-next" label=${t('flowedit.optionNext')} value=${o.next} ids=${ids}
                          onChange=${(/** @type {string} */ next) => setOption(s, o.key, { next })} />
                      </div>
                      <div class="flow-edit-row">
                        <input type="text" class="input grow" data-testid="flow-option-cues" aria-label=${t('flowedit.optionCues')} placeholder=${t('flowedit.optionCues')}
                          value=${o.cues} onInput=${(/** @type {any} */ e) => setOption(s, o.key, { cues: e.currentTarget.value })} />
                        <${SmallButton} text="↑" label=${t('flowedit.moveUp')} testid="flow-option-up" disabled=${j === 0}
                          onClick=${() => setStep(s.key, { options: moved(s.options, j, -1) })} />
                        <${SmallButton} text="↓" label=${t('flowedit.moveDown')} testid="flow-option-down" disabled=${j === s.options.length - 1}
                          onClick=${() => setStep(s.key, { options: moved(s.options, j, 1) })} />
                        <${SmallButton} text="✕" danger label=${t('flowedit.removeOption')} testid="flow-option-remove"
                          onClick=${() => setStep(s.key, { options: s.options.filter((x) => x.key !== o.key) })} />
                      </div>
                    </li>`,
                  )}
                </ol>
                <div><button type="button" class="btn btn-small" data-testid="flow-option-add"
                  onClick=${() => setStep(s.key, { options: [...s.options, { key: newKey(), label: '', next: '', cues: '' }] })}>${t('flowedit.addOption')}</button></div>`
            : null}
          ${s.kind === 'say' || s.kind === 'action'
            ? html`<div class="flow-edit-row">
                <label class="field-label" for=${`${fid}-next`}>${t('kn.next')}</label>
                <${StepSelect} id=${`${fid}-next`} testid="flow-step-next" label=${t('kn.next')} value=${s.next} ids=${ids} none
                  onChange=${(/** @type {string} */ next) => setStep(s.key, { next })} />
              </div>`
            : null}
          <details class="flow-edit-more" open=${s.more}>
            <summary>${t('flowedit.more')}</summary>
            <label class="field-label" for=${`${fid}-action`}>${t('flowedit.action')}</label>
            <input type="text" class="input mono" id=${`${fid}-action`} data-testid="flow-step-action" value=${s.action} list="flow-actions"
              onInput=${(/** @type {any} */ e) => setStep(s.key, { action: e.currentTarget.value })} />
            <div class="field-hint muted">${t('flowedit.actionHint')} <code>verify-identity</code></div>
            <label class="field-label" for=${`${fid}-cues`}>${t('flowedit.cues')}</label>
            <input type="text" class="input" id=${`${fid}-cues`} data-testid="flow-step-cues" value=${s.cues}
              onInput=${(/** @type {any} */ e) => setStep(s.key, { cues: e.currentTarget.value })} />
            <div class="field-hint muted">${t('flowedit.cuesHint')}</div>
          </details>
          ${mine.length ? html`<ul class="flow-edit-problems" data-testid="flow-step-problems">${mine.map((p) => html`<li>${p.message}</li>`)}</ul>` : null}
        </li>`;
      })}
    </ol>
    <div><button type="button" class="btn btn-small" data-testid="flow-step-add" onClick=${addStep}>${t('flowedit.addStep')}</button></div>
    <details class="flow-edit-json" data-testid="flow-json">
      <summary>${t('flowedit.json')}</summary>
      <pre class="markdown mono" data-content>${JSON.stringify(flowBody(draft), null, 2)}</pre>
    </details>
  </div>`;
}
