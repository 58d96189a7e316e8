// One knowledge item: its content, its version history and, for admins, the edit form.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage, qs, unhandled } from '../lib/api.js';
import { t, tEnum, formatTime } from '../lib/i18n.js';
import { cssString, dash } from '../lib/format.js';
import { isAdmin, loadTaxNode } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, Empty, ErrorBox, Loading, MetaList, Table, Trans } from '../components/common.js';
import { actorLabel } from '../components/attributes.js';
import { KINDS } from '../components/knowledge-card.js';
import { CategoryPath, CategorySearch } from '../components/category-picker.js';
import { FlowForm, flowBody, flowDraft, flowProblems, splitWords } from '../components/flow-form.js';

/**
 * @typedef {import('../components/flow-form.js').FlowStep} FlowStep
 * @typedef {import('../lib/session.js').Named} Named
 * @typedef {{ kind: string, questions?: string[], answer?: string, markdown?: string, description?: string,
 *   start?: string, steps?: FlowStep[], required?: string[] }} KnowledgeBody
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
  const [saved, setSaved] = useState(/** @type {{ item: KnowledgeItem, unchanged: boolean, restored?: number } | null} */ (null));
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
            ${saved.unchanged
              ? t('kn.editUnchanged', { version: saved.item.version })
              : saved.restored !== undefined
                ? t('kn.restored', { from: saved.restored, version: saved.item.version })
                : t('kn.editSaved', { version: saved.item.version })}
          </div>`
        : null}
      <${KnowledgeView} item=${item} onEdit=${canEdit ? () => setEditing(true) : null} />
      <${KnowledgeHistory} key=${item.version} id=${item.id} current=${item}
        onRestored=${canEdit
          ? (/** @type {KnowledgeItem} */ next, /** @type {number} */ from) => {
              setSaved({ item: next, unchanged: next.version === item.version, restored: from });
              window.scrollTo(0, 0); // the new version's notice is at the top
            }
          : null} />`;
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

/**
 * What restoring `older` would change in `current`, field by field, as [what, now, then].
 * @param {KnowledgeItem} current @param {KnowledgeItem} older @returns {[string, string, string][]}
 */
function restoreChanges(current, older) {
  /** @type {[string, string, string][]} */
  const changes = [];
  /** @param {string} what @param {unknown} now @param {unknown} then */
  const compare = (what, now, then) => {
    const a = now === undefined || now === null ? '' : String(now);
    const b = then === undefined || then === null ? '' : String(then);
    if (a !== b) changes.push([what, a, b]);
  };
  compare(t('kn.itemTitle'), current.title, older.title);
  compare(t('kn.category'), current.category, older.category);
  compare(t('kn.tags'), (current.tags || []).join('、'), (older.tags || []).join('、'));
  const now = current.body || { kind: '' };
  const then = older.body || { kind: '' };
  if (now.kind === 'flow') compare(t('kn.stepCount'), (now.steps || []).length, (then.steps || []).length);
  if (now.kind === 'faq') compare(t('kn.questionCount'), (now.questions || []).length, (then.questions || []).length);
  const rest = (/** @type {KnowledgeBody} */ b) => JSON.stringify({ ...b, steps: undefined, questions: undefined });
  if (JSON.stringify(now) !== JSON.stringify(then) && (changes.length === 0 || rest(now) !== rest(then))) {
    changes.push([t('kn.contentChanged'), '', '']);
  }
  return changes;
}

/**
 * Every version, newest first; admins restore an older one, saved as a new version (nothing is
 * overwritten, and the audit log records it as an edit).
 * @param {{ id: string, current: KnowledgeItem, onRestored: ((item: KnowledgeItem, from: number) => void) | null }} props
 */
function KnowledgeHistory({ id, current, onRestored }) {
  const [{ data, err, loading }, reloadHistory] = useApi(`/api/v1/knowledge/${enc(id)}/history`);
  /** the version the admin is about to restore */
  const [chosen, setChosen] = useState(/** @type {KnowledgeItem | null} */ (null));
  const [restoring, setRestoring] = useState(false);
  const [failure, setFailure] = useState(/** @type {unknown} */ (null));
  const restore = async (/** @type {KnowledgeItem} */ older) => {
    setRestoring(true);
    setFailure(null);
    try {
      const body = { title: older.title || '', category: older.category || '', tags: older.tags || [], body: older.body };
      const next = await api(`/api/v1/knowledge/${enc(id)}`, { method: 'PUT', body });
      if (onRestored) onRestored(next, older.version);
    } catch (e) {
      setRestoring(false);
      if (unhandled(e)) setFailure(e);
    }
  };

  let body;
  if (err) body = html`<div class="card-pad"><${ErrorBox} err=${err} onRetry=${reloadHistory} /></div>`;
  else if (loading) body = html`<${Loading} />`;
  else {
    const items = (data && Array.isArray(data.items) && data.items) || [];
    const changes = chosen ? restoreChanges(current, chosen) : [];
    body = items.length
      ? html`<${Table} head=${[t('kn.version'), t('kn.updated'), t('kn.updatedBy'), t('kn.itemTitle'), ...(onRestored ? [''] : [])]}>
          ${items.map(
            (/** @type {KnowledgeItem} */ v) => html`<tr data-testid="kn-history-row" data-version=${v.version}>
              <td class="num">v${v.version ?? ''}</td>
              <td class="nowrap">${formatTime(v.updated_at)}</td>
              <td>${v.updated_by ? actorLabel(v.updated_by) : dash(v.updated_by)}</td>
              <td data-content>${v.title || ''}</td>
              ${onRestored
                ? html`<td>${v.version < current.version
                    ? html`<button type="button" class="btn btn-small" data-testid="kn-restore" data-version=${v.version}
                        onClick=${() => { setChosen(v); setFailure(null); }}>${t('kn.restore')}</button>`
                    : null}</td>`
                : null}
            </tr>`,
          )}
        <//>
        ${chosen
          ? html`<div class="kn-restore card-pad" data-testid="kn-restore-confirm" data-version=${chosen.version} role="alertdialog" aria-label=${t('kn.restore')}>
              <strong>${t('kn.restoreConfirm', { from: chosen.version, version: current.version + 1 })}</strong>
              ${changes.length
                ? html`<ul class="kn-diff" data-testid="kn-restore-changes">
                    ${changes.map(([what, now, then]) => html`<li><span class="muted">${what}</span>${now || then
                      ? html` <span data-content>${now || '—'}</span><span class="arrow" aria-hidden="true"> → </span><span data-content>${then || '—'}</span>`
                      : null}</li>`)}
                  </ul>`
                : html`<div class="muted">${t('kn.restoreSame')}</div>`}
              ${failure ? html`<${ErrorBox} err=${failure} />` : null}
              <div class="kn-edit-actions">
                <button type="button" class="btn btn-primary" data-testid="kn-restore-ok" disabled=${restoring} onClick=${() => restore(chosen)}>
                  ${restoring ? t('kn.saving') : t('kn.restore')}</button>
                <button type="button" class="btn" data-testid="kn-restore-cancel" onClick=${() => setChosen(null)}>${t('kn.cancel')}</button>
              </div>
            </div>`
          : null}`
      : html`<${Empty} />`;
  }
  return html`<section class="card card-flush" data-testid="kn-history"><h2 class="card-pad">${t('kn.history')}</h2>${body}</section>`;
}

/**
 * The item's category: its path in the taxonomy with its code, a search to change it (only a node
 * of the taxonomy can be picked) and a button to clear it. A stored code the taxonomy no longer
 * has is shown as such.
 * @param {{ value: { code: string, path: Named[] | null } | null, onChange: (value: { code: string, path: Named[] | null } | null) => void }} props
 */
function CategoryField({ value, onChange }) {
  const [lookup, setLookup] = useState(/** @type {{ code: string, path: Named[] | null } | null} */ (null));
  const code = value ? value.code : '';
  const known = value && value.path;
  useEffect(() => {
    if (!code || known) return undefined;
    let live = true;
    loadTaxNode(code)
      .then((res) => live && setLookup({ code, path: (res && res.path) || [] }))
      .catch(() => live && setLookup({ code, path: null }));
    return () => {
      live = false;
    };
  }, [code, known]);
  const path = known || (lookup && lookup.code === code ? lookup.path : undefined);
  return html`<div class="kn-edit-category" data-testid="kn-edit-category" data-code=${code}>
      ${value
        ? html`<${CategoryPath} path=${path || null} code=${code} /><code class="muted small" data-content>${code}</code>
            ${path === null ? html`<span class="badge badge-warning" data-testid="kn-edit-category-unknown">${t('kn.categoryUnknown')}</span>` : null}
            <button type="button" class="btn btn-small" data-testid="kn-edit-category-clear" onClick=${() => onChange(null)}>${t('kn.categoryClear')}</button>`
        : html`<span class="muted">${t('kn.noCategory')}</span>`}
    </div>
    <${CategorySearch} id="kn-edit-category-search" testid="kn-edit-category-search" placeholder=${t('kn.categorySearch')}
      onPick=${(/** @type {string} */ picked, /** @type {{ path: Named[] }} */ found) => onChange({ code: picked, path: found.path })} />`;
}

/** @param {{ id: string, label: string }} props */
function Label({ id, label }) {
  return html`<label class="field-label" for=${id}>${label}</label>`;
}

/**
 * The edit form of one item: the fields PUT /api/v1/knowledge/{id} takes. A failed save keeps what
 * was typed and shows why. The category is picked from the taxonomy; a flow is checked here as the
 * server checks it, so its problems read in the UI's language.
 * @param {{ item: KnowledgeItem, onSaved: (item: KnowledgeItem) => void, onCancel: () => void }} props
 */
function EditForm({ item, onSaved, onCancel }) {
  const body = item.body || { kind: '' };
  const kind = body.kind || '';
  const [fields, setFields] = useState({
    title: item.title || '',
    tags: (item.tags || []).join(', '),
    answer: body.answer || '',
    markdown: body.markdown || '',
  });
  const [category, setCategory] = useState(/** @type {{ code: string, path: Named[] | null } | null} */ (item.category ? { code: item.category, path: null } : null));
  const [flow, setFlow] = useState(() => flowDraft(kind === 'flow' ? body : { kind }));
  /** the flow's problems, shown once a save was tried */
  const [flowChecked, setFlowChecked] = useState(false);
  const problems = kind === 'flow' && flowChecked ? flowProblems(flow) : null;
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
    setFlowChecked(true);
    const found = flowProblems(flow);
    if (found.length) throw new Error(found.length === 1 ? found[0].message : t('flowedit.problems', { count: found.length, first: found[0].message }));
    return flowBody(flow);
  };

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    setFailure(null);
    let payload;
    try {
      if (!fields.title.trim()) throw new Error(t('kn.needTitle'));
      payload = { title: fields.title.trim(), category: category ? category.code : '', tags: splitWords(fields.tags), body: collect() };
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
    kindFields = html`<${FlowForm} draft=${flow} onChange=${setFlow} problems=${problems} />`;
  }

  return html`<form class="card kn-edit" data-testid="kn-edit-form" data-kind=${kind} novalidate onSubmit=${submit}>
    <div class="card-title-row">
      <h1><${Trans} k="kn.editTitle" params=${{ title: html`<${Data}>${item.title || item.key || item.id}<//>` }} /></h1>
      <${Badge} text=${tEnum('kind', kind)} kind=${`kind-${kind}`} />
    </div>
    <${Label} id="kn-edit-title" label=${t('kn.itemTitle')} />
    <input type="text" class="input" id="kn-edit-title" data-testid="kn-edit-title" required value=${fields.title} onInput=${edit('title')} />
    <${Label} id="kn-edit-category-search" label=${t('kn.category')} />
    <${CategoryField} value=${category} onChange=${setCategory} />
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
