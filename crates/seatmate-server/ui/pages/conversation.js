// One conversation: its header, the transcript beside the live assist panel and the ask box, the
// after-call card and the conversation's tickets.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { enc, qs } from '../lib/api.js';
import { t, tEnum, formatTime } from '../lib/i18n.js';
import { dash, duration } from '../lib/format.js';
import { loadTaxNode, loadTeams, pathLabel, teamLabel } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, ErrorBox, Loading, MetaList, Table } from '../components/common.js';
import { AttributeValue, attributeLabel, queueLabel, sourceLabel } from '../components/attributes.js';
import { AskBox } from '../components/ask-box.js';
import { LiveAssist } from '../components/live-assist.js';
import { Transcript } from '../components/transcript.js';
import { AfterCall } from '../components/after-call.js';
import { Inspections } from '../components/inspection.js';
import { EmotionStrip, IntentLine, OpportunityCues, RiskAlert } from '../components/live-signals.js';
import { listenLive } from '../lib/live.js';
import { DeskShortcuts } from '../components/shortcuts.js';
import { KnowledgeDrawer } from '../components/knowledge-drawer.js';

const REPLAY_STEP_MS = 1500;

/** @param {import('../lib/router.js').PageProps} props */
export default function ConversationRoute({ params }) {
  return html`<${ConversationPage} id=${params[0]} />`;
}

/** @param {{ id: string }} props */
function ConversationPage({ id }) {
  const [{ data: c, err }, reload] = useApi(`/api/v1/conversations/${enc(id)}`);
  const live = useLive(c, reload);
  const following = live.following;
  let body;
  if (err) body = /** @type {any} */ (err).status === 404 ? html`<div class="card empty" data-testid="conv-not-found">${t('conv.notFound')}</div>` : html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (!c) body = html`<div class="card"><${Loading} lines=${6} /></div>`;
  else {
    const conversation = live.turns.length ? { ...c, turns: [...(c.turns || []), ...live.turns] } : c;
    body = html`<${ConversationHeader} conversation=${c} /><${IntentLine} intent=${live.intent} /><${EmotionStrip} emotion=${live.emotion} /><${OpportunityCues} opportunities=${live.opportunities} /><${RiskAlert} risk=${live.risk} />
      <${TicketsAndAfterCall} conversationId=${c.id}
        layout=${(/** @type {any} */ afterCall, /** @type {any} */ ticketsCard) => html`<${Workspace} conversation=${conversation} partial=${live.partial} following=${live.following} afterCall=${afterCall} />${ticketsCard}`} />
      ${following ? null : html`<${Inspections} conversationId=${c.id} agent=${c.agent || null} />`}`;
  }
  return html`<div class="crumbs crumbs-row"><a href="#/conversations">← ${t('conv.backToList')}</a>${c ? html`<${DeskShortcuts} />` : null}</div><div>${body}</div><${KnowledgeDrawer} />`;
}

/** How long a page whose live conversation ended waits for its after-call work before reloading. */
const AFTER_CALL_WAIT_MS = 5000;

/**
 * Follows a live conversation that is still going on: its new turns, the interim transcript of
 * the next one, and the latest escalation risk. When it ends (or the feed asks), the page reloads.
 * @param {any} c @param {() => void} reload
 */
function useLive(c, reload) {
  const [turns, setTurns] = useState(/** @type {any[]} */ ([]));
  const [partial, setPartial] = useState(/** @type {any} */ (null));
  const [risk, setRisk] = useState(/** @type {any} */ (null));
  const [emotion, setEmotion] = useState(/** @type {any} */ (null));
  const [opportunities, setOpportunities] = useState(/** @type {any[]} */ ([]));
  const [intent, setIntent] = useState(/** @type {any} */ (null));
  const following = Boolean(c && c.source === 'live' && !c.ended_at);
  const stored = c && Array.isArray(c.turns) ? c.turns.length : 0;
  useEffect(() => {
    setTurns([]);
    setPartial(null);
    setEmotion(null);
    setOpportunities([]);
    setIntent(null);
    if (!following) return undefined;
    let endedAt = 0;
    return listenLive((event) => {
      if (event.type === 'resync') {
        reload();
        return;
      }
      if (event.id !== c.id) return;
      if (event.type === 'partial') setPartial({ speaker: event.speaker, text: event.text });
      if (event.type === 'turn') {
        setPartial(null);
        const timing = event.signals && event.signals.timing;
        setTurns((now) => (event.index === stored + now.length ? [...now, { ...event.turn, timing }] : now));
        // the next step follows the turn that raised the risk; it stays until a newer one
        if (event.signals && event.signals.risk) setRisk((/** @type {any} */ now) => ({ ...event.signals.risk, next_step: (now && now.next_step) || null }));
      }
      // the emotion of a turn follows its turn; a late one for an older turn does not replace a newer
      if (event.type === 'emotion') {
        setEmotion((/** @type {any} */ now) => (now && now.index > event.index ? now : { ...event.emotion, index: event.index, trajectory: event.trajectory }));
        if (event.risk) setRisk((/** @type {any} */ now) => ({ ...event.risk, next_step: (now && now.next_step) || null }));
      }
      if (event.type === 'intent') setIntent(event.intent);
      if (event.type === 'opportunity') setOpportunities((now) => [...now, ...event.opportunities]);
      if (event.type === 'next_step') setRisk((/** @type {any} */ now) => (now ? { ...now, next_step: event.next_step } : now));
      // the after-call work (pre-filled ticket, summary) follows the end: reload when it is ready,
      // or after a while without it
      if (event.type === 'ended') endedAt = setTimeout(reload, AFTER_CALL_WAIT_MS);
      if (event.type === 'after_call') {
        clearTimeout(endedAt);
        reload();
      }
    });
  }, [c && c.id, following, stored]);
  return { turns, partial, risk, emotion, opportunities, intent, following };
}

/**
 * The conversation's title and the facts an agent needs at a glance on one line; the rest (ids,
 * source, attributes) folds away, so the transcript, the live cards and the after-call card fit
 * on the screen together.
 * @param {{ conversation: any }} props
 */
function ConversationHeader({ conversation: c }) {
  const attrs = c.attributes && typeof c.attributes === 'object' ? Object.entries(c.attributes) : [];
  return html`<section class="card conv-header" data-testid="conv-header">
    <div class="conv-header-row">
      <h1>${t('conv.detailTitle', { id: '' })}<${Data}>${c.external_id || c.id}<//></h1>
      <${Badge} text=${tEnum('channel', c.channel)} kind=${`ch-${c.channel}`} />
      <span class="conv-facts muted small">
        <span title=${t('conv.queue')}>${queueLabel(c.queue)}</span>
        <span title=${t('conv.agent')}><${Data}>${c.agent}<//></span>
        <span title=${t('conv.started')}>${formatTime(c.started_at)}</span>
        ${c.ended_at ? html`<span title=${t('conv.duration')}>${duration(c.started_at, c.ended_at)}</span>` : null}
      </span>
    </div>
    <details class="conv-details" data-testid="conv-details">
      <summary>${t('conv.moreDetails')}</summary>
      <${MetaList} pairs=${[
        [t('conv.started'), formatTime(c.started_at)],
        [t('conv.ended'), formatTime(c.ended_at)],
        [t('conv.duration'), duration(c.started_at, c.ended_at)],
        [t('conv.queue'), queueLabel(c.queue)],
        [t('conv.agent'), html`<${Data}>${c.agent}<//>`],
        [t('conv.customer'), html`<${Data}>${c.customer_id}<//>`],
        [t('conv.language'), tEnum('lang', c.language)],
        [t('conv.source'), sourceLabel(c.source)],
        [t('conv.externalId'), html`<${Data}>${c.external_id}<//>`],
        c.audio_ref ? [t('conv.audio'), html`<${Data}>${c.audio_ref}<//>`] : null,
        [t('common.id'), html`<${Data}>${c.id}<//>`],
      ]} />
      <h3>${t('conv.attributes')}</h3>
      ${attrs.length
        ? html`<dl class="attrs" data-testid="conv-attributes">${attrs.map(([k, v]) => html`<div class="attr" data-key=${k}><dt>${attributeLabel(k)}</dt><dd><${AttributeValue} name=${k} value=${v} /></dd></div>`)}</dl>`
        : html`<p class="muted small">${t('conv.noAttributes')}</p>`}
    </details>
  </section>`;
}

/**
 * The after-call card and the conversation's tickets, placed by `layout`. The card is told the
 * tickets once: a later refresh of the list (after the card opens or confirms a ticket) must not
 * reset its form.
 * @param {{ conversationId: string, layout: (afterCall: any, ticketsCard: any) => any }} props
 */
function TicketsAndAfterCall({ conversationId, layout }) {
  const [tickets, reload] = useApi(`/api/v1/tickets${qs({ conversation: conversationId, limit: 100 })}`);
  const first = useRef(/** @type {{ id: string }[] | null} */ (null));
  if (first.current === null && !tickets.loading) first.current = (tickets.data && tickets.data.items) || [];
  return layout(html`<${AfterCall} conversationId=${conversationId} tickets=${first.current} onTicketsChanged=${reload} />`, html`<${TicketsCard} state=${tickets} retry=${reload} />`);
}

/**
 * The transcript beside the live cards and the ask box. Clicking a turn shows the cards as they
 * were at that moment; replay plays the conversation turn by turn, the cards following each
 * customer turn.
 * @param {{ conversation: { id: string, agent?: string | null, turns?: import('../components/transcript.js').Turn[] },
 *   partial?: { speaker: string, text: string } | null, following?: boolean, afterCall?: any }} props
 */
function Workspace({ conversation, partial, following, afterCall }) {
  const turns = Array.isArray(conversation.turns) ? conversation.turns : [];
  const [upto, setUpto] = useState(/** @type {number | null} */ (null));
  const [shown, setShown] = useState(/** @type {number | null} */ (null));
  const timer = useRef(/** @type {ReturnType<typeof setInterval> | null} */ (null));

  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
    setShown(null);
  };
  useEffect(() => stop, []);

  const replay = () => {
    if (timer.current) {
      stop();
      return;
    }
    let next = 0;
    const step = () => {
      if (next >= turns.length) {
        stop();
        return;
      }
      const turn = turns[next];
      if (turn && turn.speaker === 'customer') setUpto(next);
      next += 1;
      setShown(next);
    };
    setShown(0);
    step();
    timer.current = setInterval(step, REPLAY_STEP_MS);
  };

  return html`<div class=${afterCall ? 'conv-grid conv-grid-3' : 'conv-grid'}>
    <${Transcript} turns=${turns} agent=${conversation.agent} shown=${shown} onTurn=${setUpto} partial=${partial} following=${following} />
    <div class="conv-side">
      ${turns.length ? html`<${LiveAssist} conversationId=${conversation.id} upto=${following && upto === null ? lastCustomerTurn(turns) : upto} replaying=${shown !== null} onReplay=${replay} />` : null}
      <${AskBox} />
    </div>
    ${afterCall ? html`<div class="conv-aftercall">${afterCall}</div>` : null}
  </div>`;
}

/** The index of the customer's latest turn (the live cards follow it), or null. @param {{ speaker: string }[]} turns */
function lastCustomerTurn(turns) {
  for (let i = turns.length - 1; i >= 0; i -= 1) if (turns[i].speaker === 'customer') return i;
  return null;
}

/** @param {{ state: import('../lib/use-api.js').ApiState, retry: () => void }} props */
function TicketsCard({ state, retry }) {
  const [teams, setTeams] = useState(/** @type {Map<string, import('../lib/session.js').Team> | null} */ (null));
  useEffect(() => {
    loadTeams().then(setTeams);
  }, []);
  const items = state.data ? state.data.items || [] : null;
  let body;
  if (state.err) body = html`<div class="card-pad"><${ErrorBox} err=${state.err} onRetry=${retry} /></div>`;
  else if (!items || !teams) body = html`<div class="card-pad"><${Loading} /></div>`;
  else if (!items.length) body = html`<div class="card-pad"><p class="muted" data-testid="tickets-empty">${t('ticket.none')}</p></div>`;
  else {
    body = html`<${Table} head=${[t('ticket.subject'), t('ticket.category'), t('ticket.team'), t('ticket.priority'), t('ticket.status'), t('ticket.created')]} testid="ticket-table">
      ${items.map(
        (/** @type {any} */ tk) => html`<tr data-testid="ticket-row" data-id=${tk.id}>
          <td data-content><div class="strong">${tk.title || ''}</div>${tk.summary ? html`<div class="muted small clamp">${tk.summary}</div>` : null}</td>
          <td class="category">${tk.category ? html`<${TicketCategory} code=${tk.category} />` : dash(tk.category)}</td>
          <td>${teamLabel(teams, tk.team)}</td>
          <td><${Badge} text=${tEnum('priority', tk.priority)} kind=${`pr-${tk.priority}`} /></td>
          <td><${Badge} text=${tEnum('status', tk.status)} kind=${`st-${tk.status}`} /></td>
          <td class="nowrap">${formatTime(tk.created_at)}</td>
        </tr>`,
      )}
    <//>`;
  }
  return html`<section class="card card-flush"><h2 class="card-pad">${t('ticket.title')}</h2>${body}</section>`;
}

/** A ticket's category: its path of names (once looked up) over its code. @param {{ code: string }} props */
function TicketCategory({ code }) {
  const [path, setPath] = useState(/** @type {import('../lib/session.js').Named[]} */ ([]));
  useEffect(() => {
    let live = true;
    loadTaxNode(code)
      .then((res) => {
        const found = res && res.path && res.path.length ? res.path : res && res.node ? [res.node] : [];
        if (live) setPath(found);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [code]);
  return path.length ? html`<${Data}>${pathLabel(path)}<//><div class="muted small"><${Data}>${code}<//></div>` : html`<${Data}>${code}<//>`;
}
