// The after-call card: the pre-filled ticket of a conversation, the conversation's summary (each
// sentence a link to its turn in the transcript), its category suggestions with their confidence,
// the dispatch suggestion, the confirm-or-correct form and the ticket's history.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, unhandled } from '../lib/api.js';
import { t, tEnum, localName, formatTime } from '../lib/i18n.js';
import { pct } from '../lib/format.js';
import { loadTaxNode, loadTeams, pathLabel, teamLabel } from '../lib/session.js';
import { Badge, Data, ErrorBox, Loading, Trans } from './common.js';
import { actorLabel } from './attributes.js';
import { showTurn } from './transcript.js';
import { CategoryPath, CategorySearch } from './category-picker.js';
import { useDraft } from '../lib/draft.js';

/**
 * @typedef {import('../lib/session.js').Team} Team
 * @typedef {import('../lib/session.js').Named} Named
 * @typedef {{ id: string, conversation_id?: string, title?: string, status: string, category?: string | null,
 *   team?: string | null, priority?: string | null, summary?: string | null }} Ticket
 * @typedef {{ team?: string | null, source?: string, reason?: string | null, reason_rule?: string | null, reason_category?: string | null }} Dispatch
 * @typedef {{ category: string, probability: number, path?: Named[] }} Candidate
 * @typedef {{ candidates?: Candidate[], siblings?: Candidate[], auto_accept?: boolean, threshold?: number, none_of_these?: boolean,
 *   back_off?: { category: string, probability: number, path?: Named[] } | null, explanation?: [string, number][],
 *   priority?: string | null, dispatch?: Dispatch | null, model_version?: number | null,
 *   auto_accept_off?: { reason: string, have?: number, need?: number } | null }} Suggestion
 * @typedef {{ action: string, field?: string | null, old_value?: string | null, new_value?: string | null,
 *   actor?: string | null, at?: number }} TicketEvent
 * @typedef {{ text: string, turn: number }} SummaryLine
 * @typedef {{ problem?: SummaryLine[], actions?: SummaryLine[], outcome?: SummaryLine[] }} Summary
 * @typedef {{ ticket: Ticket, suggestion: Suggestion, summary: Summary | null, teams: Map<string, Team>,
 *   events: TicketEvent[] | null, confirmed: 'confirmed' | 'corrected' | null }} Loaded
 */

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const EVENT_FIELDS = ['category', 'team', 'priority', 'summary', 'status'];
const SUMMARY_PARTS = /** @type {const} */ (['problem', 'actions', 'outcome']);

/**
 * Explanation features are prefixed by kind (w: word, b: word pair, h: character pair, c: character);
 * character n-grams of Latin words carry < and > at word boundaries. Both are dropped for display.
 * @param {unknown} feature
 */
function featureLabel(feature) {
  return String(feature || '')
    .replace(/^[wbhc]:/, '')
    .replace(/^<|>$/g, '')
    .trim();
}

/** A lone Latin letter or digit says nothing to a reader; a lone Chinese character may. @param {string} label */
function featureReadable(label) {
  return label.length > 1 || !/^[\x00-\x7f]$/.test(label);
}

/**
 * @param {{ conversationId: string, tickets: { id: string }[] | null, onTicketsChanged: () => void }} props
 *   `tickets`: the conversation's tickets, null while they load.
 */
export function AfterCall({ conversationId, tickets, onTicketsChanged }) {
  const [view, setView] = useState(/** @type {{ state: 'intro' | 'loading' | 'opening' } | { state: 'failed', err: unknown } | { state: 'form', loaded: Loaded, generation: number }} */ ({ state: 'loading' }));
  const [openError, setOpenError] = useState(/** @type {unknown} */ (null));
  const generation = useRef(0);
  const existing = tickets && tickets.length ? tickets[0].id : null;

  /** @param {string} ticketId @param {Loaded['confirmed']} confirmed */
  const openTicket = async (ticketId, confirmed) => {
    setView({ state: 'loading' });
    try {
      // the conversation's ticket exists, so the pre-fill only reads it back, with the suggestion
      // and the summary
      const [detail, prefilled, teams] = await Promise.all([
        api(`/api/v1/tickets/${enc(ticketId)}`),
        api(`/api/v1/conversations/${enc(conversationId)}/ticket`, { method: 'POST' }),
        loadTeams(),
      ]);
      generation.current += 1;
      const loaded = { ticket: detail.ticket, suggestion: (prefilled && prefilled.suggestion) || {}, summary: (prefilled && prefilled.summary) || null, teams, events: detail.events || [], confirmed };
      setView({ state: 'form', loaded, generation: generation.current });
    } catch (err) {
      if (unhandled(err)) setView({ state: 'failed', err });
    }
  };

  useEffect(() => {
    if (tickets === null) return;
    if (existing) openTicket(existing, null);
    else setView({ state: 'intro' });
  }, [tickets === null, existing]);

  const create = async () => {
    setView({ state: 'opening' });
    setOpenError(null);
    try {
      const res = await api(`/api/v1/conversations/${enc(conversationId)}/ticket`, { method: 'POST' });
      const teams = await loadTeams();
      onTicketsChanged();
      generation.current += 1;
      setView({ state: 'form', loaded: { ticket: res.ticket, suggestion: res.suggestion || {}, summary: res.summary || null, teams, events: null, confirmed: null }, generation: generation.current });
    } catch (err) {
      if (!unhandled(err)) return;
      setOpenError(err);
      setView({ state: 'intro' });
    }
  };

  let body;
  if (view.state === 'loading') body = html`<${Loading} lines=${8} />`;
  else if (view.state === 'failed') body = html`<${ErrorBox} err=${view.err} onRetry=${() => (existing ? openTicket(existing, null) : setView({ state: 'intro' }))} />`;
  else if (view.state === 'form') {
    const { loaded } = view;
    body = html`<${TicketForm} key=${view.generation} ...${loaded}
      onConfirmed=${(/** @type {boolean} */ corrected) => {
        onTicketsChanged();
        openTicket(loaded.ticket.id, corrected ? 'corrected' : 'confirmed');
      }} />`;
  } else {
    const opening = view.state === 'opening';
    body = html`<p class="muted">${t('ac.intro')}</p>
      <div class="ac-actions">
        <button type="button" class="btn btn-primary" data-testid="aftercall-open" disabled=${opening} onClick=${create}>${opening ? t('ac.opening') : t('ac.open')}</button>
      </div>
      ${openError ? html`<div><${ErrorBox} err=${openError} /></div>` : null}`;
  }
  return html`<section class="card aftercall" data-testid="aftercall">
    <div class="card-title-row"><h2>${t('ac.title')}</h2>${view.state === 'form' ? html`<kbd class="shortcut-hint" title=${t('shortcut.confirm')}>${t('shortcut.confirmKeys')}</kbd>` : null}</div>
    <div class="ac-body">${body}</div>
  </section>`;
}

/** @param {string | null} category @param {string | null | undefined} priority */
function dispatchKey(category, priority) {
  return `${category || ''}\u0000${priority || ''}`;
}

/**
 * The conversation's problem, actions and outcome, quoted from its turns; a sentence shows its turn.
 * @param {{ summary: Summary | null }} props
 */
function CallSummary({ summary }) {
  if (!summary) return null;
  const parts = SUMMARY_PARTS.map((part) => /** @type {[string, SummaryLine[]]} */ ([part, Array.isArray(summary[part]) ? summary[part] : []])).filter(([, lines]) => lines.length);
  return html`<div class="ac-summary" data-testid="call-summary">
    <h3>${t('summary.title')}</h3>
    ${parts.length
      ? html`<dl class="summary-parts">
            ${parts.map(
              ([part, lines]) => html`<div class="summary-part" data-testid="summary-part" data-part=${part}>
                <dt>${t(`summary.${part}`)}</dt>
                <dd>
                  ${lines.map(
                    (line) => html`<button type="button" class="summary-line" data-testid="summary-line" data-turn=${line.turn} data-content
                        title=${t('summary.showTurn', { n: line.turn + 1 })} onClick=${() => showTurn(line.turn)}>${line.text}</button>`,
                  )}
                </dd>
              </div>`,
            )}
          </dl>
          <div class="muted small">${t('summary.hint')}</div>`
      : html`<div class="muted small" data-testid="summary-empty">${t('summary.empty')}</div>`}
  </div>`;
}

/** @param {Loaded & { onConfirmed: (corrected: boolean) => void }} props */
function TicketForm({ ticket, suggestion: s, summary: callSummary, teams, events, confirmed, onConfirmed }) {
  const candidates = Array.isArray(s.candidates) ? s.candidates : [];
  const radioName = `ac-category-${ticket.id}`;
  const topCategory = candidates.length ? candidates[0].category : null;

  const [selected, setSelected] = useState(ticket.category || null);
  /** a chosen category that is not among the suggestions, with its path once known */
  const [other, setOther] = useState(/** @type {{ category: string, path: Named[] | null } | null} */ (null));
  const dispatchTeams = [...teams.values()].filter((tm) => tm.dispatch);
  const initialTeam = ticket.team || (s.dispatch && s.dispatch.team) || '';
  const teamCodes = dispatchTeams.map((tm) => tm.code);
  if (initialTeam && !teamCodes.includes(initialTeam)) teamCodes.push(initialTeam);
  const [team, setTeam] = useState(initialTeam);
  const [priority, setPriority] = useState(ticket.priority || s.priority || 'normal');
  const [summary, setSummary] = useState(ticket.summary || '');
  const [dispatch, setDispatch] = useState({ decision: s.dispatch || null, category: topCategory, pending: false });
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState(/** @type {unknown} */ (null));
  // what the agent chose and wrote is kept on the server until the ticket is confirmed
  const draft = useDraft({
    key: `ticket:${ticket.id}`,
    conversationId: ticket.conversation_id || null,
    value: { category: selected, team, priority, summary },
    restore: (saved) => {
      if (saved.category === null) setSelected(null);
      else if (typeof saved.category === 'string') {
        setSelected(saved.category);
        if (!candidates.some((c) => c.category === saved.category)) setOther({ category: saved.category, path: null });
      }
      if (typeof saved.team === 'string') {
        teamTouched.current = true;
        setTeam(saved.team);
      }
      if (typeof saved.priority === 'string') setPriority(saved.priority);
      if (typeof saved.summary === 'string') setSummary(saved.summary);
    },
    enabled: ticket.status !== 'confirmed' && ticket.status !== 'closed',
  });

  // the suggestion's dispatch is for its top category at its suggested priority; another category
  // or priority is asked for again, and the team follows unless the agent set it here
  const dispatchCache = useRef(new Map(topCategory ? [[dispatchKey(topCategory, s.priority), s.dispatch || null]] : []));
  const shownKey = useRef(/** @type {string | null} */ (dispatchKey(topCategory, s.priority)));
  const dispatchSeq = useRef(0);
  const teamTouched = useRef(false);
  const firstDispatch = useRef(true);

  useEffect(() => {
    // a stored ticket may already have another category or priority than the suggestion's: show
    // the dispatch for what the form holds, but keep the team the ticket has
    const moveTeam = firstDispatch.current ? !ticket.team : true;
    firstDispatch.current = false;
    const key = dispatchKey(selected, priority);
    if (key === shownKey.current) return;
    shownKey.current = key;
    const mine = ++dispatchSeq.current;
    if (!selected) {
      setDispatch({ decision: null, category: null, pending: false });
      return;
    }
    /** @param {Dispatch | null} decision */
    const show = (decision) => {
      setDispatch({ decision, category: selected, pending: false });
      if (moveTeam && !teamTouched.current && decision && decision.team && teamCodes.includes(decision.team)) setTeam(decision.team);
    };
    if (dispatchCache.current.has(key)) {
      show(dispatchCache.current.get(key) ?? null);
      return;
    }
    setDispatch((d) => ({ ...d, pending: true }));
    api('/api/v1/dispatch', { method: 'POST', body: { category: selected, conversation_id: ticket.conversation_id, priority } })
      .then((res) => {
        const decision = (res && res.decision) || null;
        dispatchCache.current.set(key, decision);
        if (mine === dispatchSeq.current) show(decision);
      })
      .catch(() => {
        if (mine !== dispatchSeq.current) return;
        // ask again on the next change; the shown suggestion stays
        shownKey.current = null;
        setDispatch((d) => ({ ...d, pending: false }));
      });
  }, [selected, priority]);

  /** @param {string} code @param {{ category: string, path: Named[] | null } | null} found */
  const select = (code, found) => {
    setSelected(code);
    if (found) setOther(found);
    else if (!candidates.some((c) => c.category === code)) setOther(null);
  };

  const isCorrection = (selected || '') !== (ticket.category || '') || team !== (ticket.team || '') || priority !== (ticket.priority || '');
  const prioHint = s.priority && s.priority !== (ticket.priority || s.priority || 'normal') ? t('ac.prioritySuggested', { priority: tEnum('priority', s.priority) }) : null;

  /** @param {Event | null} e */
  const submit = async (e) => {
    if (e) e.preventDefault();
    if (submitting) return;
    setFailure(null);
    /** @type {Record<string, string>} */
    const payload = { priority, summary };
    if (selected) payload.category = selected;
    if (team) payload.team = team;
    setSubmitting(true);
    try {
      await api(`/api/v1/tickets/${enc(ticket.id)}/confirm`, { method: 'POST', body: payload });
    } catch (err) {
      setSubmitting(false);
      if (unhandled(err)) setFailure(err);
      return;
    }
    await draft.discard();
    onConfirmed(isCorrection);
  };

  const seen = new Set();
  const features = (Array.isArray(s.explanation) ? s.explanation : [])
    .map(([feature, weight]) => /** @type {[string, number]} */ ([featureLabel(feature), weight]))
    .filter(([label]) => label && featureReadable(label) && !seen.has(label) && seen.add(label))
    .slice(0, 10);
  const bo = s.back_off;
  const closed = ticket.status === 'confirmed' || ticket.status === 'closed';
  const d = dispatch.decision;

  /** Ctrl+Enter (⌘+Enter on a Mac) anywhere in the form confirms the ticket. @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    e.preventDefault();
    submit(null);
  };

  return html`<form class="ac-form" data-testid="ticket-form" data-ticket=${ticket.id} novalidate onSubmit=${submit} onKeyDown=${onKeyDown}>
      <div class="ac-head">
        <span class="ac-ticket-title strong" data-content>${ticket.title || ''}</span>
        <span class="ac-badges">
          <span class=${`badge badge-st-${ticket.status}`} data-testid="ticket-status" data-status=${ticket.status}>${tEnum('status', ticket.status)}</span>
          ${s.auto_accept ? html`<span class="badge badge-auto" data-testid="auto-accepted">${t('ac.autoAccepted')}</span>` : null}
          ${s.model_version !== null && s.model_version !== undefined ? html`<span class="muted small">${t('ac.modelVersion', { v: s.model_version })}</span>` : null}
        </span>
      </div>
      ${draft.restoredAt && !closed ? html`<div class="alert alert-info small" data-testid="draft-restored">${t('ac.draftRestored', { time: formatTime(draft.restoredAt) })}</div>` : null}
      ${s.auto_accept && !closed ? html`<div class="alert alert-info small" data-testid="auto-accept-hint">${t('ac.autoAcceptedHint', { threshold: pct(s.threshold) })}</div>` : null}
      ${!s.auto_accept && !closed && s.candidates && s.candidates.length ? html`<p class="muted small" data-testid="auto-accept-why">${notAutoAccepted(s)}</p>` : null}
      ${s.none_of_these ? html`<div class="alert alert-warning" data-testid="none-of-these" role="status">${t('ac.noneOfThese')}</div>` : null}
      ${bo
        ? html`<div class="alert alert-warning back-off" data-testid="back-off" data-category=${bo.category}>
            <div>${t('ac.backOff', { pct: pct(bo.probability) })}</div>
            <div class="back-off-row">
              <${CategoryPath} path=${bo.path} code=${bo.category} />
              <button type="button" class="btn btn-small" data-testid="back-off-use" onClick=${() => select(bo.category, { category: bo.category, path: bo.path || null })}>${t('ac.useBackOff')}</button>
            </div>
          </div>`
        : null}
      ${!candidates.length ? html`<div class="alert alert-warning" data-testid="no-model">${t('ac.noModel')}</div>` : null}
      <${CallSummary} summary=${callSummary} />
      <div class="ac-grid">
        <div class="ac-left">
          <h3>${t('ac.suggestions')}</h3>
          <div class="suggestions" role="radiogroup" aria-label=${t('ac.suggestions')} data-testid="suggestions">
            ${candidates.map(
              (cand, i) => html`<label class=${`suggestion${cand.category === selected ? ' selected' : ''}`} data-testid="suggestion"
                  data-category=${cand.category} data-probability=${cand.probability} data-rank=${i + 1}>
                <input type="radio" name=${radioName} value=${cand.category} class="sugg-radio" checked=${cand.category === selected}
                  onChange=${(/** @type {any} */ e) => e.currentTarget.checked && select(cand.category, null)} />
                <span class="sugg-main">
                  <span class="sugg-head"><${CategoryPath} path=${cand.path} code=${cand.category} />${cand.category === ticket.category ? html`<${Badge} text=${t('ac.current')} kind="current" />` : null}</span>
                  <code class="muted small" data-content>${cand.category}</code>
                </span>
                <span class="sugg-conf" title=${t('ac.confidence')}>
                  <span class="sugg-bar" role="presentation"><span class="sugg-fill" style=${{ width: `${Math.max(0, Math.min(100, Number(cand.probability) * 100))}%` }}></span></span>
                  <span class="sugg-pct" data-testid="suggestion-pct">${pct(cand.probability)}</span>
                </span>
              </label>`,
            )}
          </div>
          <${Siblings} siblings=${s.siblings} candidates=${candidates} selected=${selected} onPick=${select} />
          <div class="sugg-other-slot">
            ${selected && !candidates.some((c) => c.category === selected)
              ? html`<${OtherCategory} code=${selected} known=${other && other.category === selected ? other.path : null} radioName=${radioName} current=${selected === ticket.category} />`
              : null}
          </div>
          <${CategorySearch} onPick=${select} testid="ticket-category-search" placeholder=${t('ac.searchPlaceholder')} />
          ${features.length
            ? html`<div class="ac-why" data-testid="explanation">
                <h3>${t('ac.why')}</h3>
                <div class="chips">${features.map(([label, weight]) => html`<span class="chip" data-testid="explanation-feature" data-content title=${t('ac.weight', { w: Number(weight).toFixed(3) })}>${label}</span>`)}</div>
              </div>`
            : null}
        </div>
        <div class="ac-right">
          <label class="field-label" for=${`ac-team-${ticket.id}`}>${t('ticket.team')}</label>
          <select class="input" id=${`ac-team-${ticket.id}`} data-testid="ticket-team" value=${team}
            onChange=${(/** @type {any} */ e) => {
              teamTouched.current = true;
              setTeam(e.currentTarget.value);
            }}>
            <option value="">${t('ac.noTeam')}</option>
            ${teamCodes.map((code) => html`<option value=${code}>${teamLabel(teams, code)}</option>`)}
          </select>
          <div class=${d ? 'field-hint' : 'field-hint muted'} data-testid="dispatch-reason" data-category=${dispatch.category || ''}
            data-source=${d ? d.source : undefined} data-pending=${dispatch.pending ? 'true' : undefined}
            data-reason-rule=${d && d.reason_rule ? d.reason_rule : undefined} data-reason-category=${d && d.reason_category ? d.reason_category : undefined}>
            ${d
              ? html`<div>${t('ac.dispatchSuggested', { team: teamLabel(teams, d.team), source: tEnum('dispatch', d.source) })}</div>
                  <${DispatchReason} decision=${d} teams=${teams} />`
              : t('ac.noDispatch')}
          </div>
          <label class="field-label" for=${`ac-priority-${ticket.id}`}>${t('ticket.priority')}</label>
          <select class="input" id=${`ac-priority-${ticket.id}`} data-testid="ticket-priority" value=${priority} onChange=${(/** @type {any} */ e) => setPriority(e.currentTarget.value)}>
            ${PRIORITIES.map((p) => html`<option value=${p}>${tEnum('priority', p)}</option>`)}
          </select>
          ${prioHint ? html`<div class="field-hint muted">${prioHint}</div>` : null}
          <label class="field-label" for=${`ac-summary-${ticket.id}`}>${t('ac.summary')}</label>
          <textarea class="input textarea" id=${`ac-summary-${ticket.id}`} data-testid="ticket-summary" rows="4" placeholder=${t('ac.summaryPlaceholder')}
            value=${summary} onInput=${(/** @type {any} */ e) => setSummary(e.currentTarget.value)}></textarea>
          <div class="ac-actions">
            <button type="submit" class="btn btn-primary" data-testid="ticket-confirm" data-correction=${String(isCorrection)} disabled=${submitting}
              title=${t('shortcut.confirm')} aria-keyshortcuts="Control+Enter">${submitting ? t('ac.confirming') : isCorrection ? t('ac.confirmCorrection') : t('ac.confirm')}</button>
          </div>
          <div class="ac-message" data-testid="aftercall-message">
            ${confirmed ? html`<div class="alert alert-success" data-testid="aftercall-done" role="status">${confirmed === 'corrected' ? t('ac.doneCorrected') : t('ac.doneConfirmed')}</div>` : null}
            ${failure ? html`<${ErrorBox} err=${failure} />` : null}
          </div>
        </div>
      </div>
    </form>
    <div class="ac-history"><${TicketHistory} ticketId=${ticket.id} events=${events} teams=${teams} /></div>`;
}

/**
 * The best suggestion's siblings in the taxonomy, with their probability, that are not suggestions
 * already: the near alternatives, one click away.
 * @param {{ siblings: Candidate[] | undefined, candidates: Candidate[], selected: string | null,
 *   onPick: (code: string, found: { category: string, path: Named[] }) => void }} props
 */
function Siblings({ siblings, candidates, selected, onPick }) {
  const shown = (Array.isArray(siblings) ? siblings : []).filter((sib) => !candidates.some((c) => c.category === sib.category));
  if (!shown.length) return null;
  return html`<div class="sugg-siblings" data-testid="suggestion-siblings">
    <span class="muted small">${t('ac.siblings')}</span>
    ${shown.map(
      (sib) => html`<button type="button" class=${`chip sibling${sib.category === selected ? ' selected' : ''}`} data-testid="suggestion-sibling"
          data-category=${sib.category} data-probability=${sib.probability}
          onClick=${() => onPick(sib.category, { category: sib.category, path: sib.path || [] })}>
        ${sib.path && sib.path.length ? localName(sib.path[sib.path.length - 1]) : sib.category} <span class="muted">${pct(sib.probability)}</span>
      </button>`,
    )}
  </div>`;
}

/**
 * A chosen category that is not among the suggestions; its path is looked up when not known.
 * @param {{ code: string, known: Named[] | null, radioName: string, current: boolean }} props
 */
function OtherCategory({ code, known, radioName, current }) {
  const [looked, setLooked] = useState(/** @type {{ code: string, path: Named[] } | null} */ (null));
  useEffect(() => {
    if (known) return undefined;
    let live = true;
    loadTaxNode(code)
      .then((res) => {
        if (live && res && res.path) setLooked({ code, path: res.path });
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [code, known]);
  const path = known || (looked && looked.code === code ? looked.path : null);
  return html`<label class="suggestion suggestion-other selected" data-testid="category-other" data-category=${code}>
    <input type="radio" name=${radioName} value=${code} class="sugg-radio" checked />
    <span class="sugg-main"><span class="sugg-head"><${CategoryPath} path=${path} code=${code} /></span><code class="muted small" data-content>${code}</code></span>
    <span class="sugg-conf"><${Badge} text=${current ? t('ac.current') : t('ac.chosen')} kind=${current ? 'current' : 'chosen'} /></span>
  </label>`;
}

/**
 * The ticket's events, oldest first; read from the API when not given.
 * @param {{ ticketId: string, events: TicketEvent[] | null, teams: Map<string, Team> }} props
 */
function TicketHistory({ ticketId, events, teams }) {
  const [fetched, setFetched] = useState(/** @type {TicketEvent[] | null} */ (null));
  useEffect(() => {
    if (events) return undefined;
    let live = true;
    api(`/api/v1/tickets/${enc(ticketId)}`)
      .then((detail) => {
        if (live && detail) setFetched(detail.events || []);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [ticketId, events]);
  const list = events || fetched;
  if (!list || !list.length) return null;
  return html`<h3>${t('ac.history')}</h3>
    <ol class="ticket-history" data-testid="ticket-history">
      ${list.map(
        (ev) => html`<li class=${`ev ev-${ev.action}`} data-testid="ticket-event" data-action=${ev.action} data-field=${ev.field || undefined}>
          <span class="ev-time nowrap muted small">${formatTime(ev.at)}</span>
          <span class=${`badge badge-ev-${ev.action}`}>${tEnum('event', ev.action)}</span>
          <span class="ev-actor" data-actor=${ev.actor || undefined}>${actorLabel(ev.actor)}</span>
          ${ev.field
            ? html`<span class="ev-change">
                <span class="muted">${t('ac.fieldChange', { field: EVENT_FIELDS.includes(ev.field) ? t(`ac.field.${ev.field}`) : ev.field })}</span>
                <${EventValue} field=${ev.field} value=${ev.old_value} teams=${teams} />
                <span class="arrow" aria-hidden="true"> → </span>
                <${EventValue} field=${ev.field} value=${ev.new_value} teams=${teams} />
              </span>`
            : null}
        </li>`,
      )}
    </ol>`;
}

/**
 * Why dispatch suggests its team, in the UI's language: the rule's name, or the category (with its
 * name looked up) whose team it is or whose past tickets went there. The server's English sentence
 * (`reason`) is for API clients.
 * @param {{ decision: Dispatch, teams: Map<string, Team> }} props
 */
function DispatchReason({ decision: d, teams }) {
  const team = teamLabel(teams, d.team);
  let reason = null;
  if (d.source === 'rule' && d.reason_rule) reason = html`<${Trans} k="dispatch.reason.rule" params=${{ rule: html`<${Data}>${d.reason_rule}<//>` }} />`;
  else if ((d.source === 'taxonomy' || d.source === 'learned') && d.reason_category)
    reason = html`<${Trans} k=${`dispatch.reason.${d.source}`} params=${{ category: html`<${CategoryName} code=${d.reason_category} />`, team }} />`;
  return reason ? html`<div class="muted" data-testid="dispatch-why">${reason}</div>` : null;
}

/** @param {{ field: string, value: string | null | undefined, teams: Map<string, Team> }} props */
function EventValue({ field, value, teams }) {
  if (value === null || value === undefined || value === '') return html`<span class="muted">${t('common.none')}</span>`;
  if (field === 'team') return html`<span>${teamLabel(teams, value)}</span>`;
  if (field === 'priority') return html`<span>${tEnum('priority', value)}</span>`;
  if (field === 'status') return html`<span>${tEnum('status', value)}</span>`;
  if (field === 'category') return html`<${CategoryName} code=${value} />`;
  return html`<span class="ev-text" data-content>${value}</span>`;
}

/** A category code, shown as its path of names once looked up. @param {{ code: string }} props */
function CategoryName({ code }) {
  const [label, setLabel] = useState('');
  useEffect(() => {
    let live = true;
    loadTaxNode(code)
      .then((res) => {
        if (live && res && res.path && res.path.length) setLabel(pathLabel(res.path));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [code]);
  // the taxonomy's own names (as the centre wrote them): data, like the code
  return html`<${Data}>${label || code}<//>`;
}

/** Why the suggestion was not filed without asking, in a line. @param {Suggestion} s */
function notAutoAccepted(s) {
  const off = s.auto_accept_off;
  const v = s.model_version === null || s.model_version === undefined ? '–' : s.model_version;
  if (off && off.reason === 'too_few_held_out') return t('model.policyTooFew', { have: off.have, need: off.need, v });
  if (off && off.reason === 'no_model') return t('model.policyNoModel');
  if (off || s.threshold === null || s.threshold === undefined) return t('model.policyUnreachable', { v });
  const top = s.candidates && s.candidates[0] ? s.candidates[0].probability : 0;
  return t('ac.belowThreshold', { p: pct(top), threshold: pct(s.threshold) });
}
