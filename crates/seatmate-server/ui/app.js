// Seatmate web UI: a single-page app with hash routes, no framework.
// All server text goes into the DOM as text nodes or attributes, never as HTML.

import { t, tEnum, getLang, setLang, LANGS, localName, formatTime, formatNumber } from '/i18n.js';

const PAGE_SIZE = 50;
const RETURN_KEY = 'seatmate.returnTo';

const state = {
  user: null,
  seq: 0, // bumped on every route render; async work from an older render is dropped
  teams: null, // Promise<Map<code, team>>
  taxNodes: new Map(), // code -> Promise<{node, path}>
};

// ---------------------------------------------------------------- DOM helpers

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'testid') el.setAttribute('data-testid', value);
      else if (key === 'dataset') {
        for (const [dk, dv] of Object.entries(value)) {
          if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
        }
      } else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'value') el.value = value;
      else if (key === 'checked' || key === 'selected' || key === 'disabled') el[key] = Boolean(value);
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

function dash(value) {
  return value === null || value === undefined || value === '' ? t('common.none') : String(value);
}

function loading() {
  return h('div', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading'));
}

function empty(text) {
  return h('div', { class: 'empty' }, text || t('common.empty'));
}

function badge(text, kind) {
  return h('span', { class: `badge${kind ? ` badge-${kind}` : ''}` }, text);
}

function errorBox(err) {
  if (err && err.status === 403) return forbiddenBox();
  const msg = err && err.body && err.body.message ? err.body.message : err && err.message ? err.message : '';
  const requestId = err && err.body && err.body.request_id;
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert' },
    h('strong', null, t('common.error')),
    msg ? h('div', null, msg) : null,
    requestId ? h('div', { class: 'muted small' }, t('common.requestId', { id: requestId })) : null,
  );
}

function forbiddenBox() {
  return h(
    'div',
    { class: 'card forbidden', testid: 'forbidden', role: 'alert' },
    h('div', { class: 'forbidden-icon', 'aria-hidden': 'true' }, '403'),
    h('h2', null, t('err.forbidden')),
    h('p', { class: 'muted' }, t('err.forbiddenDetail')),
  );
}

function mmss(ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '';
  const total = Math.max(0, Math.floor(Number(ms) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function duration(startMs, endMs) {
  if (startMs === null || startMs === undefined || endMs === null || endMs === undefined) return '';
  const diff = Number(endMs) - Number(startMs);
  if (!(diff >= 0)) return '';
  const total = Math.floor(diff / 1000);
  const hrs = Math.floor(total / 3600);
  const rest = mmss((total % 3600) * 1000);
  return hrs > 0 ? `${hrs}:${rest}` : rest;
}

function attrValue(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function cssString(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

function enc(s) {
  return encodeURIComponent(String(s));
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, body, message) {
    super(message || (body && body.message) || t('err.status', { status }));
    this.status = status;
    this.body = body;
  }
}

async function api(path, { method = 'GET', body, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, null, t('err.network'));
  }
  if (res.status === 401 && auth) {
    unauthorized();
    const err = new ApiError(401, null);
    err.handled = true;
    throw err;
  }
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, data);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, null, t('err.status', { status: res.status }));
  }
}

function qs(params) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

function unauthorized() {
  state.user = null;
  resetCaches();
  const { path } = parseHash();
  if (path !== '/login') {
    try {
      sessionStorage.setItem(RETURN_KEY, location.hash || '#/conversations');
    } catch {
      // ignore
    }
    location.hash = '#/login';
  }
}

function resetCaches() {
  state.teams = null;
  state.taxNodes = new Map();
}

function loadTeams() {
  if (!state.teams) {
    state.teams = api('/api/v1/teams')
      .then((data) => new Map(((data && data.items) || []).map((team) => [team.code, team])))
      .catch((err) => {
        if (!err.handled) state.teams = null;
        return new Map();
      });
  }
  return state.teams;
}

function teamLabel(teams, code) {
  if (!code) return t('common.none');
  const team = teams && teams.get(code);
  const name = team ? localName(team) : '';
  return name && name !== code ? `${name} (${code})` : code;
}

function loadTaxNode(code) {
  let p = state.taxNodes.get(code);
  if (!p) {
    p = api(`/api/v1/taxonomy/${enc(code)}`).catch((err) => {
      state.taxNodes.delete(code);
      throw err;
    });
    state.taxNodes.set(code, p);
  }
  return p;
}

function pathLabel(path) {
  return (path || []).map((node) => localName(node)).join(' / ');
}

// ---------------------------------------------------------------- routing

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const qi = raw.indexOf('?');
  const path = (qi >= 0 ? raw.slice(0, qi) : raw) || '/';
  const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  return { path, query };
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const ROUTES = [
  { re: /^\/conversations$/, nav: 'conversations', page: pageConversations },
  { re: /^\/conversations\/(.+)$/, nav: 'conversations', page: pageConversation },
  { re: /^\/taxonomy$/, nav: 'taxonomy', page: pageTaxonomy },
  { re: /^\/knowledge$/, nav: 'knowledge', page: pageKnowledge },
  { re: /^\/knowledge\/(.+)$/, nav: 'knowledge', page: pageKnowledgeItem },
  { re: /^\/admin$/, nav: 'admin', page: pageAdmin },
];

async function route() {
  const seq = ++state.seq;
  const alive = () => seq === state.seq;
  const { path, query } = parseHash();
  const root = document.getElementById('app');
  root.classList.remove('app-boot');

  if (path === '/login') {
    renderLogin(root);
    return;
  }
  if (path === '/' || path === '') {
    location.replace('#/conversations');
    return;
  }

  if (!state.user) {
    clear(root).append(h('div', { class: 'boot-loading' }, loading()));
    try {
      const me = await api('/api/v1/me');
      if (!alive()) return;
      state.user = (me && me.user) || me;
    } catch (err) {
      if (!alive() || err.handled) return;
      clear(root).append(h('div', { class: 'boot-loading' }, errorBox(err)));
      return;
    }
  }

  let match = null;
  let params = [];
  for (const r of ROUTES) {
    const m = path.match(r.re);
    if (m) {
      match = r;
      params = m.slice(1).map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      });
      break;
    }
  }

  const main = renderShell(root, match ? match.nav : null);
  if (!match) {
    main.append(h('div', { class: 'card' }, h('h2', null, t('err.pageNotFound'))));
    return;
  }
  try {
    await match.page(main, { params, query, alive });
  } catch (err) {
    if (!alive() || err.handled) return;
    clear(main).append(errorBox(err));
  }
}

// ---------------------------------------------------------------- shell

function langSwitch() {
  const sel = h(
    'select',
    {
      class: 'lang-switch',
      testid: 'lang-switch',
      'aria-label': t('top.language'),
      title: t('top.language'),
      onchange: (e) => {
        setLang(e.target.value);
        route();
      },
    },
    LANGS.map((l) => h('option', { value: l.code }, l.label)),
  );
  sel.value = getLang();
  return sel;
}

const NAV = [
  { key: 'conversations', hash: '#/conversations', icon: 'i-conv' },
  { key: 'taxonomy', hash: '#/taxonomy', icon: 'i-tax' },
  { key: 'knowledge', hash: '#/knowledge', icon: 'i-kn' },
  { key: 'admin', hash: '#/admin', icon: 'i-admin', admin: true },
];

function renderShell(root, active) {
  const user = state.user || {};
  const isAdmin = user.role === 'admin';
  const nav = h(
    'nav',
    { class: 'sidenav' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'S'), h('span', { class: 'brand-name' }, t('app.name'))),
    h(
      'ul',
      null,
      NAV.filter((item) => !item.admin || isAdmin).map((item) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: item.hash, class: `nav-link ${item.icon}${active === item.key ? ' active' : ''}`, testid: `nav-${item.key}`, 'aria-current': active === item.key ? 'page' : null },
            t(`nav.${item.key}`),
          ),
        ),
      ),
    ),
    h('div', { class: 'sidenav-foot muted small' }, t('app.tagline')),
  );

  const topbar = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'topbar-title' }, active ? t(`nav.${active}`) : ''),
    h(
      'div',
      { class: 'topbar-right' },
      langSwitch(),
      h(
        'div',
        { class: 'user-menu', testid: 'user-menu', title: user.display_name || user.username || '' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, (user.display_name || user.username || '?').slice(0, 1).toUpperCase()),
        h(
          'span',
          { class: 'user-text' },
          h('span', { class: 'user-name' }, user.username || ''),
          user.display_name && user.display_name !== user.username ? h('span', { class: 'user-display muted' }, user.display_name) : null,
          h('span', { class: 'user-role badge badge-role', dataset: { role: user.role } }, tEnum('role', user.role)),
        ),
      ),
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'logout', onclick: logout }, t('top.logout')),
    ),
  );

  const main = h('main', { class: 'content', id: 'content' });
  clear(root).append(h('div', { class: 'layout' }, nav, h('div', { class: 'main-col' }, topbar, main)));
  return main;
}

async function logout() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST', auth: false });
  } catch {
    // the session is gone either way
  }
  state.user = null;
  resetCaches();
  try {
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // ignore
  }
  go('#/login');
}

// ---------------------------------------------------------------- login

function renderLogin(root) {
  const username = h('input', { id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', required: true, testid: 'login-username' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
  const errorEl = h('div', { class: 'alert alert-error', testid: 'login-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'login-submit' }, t('login.submit'));

  const showError = (text) => {
    errorEl.textContent = text;
    errorEl.hidden = false;
  };

  const form = h(
    'form',
    {
      class: 'login-form',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        errorEl.hidden = true;
        const u = username.value.trim();
        const p = password.value;
        if (!u || !p) {
          showError(t('login.required'));
          return;
        }
        submit.disabled = true;
        submit.textContent = t('login.submitting');
        try {
          const res = await api('/api/v1/auth/login', { method: 'POST', body: { username: u, password: p }, auth: false });
          state.user = (res && res.user) || res;
          resetCaches();
          let target = '#/conversations';
          try {
            target = sessionStorage.getItem(RETURN_KEY) || target;
            sessionStorage.removeItem(RETURN_KEY);
          } catch {
            // ignore
          }
          if (target.startsWith('#/login')) target = '#/conversations';
          go(target);
        } catch (err) {
          submit.disabled = false;
          submit.textContent = t('login.submit');
          if (err.status === 401 || err.status === 403) showError(t('login.badCredentials'));
          else showError(t('login.failed', { msg: err.message }));
          password.select();
        }
      },
    },
    h('label', { for: 'login-username' }, t('login.username')),
    username,
    h('label', { for: 'login-password' }, t('login.password')),
    password,
    errorEl,
    submit,
  );

  clear(root).append(
    h(
      'div',
      { class: 'login-page' },
      h('div', { class: 'login-lang' }, langSwitch()),
      h(
        'div',
        { class: 'login-card card' },
        h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'S'), h('div', null, h('div', { class: 'login-app' }, t('app.name')), h('div', { class: 'muted small' }, t('app.tagline')))),
        h('h1', null, t('login.title')),
        h('p', { class: 'muted' }, t('login.subtitle')),
        form,
      ),
    ),
  );
  username.focus();
}

// ---------------------------------------------------------------- shared bits

function pageHeader(title, ...extra) {
  return h('div', { class: 'page-header' }, h('h1', null, title), ...extra);
}

function pager(total, offset, limit, toHash) {
  if (!total) return null;
  const from = Math.min(total, offset + 1);
  const to = Math.min(total, offset + limit);
  const prev = offset > 0;
  const next = offset + limit < total;
  return h(
    'div',
    { class: 'pager' },
    h('span', { class: 'muted', testid: 'pager-range' }, t('common.range', { from: formatNumber(from), to: formatNumber(to), total: formatNumber(total) })),
    h('span', { class: 'pager-buttons' },
      h('button', { type: 'button', class: 'btn btn-small', disabled: !prev, testid: 'pager-prev', onclick: () => go(toHash(Math.max(0, offset - limit))) }, t('common.prev')),
      h('button', { type: 'button', class: 'btn btn-small', disabled: !next, testid: 'pager-next', onclick: () => go(toHash(offset + limit)) }, t('common.next')),
    ),
  );
}

function table(head, rows, props) {
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', Object.assign({ class: 'table' }, props || {}), h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), h('tbody', null, rows)),
  );
}

function metaList(pairs) {
  return h(
    'dl',
    { class: 'meta' },
    pairs
      .filter((p) => p)
      .map(([label, value]) => h('div', { class: 'meta-item' }, h('dt', null, label), h('dd', null, value instanceof Node ? value : dash(value)))),
  );
}

// ---------------------------------------------------------------- conversations

async function loadStats(el, alive) {
  try {
    const s = await api('/api/v1/stats');
    if (!alive() || !s) return;
    const keys = ['conversations', 'tickets', 'taxonomy_nodes', 'knowledge_items', 'users'];
    add(
      el,
      keys.filter((k) => typeof s[k] === 'number').map((k) => h('span', { class: 'stat' }, t(`stats.${k}`, { n: formatNumber(s[k]) }))),
    );
  } catch {
    // the stats line is optional
  }
}

async function pageConversations(main, { query, alive }) {
  const isAgent = state.user && state.user.role === 'agent';
  const f = {
    q: query.get('q') || '',
    channel: query.get('channel') || '',
    queue: query.get('queue') || '',
    agent: isAgent ? '' : query.get('agent') || '',
  };
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const toHash = (off, filters = f) => `#/conversations${qs({ ...filters, offset: off || '' })}`;

  const stats = h('div', { class: 'stats', testid: 'stats' });
  main.append(pageHeader(t('conv.title'), stats));
  loadStats(stats, alive);

  const qInput = h('input', { type: 'search', class: 'input grow', placeholder: t('conv.searchPlaceholder'), value: f.q, testid: 'conv-search', 'aria-label': t('common.search') });
  const channelSel = h(
    'select',
    { class: 'input', testid: 'conv-channel', 'aria-label': t('conv.channel') },
    ['', 'chat', 'voice', 'email'].map((c) => h('option', { value: c }, c ? tEnum('channel', c) : t('channel.all'))),
  );
  channelSel.value = ['chat', 'voice', 'email'].includes(f.channel) ? f.channel : '';
  const queueInput = h('input', { type: 'text', class: 'input', placeholder: t('conv.queuePlaceholder'), value: f.queue, testid: 'conv-queue', 'aria-label': t('conv.queue') });
  const agentInput = isAgent ? null : h('input', { type: 'text', class: 'input', placeholder: t('conv.agentPlaceholder'), value: f.agent, testid: 'conv-agent', 'aria-label': t('conv.agent') });

  const form = h(
    'form',
    {
      class: 'filters card',
      onsubmit: (e) => {
        e.preventDefault();
        go(toHash(0, { q: qInput.value.trim(), channel: channelSel.value, queue: queueInput.value.trim(), agent: agentInput ? agentInput.value.trim() : '' }));
      },
    },
    qInput,
    channelSel,
    queueInput,
    agentInput,
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'conv-search-submit' }, t('common.search')),
    h('button', { type: 'button', class: 'btn', onclick: () => go('#/conversations') }, t('common.reset')),
  );
  channelSel.addEventListener('change', () => form.requestSubmit());
  main.append(form);

  const body = h('div', { class: 'card card-flush' }, loading());
  main.append(body);

  const data = await api(`/api/v1/conversations${qs({ ...f, limit: PAGE_SIZE, offset })}`);
  if (!alive()) return;
  const items = (data && data.items) || [];
  const total = typeof (data && data.total) === 'number' ? data.total : items.length;
  clear(body);
  if (!items.length) {
    body.append(empty());
    return;
  }
  const rows = items.map((c) => {
    const href = `#/conversations/${enc(c.id)}`;
    return h(
      'tr',
      { class: 'clickable', testid: 'conv-row', dataset: { agent: c.agent || '', id: c.id }, onclick: () => go(href) },
      h('td', { class: 'nowrap' }, h('a', { href }, formatTime(c.started_at))),
      h('td', null, badge(tEnum('channel', c.channel), `ch-${c.channel}`)),
      h('td', null, dash(c.queue)),
      h('td', null, dash(c.agent)),
      h('td', { class: 'nowrap' }, dash(c.customer_id)),
      h('td', { class: 'num' }, formatNumber(c.turn_count)),
      h('td', { class: 'preview', title: c.preview || '' }, c.preview || ''),
    );
  });
  body.append(
    table([t('conv.time'), t('conv.channel'), t('conv.queue'), t('conv.agent'), t('conv.customer'), t('conv.turns'), t('conv.preview')], rows, { testid: 'conv-table' }),
    pager(total, offset, PAGE_SIZE, (off) => toHash(off)),
  );
}

async function pageConversation(main, { params, alive }) {
  const id = params[0];
  main.append(h('div', { class: 'crumbs' }, h('a', { href: '#/conversations' }, `← ${t('conv.backToList')}`)));
  const holder = h('div', null, loading());
  main.append(holder);

  let c;
  try {
    c = await api(`/api/v1/conversations/${enc(id)}`);
  } catch (err) {
    if (!alive()) return;
    if (err.status === 404) {
      clear(holder).append(h('div', { class: 'card empty', testid: 'conv-not-found' }, t('conv.notFound')));
      return;
    }
    throw err;
  }
  if (!alive()) return;
  clear(holder);

  const attrs = c.attributes && typeof c.attributes === 'object' ? Object.entries(c.attributes) : [];
  const header = h(
    'section',
    { class: 'card', testid: 'conv-header' },
    h('div', { class: 'card-title-row' }, h('h1', null, t('conv.detailTitle', { id: c.external_id || c.id })), badge(tEnum('channel', c.channel), `ch-${c.channel}`)),
    metaList([
      [t('conv.started'), formatTime(c.started_at)],
      [t('conv.ended'), formatTime(c.ended_at)],
      [t('conv.duration'), duration(c.started_at, c.ended_at)],
      [t('conv.queue'), c.queue],
      [t('conv.agent'), c.agent],
      [t('conv.customer'), c.customer_id],
      [t('conv.language'), c.language],
      [t('conv.source'), c.source],
      [t('conv.externalId'), c.external_id],
      c.audio_ref ? [t('conv.audio'), c.audio_ref] : null,
      [t('common.id'), c.id],
    ]),
    h('h3', null, t('conv.attributes')),
    attrs.length
      ? h('dl', { class: 'attrs', testid: 'conv-attributes' }, attrs.map(([k, v]) => h('div', { class: 'attr' }, h('dt', null, k), h('dd', null, attrValue(v)))))
      : h('p', { class: 'muted small' }, t('conv.noAttributes')),
  );

  const turns = Array.isArray(c.turns) ? c.turns : [];
  const transcript = h(
    'section',
    { class: 'card' },
    h('h2', null, t('conv.transcript')),
    turns.length
      ? h(
          'div',
          { class: 'transcript', testid: 'transcript' },
          turns.map((turn) => {
            const speaker = ['agent', 'customer', 'system'].includes(turn.speaker) ? turn.speaker : 'system';
            let label = tEnum('speaker', turn.speaker);
            if (turn.speaker === 'agent' && c.agent) label = `${label} · ${c.agent}`;
            return h(
              'div',
              { class: `turn turn-${speaker}`, testid: 'turn', dataset: { speaker: turn.speaker } },
              h(
                'div',
                { class: 'turn-meta' },
                h('span', { class: 'turn-speaker' }, label),
                turn.start_ms !== null && turn.start_ms !== undefined ? h('span', { class: 'turn-time' }, mmss(turn.start_ms)) : null,
              ),
              h('div', { class: 'bubble' }, turn.text || ''),
            );
          }),
        )
      : empty(t('conv.noTurns')),
  );

  const tickets = h('section', { class: 'card card-flush' }, h('h2', { class: 'card-pad' }, t('ticket.title')), h('div', { class: 'card-pad' }, loading()));
  holder.append(header, transcript, tickets);
  loadConversationTickets(tickets, c.id, alive);
}

async function loadConversationTickets(section, conversationId, alive) {
  const slot = section.lastChild;
  let data;
  let teams;
  try {
    [data, teams] = await Promise.all([api(`/api/v1/tickets${qs({ conversation: conversationId, limit: 100 })}`), loadTeams()]);
  } catch (err) {
    if (!alive() || err.handled) return;
    clear(slot).append(errorBox(err));
    return;
  }
  if (!alive()) return;
  const items = (data && data.items) || [];
  clear(slot);
  if (!items.length) {
    slot.append(h('p', { class: 'muted', testid: 'tickets-empty' }, t('ticket.none')));
    return;
  }
  slot.classList.remove('card-pad');
  const rows = items.map((tk) => {
    const catCell = h('td', { class: 'category' }, dash(tk.category));
    if (tk.category) {
      loadTaxNode(tk.category)
        .then((res) => {
          if (!alive()) return;
          const path = (res && res.path && res.path.length ? res.path : res && res.node ? [res.node] : []);
          if (path.length) {
            clear(catCell).append(pathLabel(path), h('div', { class: 'muted small' }, tk.category));
          }
        })
        .catch(() => {});
    }
    return h(
      'tr',
      { testid: 'ticket-row', dataset: { id: tk.id } },
      h('td', null, h('div', { class: 'strong' }, tk.title || ''), tk.summary ? h('div', { class: 'muted small clamp' }, tk.summary) : null),
      catCell,
      h('td', null, teamLabel(teams, tk.team)),
      h('td', null, badge(tEnum('priority', tk.priority), `pr-${tk.priority}`)),
      h('td', null, badge(tEnum('status', tk.status), `st-${tk.status}`)),
      h('td', { class: 'nowrap' }, formatTime(tk.created_at)),
    );
  });
  slot.append(table([t('ticket.subject'), t('ticket.category'), t('ticket.team'), t('ticket.priority'), t('ticket.status'), t('ticket.created')], rows, { testid: 'ticket-table' }));
}

// ---------------------------------------------------------------- taxonomy

async function pageTaxonomy(main, { query, alive }) {
  const q = query.get('q') || '';
  const teams = await loadTeams();
  if (!alive()) return;

  const input = h('input', { type: 'search', class: 'input grow', placeholder: t('tax.searchPlaceholder'), value: q, testid: 'tax-search', 'aria-label': t('common.search') });
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e) => {
        e.preventDefault();
        const v = input.value.trim();
        go(`#/taxonomy${qs({ q: v })}`);
      },
    },
    input,
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'tax-search-submit' }, t('common.search')),
    q ? h('button', { type: 'button', class: 'btn', onclick: () => go('#/taxonomy') }, t('common.clear')) : null,
  );

  const detail = h('section', { class: 'card tax-detail', testid: 'tax-detail' }, h('h2', null, t('tax.detail')), h('p', { class: 'muted' }, t('tax.selectHint')));
  const left = h('section', { class: 'card tax-left' }, form);
  main.append(pageHeader(t('tax.title')), h('div', { class: 'split' }, left, detail));

  const showDetail = async (code) => {
    clear(detail).append(h('h2', null, t('tax.detail')), loading());
    let res;
    try {
      res = await loadTaxNode(code);
    } catch (err) {
      if (!alive() || err.handled) return;
      clear(detail).append(h('h2', null, t('tax.detail')), errorBox(err));
      return;
    }
    if (!alive()) return;
    const node = res.node || {};
    const children = res.children || [];
    clear(detail).append(
      h('h2', null, localName(node)),
      h('div', { class: 'crumb-path' }, (res.path || []).map((p, i) => [i ? h('span', { class: 'sep' }, '/') : null, h('button', { type: 'button', class: 'link', onclick: () => showDetail(p.code) }, localName(p))])),
      metaList([
        [t('tax.code'), h('code', null, node.code || '')],
        [t('tax.nameZh'), node.name_zh],
        [t('tax.nameEn'), node.name_en],
        [t('tax.depth'), node.depth],
        [t('tax.team'), node.team ? teamLabel(teams, node.team) : ''],
        [t('tax.children'), String(children.length)],
      ]),
      children.length
        ? h(
            'ul',
            { class: 'child-list' },
            children.map((ch) => h('li', null, h('button', { type: 'button', class: 'link', onclick: () => showDetail(ch.code) }, localName(ch)), ' ', h('code', { class: 'muted small' }, ch.code))),
          )
        : h('p', { class: 'muted small' }, t('tax.leaf')),
    );
  };

  const nodeRow = (node, extra) => {
    const count = Number(node.child_count || 0);
    const li = h('li', { class: 'tax-item', testid: 'tax-node', dataset: { code: node.code, parent: node.parent || '', children: count, depth: node.depth } });
    const childUl = h('ul', { class: 'tree', hidden: true });
    let loaded = false;
    const toggle = h(
      'button',
      {
        type: 'button',
        class: `tree-toggle${count ? '' : ' invisible'}`,
        testid: 'tax-toggle',
        'aria-expanded': 'false',
        'aria-label': t('tax.expand'),
        disabled: !count,
        onclick: async (e) => {
          e.stopPropagation();
          const open = toggle.getAttribute('aria-expanded') === 'true';
          if (open) {
            toggle.setAttribute('aria-expanded', 'false');
            toggle.setAttribute('aria-label', t('tax.expand'));
            childUl.hidden = true;
            return;
          }
          toggle.setAttribute('aria-expanded', 'true');
          toggle.setAttribute('aria-label', t('tax.collapse'));
          childUl.hidden = false;
          if (!loaded) {
            loaded = true;
            childUl.append(h('li', { class: 'tree-loading' }, loading()));
            try {
              const data = await api(`/api/v1/taxonomy${qs({ parent: node.code })}`);
              if (!alive()) return;
              add(clear(childUl), ((data && data.items) || []).map((ch) => nodeRow(ch)));
            } catch (err) {
              loaded = false;
              if (!alive() || err.handled) return;
              clear(childUl).append(h('li', null, errorBox(err)));
            }
          }
        },
      },
      h('span', { class: 'chev', 'aria-hidden': 'true' }),
    );
    const row = h(
      'div',
      { class: 'tree-row', onclick: () => showDetail(node.code) },
      toggle,
      h('span', { class: 'tree-name' }, extra || localName(node)),
      h('code', { class: 'tree-code' }, node.code),
      node.team ? h('span', { class: 'badge badge-team', title: t('tax.team') }, teamLabel(teams, node.team)) : null,
      count ? h('span', { class: 'tree-count muted small' }, t('tax.childCount', { n: count })) : null,
    );
    li.append(row, childUl);
    return li;
  };

  if (q) {
    const box = h('div', null, loading());
    left.append(box);
    const data = await api(`/api/v1/taxonomy/search${qs({ q, limit: 50 })}`);
    if (!alive()) return;
    const items = (data && data.items) || [];
    clear(box).append(h('h3', null, t('tax.results', { n: items.length })));
    if (!items.length) {
      box.append(empty(t('tax.noResults')));
      return;
    }
    box.append(
      h(
        'ul',
        { class: 'tree tree-results', testid: 'tax-results' },
        items.map((it) => {
          const path = it.path && it.path.length ? it.path : [it.node];
          return nodeRow(it.node || {}, pathLabel(path));
        }),
      ),
    );
    return;
  }

  const box = h('div', null, h('h3', null, t('tax.tree')), loading());
  left.append(box);
  const data = await api('/api/v1/taxonomy');
  if (!alive()) return;
  const items = (data && data.items) || [];
  box.lastChild.remove();
  if (!items.length) {
    box.append(empty(t('tax.noRoots')));
    return;
  }
  box.append(h('ul', { class: 'tree tree-root', testid: 'tax-tree' }, items.map((n) => nodeRow(n))));
}

// ---------------------------------------------------------------- knowledge

const KINDS = ['faq', 'article', 'flow'];

async function pageKnowledge(main, { query, alive }) {
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : 'faq';
  const q = query.get('q') || '';
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const toHash = (off, over = {}) => `#/knowledge${qs({ kind, q, offset: off || '', ...over })}`;

  main.append(pageHeader(t('kn.title')));
  main.append(
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      KINDS.map((k) =>
        h('a', { href: `#/knowledge${qs({ kind: k, q })}`, role: 'tab', class: `tab${k === kind ? ' active' : ''}`, 'aria-selected': k === kind ? 'true' : 'false', testid: `kn-tab-${k}` }, t(`kind.${k}`)),
      ),
    ),
  );
  const input = h('input', { type: 'search', class: 'input grow', placeholder: t('kn.searchPlaceholder'), value: q, testid: 'kn-search', 'aria-label': t('common.search') });
  main.append(
    h(
      'form',
      {
        class: 'filters card',
        onsubmit: (e) => {
          e.preventDefault();
          go(toHash(0, { q: input.value.trim(), offset: '' }));
        },
      },
      input,
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')),
      q ? h('button', { type: 'button', class: 'btn', onclick: () => go(`#/knowledge${qs({ kind })}`) }, t('common.clear')) : null,
    ),
  );
  const body = h('div', { class: 'card card-flush' }, loading());
  main.append(body);

  const data = await api(`/api/v1/knowledge${qs({ kind, q, limit: PAGE_SIZE, offset })}`);
  if (!alive()) return;
  const items = (data && data.items) || [];
  const total = typeof (data && data.total) === 'number' ? data.total : items.length;
  clear(body);
  if (!items.length) {
    body.append(empty());
    return;
  }
  const rows = items.map((it) => {
    const href = `#/knowledge/${enc(it.id)}`;
    return h(
      'tr',
      { class: 'clickable', testid: 'knowledge-row', dataset: { id: it.id, kind: (it.body && it.body.kind) || kind }, onclick: () => go(href) },
      h('td', null, h('a', { href, class: 'strong' }, it.title || it.key || it.id)),
      h('td', null, h('code', null, it.key || '')),
      h('td', null, dash(it.category)),
      h('td', null, (it.tags || []).map((tag) => badge(tag, 'tag'))),
      h('td', { class: 'num' }, `v${it.version ?? ''}`),
      h('td', { class: 'nowrap' }, formatTime(it.updated_at)),
    );
  });
  body.append(
    table([t('kn.itemTitle'), t('kn.key'), t('kn.category'), t('kn.tags'), t('kn.version'), t('kn.updated')], rows, { testid: 'knowledge-table' }),
    pager(total, offset, PAGE_SIZE, (off) => toHash(off)),
  );
}

function renderMarkdown(md) {
  // Not a Markdown renderer: the text as written, with heading lines bolded.
  const box = h('div', { class: 'markdown' });
  const lines = String(md || '').split('\n');
  lines.forEach((line, i) => {
    const m = line.match(/^(#{1,6})\s+(.*)$/);
    if (m) box.append(h('strong', { class: `md-h md-h${m[1].length}` }, m[2]));
    else box.append(document.createTextNode(line));
    if (i < lines.length - 1) box.append(document.createTextNode('\n'));
  });
  return box;
}

function renderFlow(body) {
  const steps = Array.isArray(body.steps) ? body.steps : [];
  const jump = (id) => (e) => {
    e.preventDefault();
    const target = document.querySelector(`[data-step-id="${cssString(id)}"]`);
    if (target) {
      target.scrollIntoView({ behavior: 'smooth', block: 'center' });
      target.classList.remove('flash');
      void target.offsetWidth;
      target.classList.add('flash');
    }
  };
  const stepLink = (id) => h('button', { type: 'button', class: 'link step-link', onclick: jump(id) }, id);
  return h(
    'div',
    { class: 'flow' },
    body.description ? h('div', null, h('h3', null, t('kn.description')), h('p', { class: 'prewrap' }, body.description)) : null,
    h('h3', null, t('kn.steps')),
    h(
      'ol',
      { class: 'flow-steps', testid: 'flow-steps' },
      steps.map((s) =>
        h(
          'li',
          { class: `flow-step step-${s.kind}`, dataset: { stepId: s.id } },
          h(
            'div',
            { class: 'step-head' },
            h('code', { class: 'step-id' }, s.id),
            badge(tEnum('stepkind', s.kind), `step-${s.kind}`),
            s.id === body.start ? badge(t('kn.start'), 'start') : null,
          ),
          h('div', { class: 'step-text prewrap' }, s.text || ''),
          Array.isArray(s.options) && s.options.length
            ? h('ul', { class: 'step-options' }, s.options.map((o) => h('li', null, h('span', { class: 'opt-label' }, o.label), h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '), stepLink(o.next))))
            : null,
          s.next ? h('div', { class: 'step-next muted' }, `${t('kn.next')} → `, stepLink(s.next)) : null,
        ),
      ),
    ),
  );
}

async function pageKnowledgeItem(main, { params, alive }) {
  const id = params[0];
  const back = h('a', { href: '#/knowledge' }, `← ${t('kn.backToList')}`);
  main.append(h('div', { class: 'crumbs' }, back));
  const holder = h('div', null, loading());
  main.append(holder);
  let it;
  try {
    it = await api(`/api/v1/knowledge/${enc(id)}`);
  } catch (err) {
    if (!alive()) return;
    if (err.status === 404) {
      clear(holder).append(h('div', { class: 'card empty' }, t('kn.notFound')));
      return;
    }
    throw err;
  }
  if (!alive()) return;
  const body = it.body || {};
  const kind = body.kind || '';
  if (KINDS.includes(kind)) back.setAttribute('href', `#/knowledge${qs({ kind })}`);

  let content;
  if (kind === 'faq') {
    const questions = Array.isArray(body.questions) ? body.questions : [];
    content = h(
      'div',
      { class: 'faq' },
      h('h3', null, t('kn.questions')),
      h('ol', { class: 'faq-questions' }, questions.map((q, i) => h('li', { class: i === 0 ? 'main-q' : '' }, q, i === 0 ? [' ', badge(t('kn.mainQuestion'), 'start')] : null))),
      h('h3', null, t('kn.answer')),
      h('div', { class: 'answer prewrap' }, body.answer || ''),
    );
  } else if (kind === 'article') {
    content = h('div', null, h('h3', null, t('kn.content')), renderMarkdown(body.markdown));
  } else if (kind === 'flow') {
    content = renderFlow(body);
  } else {
    content = h('pre', { class: 'markdown' }, JSON.stringify(body, null, 2));
  }

  clear(holder).append(
    h(
      'section',
      { class: 'card', testid: 'knowledge-view', dataset: { kind } },
      h('div', { class: 'card-title-row' }, h('h1', null, it.title || it.key || it.id), badge(tEnum('kind', kind), `kind-${kind}`)),
      metaList([
        [t('kn.key'), it.key],
        [t('kn.category'), it.category],
        [t('kn.language'), it.language],
        [t('kn.tags'), (it.tags || []).length ? h('span', null, it.tags.map((tag) => badge(tag, 'tag'))) : ''],
        [t('kn.version'), it.version !== undefined ? `v${it.version}` : ''],
        [t('kn.updated'), formatTime(it.updated_at)],
        [t('kn.updatedBy'), it.updated_by],
      ]),
    ),
    h('section', { class: 'card' }, content),
  );
}

// ---------------------------------------------------------------- admin

async function pageAdmin(main, { alive }) {
  if (!state.user || state.user.role !== 'admin') {
    main.append(forbiddenBox());
    return;
  }
  main.append(pageHeader(t('admin.title')));
  const usersCard = h('section', { class: 'card card-flush' }, h('h2', { class: 'card-pad' }, t('admin.users')), h('div', { class: 'card-pad' }, loading()));
  const teamsCard = h('section', { class: 'card card-flush' }, h('h2', { class: 'card-pad' }, t('admin.teams')), h('div', { class: 'card-pad' }, loading()));
  const tokensCard = h('section', { class: 'card card-flush', testid: 'tokens' }, h('h2', { class: 'card-pad' }, t('admin.tokens')));
  main.append(usersCard, tokensCard, teamsCard);

  const fill = (card, node) => {
    const slot = card.lastChild;
    slot.replaceWith(node);
  };

  const [users, teams] = await Promise.allSettled([api('/api/v1/users'), api('/api/v1/teams')]);
  if (!alive()) return;

  if (users.status === 'fulfilled') {
    const items = (users.value && users.value.items) || [];
    fill(
      usersCard,
      table(
        [t('user.username'), t('user.displayName'), t('user.role'), t('user.team'), t('user.status')],
        items.map((u) =>
          h(
            'tr',
            { dataset: { username: u.username } },
            h('td', null, h('code', null, u.username)),
            h('td', null, dash(u.display_name)),
            h('td', null, badge(tEnum('role', u.role), 'role')),
            h('td', null, dash(u.team)),
            h('td', null, u.active ? badge(t('user.active'), 'ok') : badge(t('user.inactive'), 'off')),
          ),
        ),
        { testid: 'users-table' },
      ),
    );
  } else if (!users.reason.handled) fill(usersCard, h('div', { class: 'card-pad' }, errorBox(users.reason)));

  if (teams.status === 'fulfilled') {
    const items = (teams.value && teams.value.items) || [];
    fill(
      teamsCard,
      items.length
        ? table(
            [t('team.code'), t('team.nameZh'), t('team.nameEn'), t('team.dispatch')],
            items.map((tm) =>
              h(
                'tr',
                { dataset: { code: tm.code } },
                h('td', null, h('code', null, tm.code)),
                h('td', null, dash(tm.name_zh)),
                h('td', null, dash(tm.name_en)),
                h('td', null, tm.dispatch ? t('common.yes') : t('common.no')),
              ),
            ),
            { testid: 'teams-table' },
          )
        : h('div', { class: 'card-pad' }, empty()),
    );
  } else if (!teams.reason.handled) fill(teamsCard, h('div', { class: 'card-pad' }, errorBox(teams.reason)));

  renderTokens(tokensCard, alive);
}

function renderTokens(card, alive) {
  const nameInput = h('input', { type: 'text', class: 'input grow', placeholder: t('token.namePlaceholder'), testid: 'token-name', maxlength: '100', 'aria-label': t('token.name') });
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const newBox = h('div', { class: 'token-new-slot' });
  const list = h('div', null, loading());

  const refresh = async () => {
    let data;
    try {
      data = await api('/api/v1/tokens');
    } catch (err) {
      if (!alive() || err.handled) return;
      clear(list).append(h('div', { class: 'card-pad' }, errorBox(err)));
      return;
    }
    if (!alive()) return;
    const items = (data && data.items) || [];
    clear(list);
    if (!items.length) {
      list.append(h('div', { class: 'card-pad', testid: 'tokens-empty' }, empty(t('token.none'))));
      return;
    }
    list.append(
      table(
        [t('token.name'), t('token.owner'), t('token.created'), t('token.lastUsed'), ''],
        items.map((tk) =>
          h(
            'tr',
            { testid: 'token-row', dataset: { id: tk.id } },
            h('td', null, h('strong', null, tk.name || '')),
            h('td', null, dash(tk.username)),
            h('td', { class: 'nowrap' }, formatTime(tk.created_at)),
            h('td', { class: 'nowrap' }, tk.last_used_at ? formatTime(tk.last_used_at) : h('span', { class: 'muted' }, t('token.never'))),
            h(
              'td',
              { class: 'right' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn-small btn-danger',
                  testid: 'token-revoke',
                  onclick: async (e) => {
                    if (!window.confirm(t('token.revokeConfirm', { name: tk.name || tk.id }))) return;
                    e.target.disabled = true;
                    try {
                      await api(`/api/v1/tokens/${enc(tk.id)}`, { method: 'DELETE' });
                    } catch (err) {
                      if (err.handled) return;
                      e.target.disabled = false;
                      formError.textContent = err.message;
                      formError.hidden = false;
                      return;
                    }
                    refresh();
                  },
                },
                t('token.revoke'),
              ),
            ),
          ),
        ),
        { testid: 'tokens-table' },
      ),
    );
  };

  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'token-create' }, t('token.create'));
  const form = h(
    'form',
    {
      class: 'filters card-pad',
      onsubmit: async (e) => {
        e.preventDefault();
        formError.hidden = true;
        const name = nameInput.value.trim();
        if (!name) {
          formError.textContent = t('token.nameRequired');
          formError.hidden = false;
          return;
        }
        submit.disabled = true;
        let res;
        try {
          res = await api('/api/v1/tokens', { method: 'POST', body: { name } });
        } catch (err) {
          submit.disabled = false;
          if (err.handled) return;
          formError.textContent = err.message;
          formError.hidden = false;
          return;
        }
        submit.disabled = false;
        nameInput.value = '';
        const tokenText = h('code', { class: 'token-secret', testid: 'token-secret' }, (res && res.token) || '');
        const copyBtn = h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small',
            onclick: async () => {
              try {
                await navigator.clipboard.writeText((res && res.token) || '');
              } catch {
                const range = document.createRange();
                range.selectNodeContents(tokenText);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                try {
                  document.execCommand('copy');
                } catch {
                  // the token stays selected for a manual copy
                }
              }
              copyBtn.textContent = t('token.copied');
            },
          },
          t('token.copy'),
        );
        clear(newBox).append(
          h(
            'div',
            { class: 'alert alert-success token-new', testid: 'token-new', role: 'status' },
            h('strong', null, t('token.newTitle', { name: (res && res.name) || name })),
            h('div', { class: 'small' }, t('token.newNotice')),
            h('div', { class: 'token-line' }, tokenText, copyBtn, h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => clear(newBox) }, t('token.dismiss'))),
          ),
        );
        refresh();
      },
    },
    nameInput,
    submit,
  );

  card.append(form, h('div', { class: 'card-pad' }, formError, newBox), list);
  refresh();
}

// ---------------------------------------------------------------- boot

window.addEventListener('hashchange', route);
route();
