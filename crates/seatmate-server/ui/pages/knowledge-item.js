// One knowledge item: its content, its version history and, for admins, the edit form.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage, qs, unhandled } from '../lib/api.js';
import { t, tEnum, formatTime } from '../lib/i18n.js';
import { cssString, dash } from '../lib/format.js';
import { isAdmin } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, Empty, ErrorBox, Loading, MetaList, Table } from '../components/common.js';
import { actorLabel } from '../components/attributes.js';
import { KINDS } from '../components/knowledge-card.js';

/**
 * @typedef {{ id: string, kind: string, text?: string, next?: string | null, options?: { label: string, next: string }[] }} FlowStep
 * @typedef {{ kind: string, questions?: string[], answer?: string, markdown?: string, description?: string,
 *   start?: string, steps?: FlowStep[] }} KnowledgeBody
 * @typedef {{ id: string, key?: string, title?: string, category?: string | null, language?: string, tags?: string[],
 *   version: number, updated_at?: number, updated_by?: string | null, body?: KnowledgeBody }} KnowledgeItem
 */

/** @param {import('../lib/router.js').PageProps} props */
export default function KnowledgeItemRoute({ params }) {
  return html`<${KnowledgeItemPage} id=${params[0]} />`;
}

/** @param {{ id: string }} props */
function KnowledgeItemPage({ id }) {
  const [{ data, err, loading }, reload] = useApi(`/api/v1/knowledge/${enc(id)}`);
  /** the item as last saved here, and what the save said */
  const [saved, setSaved] = useState(/** @type {{ item: KnowledgeItem, unchanged: boolean } | null} */ (null));
  const [editing, setEditing] = useState(false);
  /** @type {KnowledgeItem | null} */
  const item = saved ? saved.item : data;
  const kind = (item && item.body && item.body.kind) || '';
  const back = KINDS.includes(kind) ? `#/knowledge${qs({ kind })}` : '#/knowledge';

  let body;
  if (err) body = /** @type {any} */ (err).status === 404 ? html`<div class="card empty">${t('kn.notFound')}</div>` : html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (loading || !item) body = html`<${Loading} />`;
  else if (editing) {
    body = html`<${EditForm} item=${item} onCancel=${() => setEditing(false)}
      onSaved=${(/** @type {KnowledgeItem} */ next) => {
        setSaved({ item: next, unchanged: next.version === item.version });
        setEditing(false);
      }} />`;
  } else {
    // Admins edit in place; the server refuses everyone else, so the button is only a convenience.
    const canEdit = isAdmin() && KINDS.includes(kind);
    body = html`
      ${saved
        ? html`<div class="alert alert-success" data-testid="kn-edit-saved" role="status" data-version=${saved.item.version}>
            ${saved.unchanged ? t('kn.editUnchanged', { version: saved.item.version }) : t('kn.editSaved', { version: saved.item.version })}
          </div>`
        : null}
      <${KnowledgeView} item=${item} onEdit=${canEdit ? () => setEditing(true) : null} />
      <${KnowledgeHistory} key=${item.version} id=${item.id} />`;
  }
  return html`<div class="crumbs"><a href=${back}>← ${t('kn.backToList')}</a></div><div>${body}</div>`;
}

/** @param {{ item: KnowledgeItem, onEdit: (() => void) | null }} props */
function KnowledgeView({ item, onEdit }) {
  const body = item.body || { kind: '' };
  const kind = body.kind || '';
  const tags = item.tags || [];
  return html`<section class="card" data-testid="knowledge-view" data-kind=${kind} data-version=${item.version}>
      <div class="card-title-row">
        <h1 data-content>${item.title || item.key || item.id}</h1>
        <${Badge} text=${tEnum('kind', kind)} kind=${`kind-${kind}`} />
        ${onEdit ? html`<button type="button" class="btn btn-small push-right" data-testid="kn-edit" onClick=${onEdit}>${t('kn.edit')}</button>` : null}
      </div>
      <${MetaList} pairs=${[
        [t('kn.key'), html`<${Data}>${item.key}<//>`],
        [t('kn.category'), html`<${Data}>${item.category}<//>`],
        [t('kn.language'), item.language ? tEnum('lang', item.language) : ''],
        [t('kn.tags'), tags.length ? html`<span data-content>${tags.map((tag) => html`<${Badge} text=${tag} kind="tag" />`)}</span>` : ''],
        [t('kn.version'), item.version !== undefined ? html`<span data-testid="kn-version">v${item.version}</span>` : ''],
        [t('kn.updated'), formatTime(item.updated_at)],
        [t('kn.updatedBy'), actorLabel(item.updated_by)],
      ]} />
    </section>
    <section class="card"><${KnowledgeContent} body=${body} /></section>`;
}

/** @param {{ body: KnowledgeBody }} props */
export function KnowledgeContent({ body }) {
  const kind = body.kind || '';
  if (kind === 'faq') {
    const questions = Array.isArray(body.questions) ? body.questions : [];
    return html`<div class="faq">
      <h3>${t('kn.questions')}</h3>
      <ol class="faq-questions">
        ${questions.map((q, i) => html`<li class=${i === 0 ? 'main-q' : ''}><span data-content>${q}</span>${i === 0 ? html` <${Badge} text=${t('kn.mainQuestion')} kind="start" />` : null}</li>`)}
      </ol>
      <h3>${t('kn.answer')}</h3>
      <div class="answer prewrap" data-content>${body.answer || ''}</div>
    </div>`;
  }
  if (kind === 'article') return html`<div><h3>${t('kn.content')}</h3><${Markdown} text=${body.markdown} /></div>`;
  if (kind === 'flow') return html`<${Flow} body=${body} />`;
  return html`<pre class="markdown" data-content>${JSON.stringify(body, null, 2)}</pre>`;
}

/** Not a Markdown renderer: the text as written, with heading lines bolded. @param {{ text?: string }} props */
function Markdown({ text }) {
  const lines = String(text || '').split('\n');
  return html`<div class="markdown" data-content>
    ${lines.map((line, i) => {
      const m = line.match(/^(#{1,6})\s+(.*)$/);
      const end = i < lines.length - 1 ? '\n' : '';
      return m ? html`<strong class=${`md-h md-h${m[1].length}`}>${m[2]}</strong>${end}` : `${line}${end}`;
    })}
  </div>`;
}

/** @param {{ body: KnowledgeBody }} props */
function Flow({ body }) {
  const steps = Array.isArray(body.steps) ? body.steps : [];
  /** @param {string} id */
  const jump = (id) => {
    const target = /** @type {HTMLElement | null} */ (document.querySelector(`[data-step-id="${cssString(id)}"]`));
    if (!target) return;
    target.scrollIntoView({ behavior: 'smooth', block: 'center' });
    target.classList.remove('flash');
    void target.offsetWidth; // restart the animation
    target.classList.add('flash');
  };
  /** @param {string} id */
  const stepLink = (id) => html`<button type="button" class="link step-link" data-content onClick=${() => jump(id)}>${id}</button>`;
  return html`<div class="flow">
    ${body.description ? html`<div><h3>${t('kn.description')}</h3><p class="prewrap" data-content>${body.description}</p></div>` : null}
    <h3>${t('kn.steps')}</h3>
    <ol class="flow-steps" data-testid="flow-steps">
      ${steps.map(
        (s) => html`<li class=${`flow-step step-${s.kind}`} data-step-id=${s.id}>
          <div class="step-head">
            <code class="step-id" data-content>${s.id}</code>
            <${Badge} text=${tEnum('stepkind', s.kind)} kind=${`step-${s.kind}`} />
            ${s.id === body.start ? html`<${Badge} text=${t('kn.start')} kind="start" />` : null}
          </div>
          <div class="step-text prewrap" data-content>${s.text || ''}</div>
          ${Array.isArray(s.options) && s.options.length
            ? html`<ul class="step-options">
                ${s.options.map((o) => html`<li><span class="opt-label" data-content>${o.label}</span><span class="arrow" aria-hidden="true"> → </span>${stepLink(o.next)}</li>`)}
              </ul>`
            : null}
          ${s.next ? html`<div class="step-next muted">${t('kn.next')} → ${stepLink(s.next)}</div>` : null}
        </li>`,
      )}
    </ol>
  </div>`;
}

/** @param {{ id: string }} props */
function KnowledgeHistory({ id }) {
  const [{ data, err, loading }, reloadHistory] = useApi(`/api/v1/knowledge/${enc(id)}/history`);
  let body;
  if (err) body = html`<div class="card-pad"><${ErrorBox} err=${err} onRetry=${reloadHistory} /></div>`;
  else if (loading) body = html`<${Loading} />`;
  else {
    const items = (data && Array.isArray(data.items) && data.items) || [];
    body = items.length
      ? html`<${Table} head=${[t('kn.version'), t('kn.updated'), t('kn.updatedBy'), t('kn.itemTitle')]}>
          ${items.map(
            (/** @type {any} */ v) => html`<tr data-testid="kn-history-row" data-version=${v.version}>
              <td class="num">v${v.version ?? ''}</td>
              <td class="nowrap">${formatTime(v.updated_at)}</td>
              <td>${v.updated_by ? actorLabel(v.updated_by) : dash(v.updated_by)}</td>
              <td data-content>${v.title || ''}</td>
            </tr>`,
          )}
        <//>`
      : html`<${Empty} />`;
  }
  return html`<section class="card card-flush" data-testid="kn-history"><h2 class="card-pad">${t('kn.history')}</h2>${body}</section>`;
}

/** @param {string} text */
function splitTags(text) {
  return String(text)
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** @param {{ id: string, label: string }} props */
function Label({ id, label }) {
  return html`<label class="field-label" for=${id}>${label}</label>`;
}

/**
 * The edit form of one item: the fields PUT /api/v1/knowledge/{id} takes. A failed save keeps what
 * was typed and shows why; the server checks a flow's structure, the form only its JSON syntax.
 * @param {{ item: KnowledgeItem, onSaved: (item: KnowledgeItem) => void, onCancel: () => void }} props
 */
function EditForm({ item, onSaved, onCancel }) {
  const body = item.body || { kind: '' };
  const kind = body.kind || '';
  const [fields, setFields] = useState({
    title: item.title || '',
    category: item.category || '',
    tags: (item.tags || []).join(', '),
    answer: body.answer || '',
    markdown: body.markdown || '',
    description: body.description || '',
    start: body.start || '',
    steps: JSON.stringify(Array.isArray(body.steps) ? body.steps : [], null, 2),
  });
  const nextKey = useRef(0);
  /** @param {string} text */
  const question = (text) => ({ key: nextKey.current++, text });
  const [questions, setQuestions] = useState(() => (Array.isArray(body.questions) && body.questions.length ? body.questions : ['']).map(question));
  const [focusKey, setFocusKey] = useState(/** @type {number | null} */ (null));
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState(/** @type {{ message: string } | { err: unknown } | null} */ (null));
  const list = useRef(/** @type {HTMLOListElement | null} */ (null));
  useEffect(() => {
    if (focusKey === null || !list.current) return;
    const input = /** @type {HTMLInputElement | null} */ (list.current.querySelector(`[data-key="${focusKey}"] input`));
    if (input) input.focus();
  }, [focusKey]);

  /** @param {keyof typeof fields} name @returns {(e: any) => void} */
  const edit = (name) => (e) => setFields({ ...fields, [name]: e.currentTarget.value });
  /** @param {keyof typeof fields} name @param {string} id @param {number} rows @param {string} [extra] */
  const area = (name, id, rows, extra) =>
    html`<textarea class=${`input textarea${extra ? ` ${extra}` : ''}`} id=${id} data-testid=${id} rows=${rows} spellcheck=${extra ? 'false' : undefined} value=${fields[name]} onInput=${edit(name)}></textarea>`;

  /** The edited body; throws an Error whose message is shown. @returns {KnowledgeBody} */
  const collect = () => {
    if (kind === 'faq') {
      const phrasings = questions.map((q) => q.text.trim()).filter(Boolean);
      if (!phrasings.length) throw new Error(t('kn.needQuestion'));
      return { kind, questions: phrasings, answer: fields.answer };
    }
    if (kind === 'article') return { kind, markdown: fields.markdown };
    let parsed;
    try {
      parsed = JSON.parse(fields.steps);
    } catch (err) {
      throw new Error(t('kn.stepsBadJson', { error: errorMessage(err) }));
    }
    if (!Array.isArray(parsed)) throw new Error(t('kn.stepsNotArray'));
    return { kind, description: fields.description, start: fields.start.trim(), steps: parsed };
  };

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    setFailure(null);
    let payload;
    try {
      if (!fields.title.trim()) throw new Error(t('kn.needTitle'));
      payload = { title: fields.title.trim(), category: fields.category.trim(), tags: splitTags(fields.tags), body: collect() };
    } catch (err) {
      setFailure({ message: errorMessage(err) });
      return;
    }
    setSaving(true);
    try {
      const next = await api(`/api/v1/knowledge/${enc(item.id)}`, { method: 'PUT', body: payload });
      onSaved(next);
    } catch (err) {
      setSaving(false);
      if (unhandled(err)) setFailure({ err });
    }
  };

  let kindFields;
  if (kind === 'faq') {
    kindFields = html`<div class="field-label">${t('kn.questions')}</div>
      <ol class="kn-edit-questions" data-testid="kn-edit-questions" ref=${list}>
        ${questions.map(
          (q) => html`<li class="kn-edit-question" key=${q.key} data-key=${q.key}>
            <input type="text" class="input grow" data-testid="kn-edit-question" aria-label=${t('kn.question')} value=${q.text}
              onInput=${(/** @type {any} */ e) => setQuestions(questions.map((x) => (x.key === q.key ? { ...x, text: e.currentTarget.value } : x)))} />
            <button type="button" class="btn btn-small btn-danger" data-testid="kn-edit-question-remove" disabled=${questions.length <= 1}
              onClick=${() => setQuestions(questions.filter((x) => x.key !== q.key))}>${t('kn.removeQuestion')}</button>
          </li>`,
        )}
      </ol>
      <div>
        <button type="button" class="btn btn-small" data-testid="kn-edit-question-add"
          onClick=${() => {
            const added = question('');
            setQuestions([...questions, added]);
            setFocusKey(added.key);
          }}>${t('kn.addQuestion')}</button>
      </div>
      <${Label} id="kn-edit-answer" label=${t('kn.answer')} />${area('answer', 'kn-edit-answer', 6)}`;
  } else if (kind === 'article') {
    kindFields = html`<${Label} id="kn-edit-markdown" label=${t('kn.markdown')} />${area('markdown', 'kn-edit-markdown', 18, 'mono')}`;
  } else {
    kindFields = html`<${Label} id="kn-edit-description" label=${t('kn.description')} />${area('description', 'kn-edit-description', 3)}
      <${Label} id="kn-edit-start" label=${t('kn.startStep')} />
      <input type="text" class="input" id="kn-edit-start" data-testid="kn-edit-start" value=${fields.start} onInput=${edit('start')} />
      <${Label} id="kn-edit-steps" label=${t('kn.stepsJson')} />${area('steps', 'kn-edit-steps', 18, 'mono')}`;
  }

  return html`<form class="card kn-edit" data-testid="kn-edit-form" data-kind=${kind} novalidate onSubmit=${submit}>
    <div class="card-title-row">
      <h1>${t('kn.editTitle', { title: item.title || item.key || item.id })}</h1>
      <${Badge} text=${tEnum('kind', kind)} kind=${`kind-${kind}`} />
    </div>
    <${Label} id="kn-edit-title" label=${t('kn.itemTitle')} />
    <input type="text" class="input" id="kn-edit-title" data-testid="kn-edit-title" required value=${fields.title} onInput=${edit('title')} />
    <${Label} id="kn-edit-category" label=${t('kn.category')} />
    <input type="text" class="input" id="kn-edit-category" data-testid="kn-edit-category" value=${fields.category} onInput=${edit('category')} />
    <${Label} id="kn-edit-tags" label=${t('kn.tags')} />
    <input type="text" class="input" id="kn-edit-tags" data-testid="kn-edit-tags" placeholder=${t('kn.tagsHint')} value=${fields.tags} onInput=${edit('tags')} />
    ${kindFields}
    <div aria-live="polite">
      ${failure
        ? html`<div data-testid="kn-edit-error">
            ${'message' in failure ? html`<div class="alert alert-error" role="alert">${failure.message}</div>` : html`<${ErrorBox} err=${failure.err} />`}
          </div>`
        : null}
    </div>
    <div class="kn-edit-actions">
      <button type="submit" class="btn btn-primary" data-testid="kn-edit-save" disabled=${saving}>${saving ? t('kn.saving') : t('kn.save')}</button>
      <button type="button" class="btn" data-testid="kn-edit-cancel" onClick=${onCancel}>${t('kn.cancel')}</button>
    </div>
  </form>`;
}
