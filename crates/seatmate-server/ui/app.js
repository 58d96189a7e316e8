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
  const aftercall = h('section', { class: 'card aftercall', testid: 'aftercall' }, h('h2', null, t('ac.title')), loading());
  const assist = turns.length ? liveAssist(c, transcript, alive) : null;
  holder.append(header, h('div', { class: 'conv-grid' }, transcript, h('div', { class: 'conv-side' }, assist, askBox(alive))), aftercall, tickets);
  const refreshTickets = () => loadConversationTickets(tickets, c.id, alive);
  refreshTickets().then((items) => {
    if (alive()) renderAfterCall(aftercall, c, items, { alive, refreshTickets });
  });
}

async function loadConversationTickets(section, conversationId, alive) {
  const slot = section.lastChild;
  let data;
  let teams;
  try {
    [data, teams] = await Promise.all([api(`/api/v1/tickets${qs({ conversation: conversationId, limit: 100 })}`), loadTeams()]);
  } catch (err) {
    if (!alive() || err.handled) return null;
    clear(slot).append(errorBox(err));
    return null;
  }
  if (!alive()) return null;
  const items = (data && data.items) || [];
  clear(slot);
  if (!items.length) {
    slot.classList.add('card-pad');
    slot.append(h('p', { class: 'muted', testid: 'tickets-empty' }, t('ticket.none')));
    return items;
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
  return items;
}

// ---------------------------------------------------------------- after-call work

/** A probability as a whole percentage, never rounding a small chance to 0% or a doubt to 100%. */
function pct(p) {
  if (p === null || p === undefined || Number.isNaN(Number(p))) return t('common.none');
  const v = Number(p) * 100;
  if (v > 0 && v < 1) return '<1%';
  if (v > 99 && v < 100) return '>99%';
  return `${Math.round(v)}%`;
}

/**
 * Explanation features are prefixed by kind (w: word, b: word pair, h: character pair, c: character);
 * character n-grams of Latin words carry < and > at word boundaries. Both are dropped for display.
 */
function featureLabel(feature) {
  return String(feature || '')
    .replace(/^[wbhc]:/, '')
    .replace(/^<|>$/g, '')
    .trim();
}

/** A lone Latin letter or digit says nothing to a reader; a lone Chinese character may. */
function featureReadable(label) {
  return label.length > 1 || !/^[\x00-\x7f]$/.test(label);
}

function pathView(path, code) {
  const nodes = path && path.length ? path : null;
  if (!nodes) return h('span', { class: 'cat-path' }, h('strong', null, code || ''));
  return h(
    'span',
    { class: 'cat-path' },
    nodes.map((node, i) =>
      i === nodes.length - 1
        ? h('strong', null, localName(node))
        : [h('span', { class: 'cat-anc' }, localName(node)), h('span', { class: 'sep', 'aria-hidden': 'true' }, ' / ')],
    ),
  );
}

function renderAfterCall(card, conversation, items, ctx) {
  const { alive } = ctx;
  const body = h('div', { class: 'ac-body' });
  clear(card).append(h('div', { class: 'card-title-row' }, h('h2', null, t('ac.title'))), body);
  const existing = items && items.length ? items[0] : null;
  if (existing) {
    openAfterCallTicket(body, existing.id, ctx);
    return;
  }
  const openBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary',
      testid: 'aftercall-open',
      onclick: async () => {
        openBtn.disabled = true;
        openBtn.textContent = t('ac.opening');
        errSlot.hidden = true;
        let res;
        try {
          res = await api(`/api/v1/conversations/${enc(conversation.id)}/ticket`, { method: 'POST' });
        } catch (err) {
          if (!alive() || err.handled) return;
          openBtn.disabled = false;
          openBtn.textContent = t('ac.open');
          clear(errSlot).append(errorBox(err));
          errSlot.hidden = false;
          return;
        }
        if (!alive()) return;
        ctx.refreshTickets();
        await showAfterCallForm(body, res.ticket, res.suggestion, ctx);
      },
    },
    t('ac.open'),
  );
  const errSlot = h('div', { hidden: true });
  body.append(h('p', { class: 'muted' }, t('ac.intro')), h('div', { class: 'ac-actions' }, openBtn), errSlot);
}

async function openAfterCallTicket(body, ticketId, ctx, notice) {
  const { alive } = ctx;
  clear(body).append(loading());
  let detail;
  let suggestion;
  try {
    [detail, suggestion] = await Promise.all([api(`/api/v1/tickets/${enc(ticketId)}`), api(`/api/v1/tickets/${enc(ticketId)}/suggestion`)]);
  } catch (err) {
    if (!alive() || err.handled) return;
    clear(body).append(errorBox(err));
    return;
  }
  if (!alive()) return;
  await showAfterCallForm(body, detail.ticket, suggestion, ctx, { events: detail.events, notice });
}

async function showAfterCallForm(body, ticket, suggestion, ctx, { events, notice } = {}) {
  const { alive } = ctx;
  const teams = await loadTeams();
  if (!alive()) return;
  const s = suggestion || {};
  const candidates = Array.isArray(s.candidates) ? s.candidates : [];
  const radioName = `ac-category-${ticket.id}`;
  const st = { selected: ticket.category || null, other: null };

  // ---- suggestions
  const options = candidates.map((cand, i) => {
    const radio = h('input', { type: 'radio', name: radioName, value: cand.category, class: 'sugg-radio' });
    const fill = h('span', { class: 'sugg-fill' });
    fill.style.width = `${Math.max(0, Math.min(100, Number(cand.probability) * 100))}%`;
    const label = h(
      'label',
      { class: 'suggestion', testid: 'suggestion', dataset: { category: cand.category, probability: cand.probability, rank: i + 1 } },
      radio,
      h(
        'span',
        { class: 'sugg-main' },
        h('span', { class: 'sugg-head' }, pathView(cand.path, cand.category), cand.category === ticket.category ? badge(t('ac.current'), 'current') : null),
        h('code', { class: 'muted small' }, cand.category),
      ),
      h(
        'span',
        { class: 'sugg-conf', title: t('ac.confidence') },
        h('span', { class: 'sugg-bar', role: 'presentation' }, fill),
        h('span', { class: 'sugg-pct', testid: 'suggestion-pct' }, pct(cand.probability)),
      ),
    );
    radio.addEventListener('change', () => {
      if (radio.checked) select(cand.category, null);
    });
    return { category: cand.category, radio, label };
  });

  const otherSlot = h('div', { class: 'sugg-other-slot' });
  const renderOther = () => {
    clear(otherSlot);
    if (!st.selected || options.some((o) => o.category === st.selected)) return;
    const code = st.selected;
    const radio = h('input', { type: 'radio', name: radioName, value: code, class: 'sugg-radio', checked: true });
    const pathBox = h('span', { class: 'sugg-head' }, st.other && st.other.path ? pathView(st.other.path, code) : pathView(null, code));
    otherSlot.append(
      h(
        'label',
        { class: 'suggestion suggestion-other selected', testid: 'category-other', dataset: { category: code } },
        radio,
        h('span', { class: 'sugg-main' }, pathBox, h('code', { class: 'muted small' }, code)),
        h('span', { class: 'sugg-conf' }, badge(code === ticket.category ? t('ac.current') : t('ac.chosen'), code === ticket.category ? 'current' : 'chosen')),
      ),
    );
    if (!st.other || !st.other.path) {
      loadTaxNode(code)
        .then((res) => {
          if (!alive() || st.selected !== code || !res || !res.path) return;
          st.other = { category: code, path: res.path };
          clear(pathBox).append(pathView(res.path, code));
        })
        .catch(() => {});
    }
  };

  // ---- category search
  const searchInput = h('input', {
    type: 'search',
    class: 'input grow',
    testid: 'ticket-category-search',
    placeholder: t('ac.searchPlaceholder'),
    'aria-label': t('ac.searchPlaceholder'),
    autocomplete: 'off',
  });
  const results = h('ul', { class: 'cat-results', testid: 'category-results', hidden: true });
  let searchSeq = 0;
  let searchTimer = null;
  const runSearch = async () => {
    const q = searchInput.value.trim();
    const mySeq = ++searchSeq;
    if (!q) {
      clear(results).hidden = true;
      return;
    }
    let data;
    try {
      data = await api(`/api/v1/taxonomy/search${qs({ q, limit: 10 })}`);
    } catch (err) {
      if (!alive() || err.handled || mySeq !== searchSeq) return;
      clear(results).append(h('li', null, errorBox(err)));
      results.hidden = false;
      return;
    }
    if (!alive() || mySeq !== searchSeq) return;
    const found = (data && data.items) || [];
    clear(results).hidden = false;
    if (!found.length) {
      results.append(h('li', { class: 'muted small cat-none' }, t('tax.noResults')));
      return;
    }
    add(
      results,
      found.map((it) => {
        const node = it.node || {};
        const path = it.path && it.path.length ? it.path : [node];
        return h(
          'li',
          null,
          h(
            'button',
            {
              type: 'button',
              class: 'cat-result',
              testid: 'category-result',
              dataset: { code: node.code },
              onclick: () => {
                select(node.code, { category: node.code, path });
                searchInput.value = '';
                clear(results).hidden = true;
              },
            },
            pathView(path, node.code),
            h('code', { class: 'muted small' }, node.code),
          ),
        );
      }),
    );
  };
  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 250);
  });
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(searchTimer);
      runSearch();
    }
  });

  // ---- hints
  const hints = [];
  if (s.auto_accept && ticket.status !== 'confirmed' && ticket.status !== 'closed') hints.push(h('div', { class: 'alert alert-info small', testid: 'auto-accept-hint' }, t('ac.autoAcceptedHint', { threshold: pct(s.threshold) })));
  if (s.none_of_these) hints.push(h('div', { class: 'alert alert-warning', testid: 'none-of-these', role: 'status' }, t('ac.noneOfThese')));
  if (s.back_off) {
    const bo = s.back_off;
    hints.push(
      h(
        'div',
        { class: 'alert alert-warning back-off', testid: 'back-off', dataset: { category: bo.category } },
        h('div', null, t('ac.backOff', { pct: pct(bo.probability) })),
        h(
          'div',
          { class: 'back-off-row' },
          pathView(bo.path, bo.category),
          h('button', { type: 'button', class: 'btn btn-small', testid: 'back-off-use', onclick: () => select(bo.category, { category: bo.category, path: bo.path }) }, t('ac.useBackOff')),
        ),
      ),
    );
  }
  if (!candidates.length) hints.push(h('div', { class: 'alert alert-warning', testid: 'no-model' }, t('ac.noModel')));

  const seen = new Set();
  const features = (Array.isArray(s.explanation) ? s.explanation : [])
    .map(([feature, weight]) => [featureLabel(feature), weight])
    .filter(([label]) => label && featureReadable(label) && !seen.has(label) && seen.add(label))
    .slice(0, 10);
  const why = features.length
    ? h(
        'div',
        { class: 'ac-why', testid: 'explanation' },
        h('h3', null, t('ac.why')),
        h('div', { class: 'chips' }, features.map(([label, weight]) => h('span', { class: 'chip', testid: 'explanation-feature', title: t('ac.weight', { w: Number(weight).toFixed(3) }) }, label))),
      )
    : null;

  // ---- team, priority, summary
  const dispatchTeams = [...teams.values()].filter((tm) => tm.dispatch);
  const teamSel = h(
    'select',
    { class: 'input', id: `ac-team-${ticket.id}`, testid: 'ticket-team' },
    h('option', { value: '' }, t('ac.noTeam')),
    dispatchTeams.map((tm) => h('option', { value: tm.code }, teamLabel(teams, tm.code))),
  );
  const initialTeam = ticket.team || (s.dispatch && s.dispatch.team) || '';
  if (initialTeam && !dispatchTeams.some((tm) => tm.code === initialTeam)) teamSel.append(h('option', { value: initialTeam }, teamLabel(teams, initialTeam)));
  teamSel.value = initialTeam;
  const dispatchInfo = h('div', { class: 'field-hint', testid: 'dispatch-reason' });
  const showDispatch = (decision, category) => {
    clear(dispatchInfo);
    dispatchInfo.dataset.category = category || '';
    delete dispatchInfo.dataset.pending;
    dispatchInfo.classList.toggle('muted', !decision);
    if (decision) {
      dispatchInfo.dataset.source = decision.source;
      dispatchInfo.append(
        h('div', null, t('ac.dispatchSuggested', { team: teamLabel(teams, decision.team), source: tEnum('dispatch', decision.source) })),
        decision.reason ? h('div', { class: 'muted' }, decision.reason) : null,
      );
    } else {
      delete dispatchInfo.dataset.source;
      dispatchInfo.append(t('ac.noDispatch'));
    }
  };
  // the suggestion's dispatch is for its top category at its suggested priority; another
  // category or priority is asked for again, and the team follows unless the agent set it here
  const dispatchKey = (category, priority) => `${category || ''}\u0000${priority || ''}`;
  const dispatchCache = new Map();
  const topCategory = candidates.length ? candidates[0].category : null;
  if (topCategory) dispatchCache.set(dispatchKey(topCategory, s.priority), s.dispatch || null);
  let shownKey = dispatchKey(topCategory, s.priority);
  let dispatchSeq = 0;
  let teamTouched = false;
  showDispatch(s.dispatch || null, topCategory);
  const applyDispatch = (decision, moveTeam) => {
    if (!moveTeam || teamTouched || !decision || !decision.team) return;
    if (![...teamSel.options].some((o) => o.value === decision.team)) return;
    teamSel.value = decision.team;
    updateConfirm();
  };
  const redispatch = async (moveTeam = true) => {
    const category = st.selected;
    const priority = prioSel.value;
    const key = dispatchKey(category, priority);
    if (key === shownKey) return;
    shownKey = key;
    const mySeq = ++dispatchSeq;
    if (!category) {
      showDispatch(null, null);
      return;
    }
    let decision;
    if (dispatchCache.has(key)) decision = dispatchCache.get(key);
    else {
      dispatchInfo.dataset.pending = 'true';
      try {
        const res = await api('/api/v1/dispatch', { method: 'POST', body: { category, conversation_id: ticket.conversation_id, priority } });
        decision = (res && res.decision) || null;
      } catch (err) {
        if (!alive() || mySeq !== dispatchSeq) return;
        delete dispatchInfo.dataset.pending;
        // ask again on the next change; the shown suggestion stays
        shownKey = null;
        return;
      }
      dispatchCache.set(key, decision);
      if (!alive() || mySeq !== dispatchSeq) return;
    }
    showDispatch(decision, category);
    applyDispatch(decision, moveTeam);
  };

  const prioSel = h(
    'select',
    { class: 'input', id: `ac-priority-${ticket.id}`, testid: 'ticket-priority' },
    ['low', 'normal', 'high', 'urgent'].map((p) => h('option', { value: p }, tEnum('priority', p))),
  );
  prioSel.value = ticket.priority || s.priority || 'normal';
  const prioHint = s.priority && s.priority !== prioSel.value ? h('div', { class: 'field-hint muted' }, t('ac.prioritySuggested', { priority: tEnum('priority', s.priority) })) : null;

  const summary = h('textarea', { class: 'input textarea', id: `ac-summary-${ticket.id}`, testid: 'ticket-summary', rows: '4', placeholder: t('ac.summaryPlaceholder') });
  summary.value = ticket.summary || '';

  const confirmBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'ticket-confirm' }, t('ac.confirm'));
  const message = h('div', { class: 'ac-message', testid: 'aftercall-message' });
  if (notice) message.append(notice);

  const changed = () =>
    (st.selected || '') !== (ticket.category || '') || teamSel.value !== (ticket.team || '') || prioSel.value !== (ticket.priority || '');
  const updateConfirm = () => {
    const isCorrection = changed();
    confirmBtn.textContent = isCorrection ? t('ac.confirmCorrection') : t('ac.confirm');
    confirmBtn.dataset.correction = String(isCorrection);
  };

  let initialized = false;
  function select(code, other) {
    st.selected = code;
    if (other) st.other = other;
    else if (!options.some((o) => o.category === code)) st.other = null;
    for (const o of options) {
      const on = o.category === code;
      o.radio.checked = on;
      o.label.classList.toggle('selected', on);
    }
    renderOther();
    updateConfirm();
    if (initialized) redispatch();
  }
  teamSel.addEventListener('change', () => {
    teamTouched = true;
    updateConfirm();
  });
  prioSel.addEventListener('change', () => {
    updateConfirm();
    redispatch();
  });

  const history = h('div', { class: 'ac-history' });

  const form = h(
    'form',
    {
      class: 'ac-form',
      testid: 'ticket-form',
      dataset: { ticket: ticket.id },
      onsubmit: async (e) => {
        e.preventDefault();
        clear(message);
        const wasCorrection = changed();
        const payload = { priority: prioSel.value, summary: summary.value };
        if (st.selected) payload.category = st.selected;
        if (teamSel.value) payload.team = teamSel.value;
        confirmBtn.disabled = true;
        confirmBtn.textContent = t('ac.confirming');
        try {
          await api(`/api/v1/tickets/${enc(ticket.id)}/confirm`, { method: 'POST', body: payload });
        } catch (err) {
          if (!alive() || err.handled) return;
          confirmBtn.disabled = false;
          updateConfirm();
          message.append(errorBox(err));
          return;
        }
        if (!alive()) return;
        ctx.refreshTickets();
        const done = h('div', { class: 'alert alert-success', testid: 'aftercall-done', role: 'status' }, wasCorrection ? t('ac.doneCorrected') : t('ac.doneConfirmed'));
        openAfterCallTicket(body, ticket.id, ctx, done);
      },
    },
    h(
      'div',
      { class: 'ac-head' },
      h('span', { class: 'ac-ticket-title strong' }, ticket.title || ''),
      h('span', { class: 'ac-badges' },
        h('span', { class: `badge badge-st-${ticket.status}`, testid: 'ticket-status', dataset: { status: ticket.status } }, tEnum('status', ticket.status)),
        s.auto_accept ? h('span', { class: 'badge badge-auto', testid: 'auto-accepted' }, t('ac.autoAccepted')) : null,
        s.model_version !== null && s.model_version !== undefined ? h('span', { class: 'muted small' }, t('ac.modelVersion', { v: s.model_version })) : null,
      ),
    ),
    hints,
    h(
      'div',
      { class: 'ac-grid' },
      h(
        'div',
        { class: 'ac-left' },
        h('h3', null, t('ac.suggestions')),
        h('div', { class: 'suggestions', role: 'radiogroup', 'aria-label': t('ac.suggestions'), testid: 'suggestions' }, options.map((o) => o.label)),
        otherSlot,
        h('div', { class: 'cat-search' }, searchInput, results),
        why,
      ),
      h(
        'div',
        { class: 'ac-right' },
        h('label', { class: 'field-label', for: teamSel.id }, t('ticket.team')),
        teamSel,
        dispatchInfo,
        h('label', { class: 'field-label', for: prioSel.id }, t('ticket.priority')),
        prioSel,
        prioHint,
        h('label', { class: 'field-label', for: summary.id }, t('ac.summary')),
        summary,
        h('div', { class: 'ac-actions' }, confirmBtn),
        message,
      ),
    ),
  );

  clear(body).append(form, history);
  select(st.selected, null);
  // a stored ticket may already have another category or priority than the suggestion's: show
  // the dispatch for what the form holds, but keep the team the ticket has
  initialized = true;
  redispatch(!ticket.team);
  if (events) renderTicketHistory(history, events, teams, alive);
  else {
    api(`/api/v1/tickets/${enc(ticket.id)}`)
      .then((detail) => {
        if (alive() && detail) renderTicketHistory(history, detail.events || [], teams, alive);
      })
      .catch(() => {});
  }
}

const EVENT_FIELDS = ['category', 'team', 'priority', 'summary', 'status'];

function eventValue(field, value, teams, alive) {
  if (value === null || value === undefined || value === '') return h('span', { class: 'muted' }, t('common.none'));
  if (field === 'team') return h('span', null, teamLabel(teams, value));
  if (field === 'priority') return h('span', null, tEnum('priority', value));
  if (field === 'status') return h('span', null, tEnum('status', value));
  if (field === 'category') {
    const el = h('span', { title: value }, value);
    loadTaxNode(value)
      .then((res) => {
        if (alive() && res && res.path && res.path.length) clear(el).append(pathLabel(res.path));
      })
      .catch(() => {});
    return el;
  }
  return h('span', { class: 'ev-text' }, value);
}

function renderTicketHistory(box, events, teams, alive) {
  clear(box);
  if (!events || !events.length) return;
  box.append(
    h('h3', null, t('ac.history')),
    h(
      'ol',
      { class: 'ticket-history', testid: 'ticket-history' },
      events.map((ev) =>
        h(
          'li',
          { class: `ev ev-${ev.action}`, testid: 'ticket-event', dataset: { action: ev.action, field: ev.field } },
          h('span', { class: 'ev-time nowrap muted small' }, formatTime(ev.at)),
          h('span', { class: `badge badge-ev-${ev.action}` }, tEnum('event', ev.action)),
          h('span', { class: 'ev-actor' }, ev.actor === 'auto' ? t('model.auto') : ev.actor || ''),
          ev.field
            ? h(
                'span',
                { class: 'ev-change' },
                h('span', { class: 'muted' }, t('ac.fieldChange', { field: EVENT_FIELDS.includes(ev.field) ? t(`ac.field.${ev.field}`) : ev.field })),
                eventValue(ev.field, ev.old_value, teams, alive),
                h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
                eventValue(ev.field, ev.new_value, teams, alive),
              )
            : null,
        ),
      ),
    ),
  );
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

// ---------------------------------------------------------------- ask the knowledge base

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescapeHtml(s) {
  return String(s).replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]);
}

// `passage` is HTML-escaped text with <mark>…</mark>; build nodes without innerHTML.
function passageNodes(passage) {
  const out = [];
  const parts = String(passage || '').split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = unescapeHtml(part);
      out.push(marked ? h('mark', null, text) : document.createTextNode(text));
    }
  }
  return out;
}

const MATCH_FIELDS = ['question', 'answer', 'title', 'body'];

/** Why a result matched: the words it shares with the question and how close its meaning is. */
function whyText(it) {
  const field = MATCH_FIELDS.includes(it.matched_field) ? it.matched_field : 'body';
  const terms = Array.isArray(it.matched_terms) ? it.matched_terms.filter(Boolean).map(String) : [];
  const parts = [terms.length ? t('ask.whyTerms', { field: t(`ask.field.${field}`), terms: terms.join(t('ask.termSep')) }) : t('ask.why', { field: t(`ask.field.${field}`) })];
  const sem = it.semantic;
  if (sem && typeof sem === 'object') {
    const best = Math.max(Number(sem.question) || 0, Number(sem.passage) || 0);
    parts.push(t('ask.whyMeaning', { sim: best.toFixed(2) }));
  }
  if (Number(it.feedback) > 0.01) parts.push(t('ask.whyLiked'));
  if (Number(it.feedback) < -0.01) parts.push(t('ask.whyDisliked'));
  return parts.join(' · ');
}

function scoreBadge(score) {
  const pct = Math.round(Math.max(0, Math.min(1, Number(score) || 0)) * 100);
  const level = pct >= 70 ? 'high' : pct >= 30 ? 'mid' : 'low';
  return h('span', { class: `score score-${level}`, title: t('ask.scoreHint'), testid: 'card-score' }, `${pct}%`);
}

/** "Used" / "Not helpful" on a knowledge card; the verdict is stored and weighs in later rankings. */
function feedbackButtons(it, ctx) {
  const note = h('span', { class: 'muted small', testid: 'feedback-note', 'aria-live': 'polite' });
  const send = async (verdict, btn) => {
    for (const b of row.querySelectorAll('button')) b.disabled = true;
    try {
      await api(`/api/v1/knowledge/${enc(it.id)}/feedback`, { method: 'POST', body: { verdict, query: ctx.query || '', conversation_id: ctx.conversationId || null } });
      btn.classList.add('chosen');
      note.textContent = t('fb.thanks');
      row.dataset.verdict = verdict;
    } catch (err) {
      for (const b of row.querySelectorAll('button')) b.disabled = false;
      note.textContent = err.message || t('err.network');
    }
  };
  const used = h('button', { type: 'button', class: 'btn btn-small', testid: 'feedback-used', onclick: () => send('used', used) }, t('fb.used'));
  const unhelpful = h('button', { type: 'button', class: 'btn btn-small', testid: 'feedback-unhelpful', onclick: () => send('unhelpful', unhelpful) }, t('fb.unhelpful'));
  const row = h('div', { class: 'feedback-row' }, used, unhelpful, note);
  return row;
}

function askResult(it, ctx = {}) {
  const kind = KINDS.includes(it.kind) ? it.kind : 'faq';
  return h(
    'li',
    { class: 'ask-result', testid: 'ask-result', dataset: { id: it.id, kind: it.kind } },
    h(
      'div',
      { class: 'ask-result-head' },
      h('a', { href: `#/knowledge/${enc(it.id)}`, class: 'strong' }, it.title || it.key || it.id),
      badge(t(`kind.${kind}`), `kind-${kind}`),
      scoreBadge(it.score),
    ),
    h('p', { class: 'ask-passage', testid: 'ask-passage' }, passageNodes(it.passage)),
    h('div', { class: 'ask-why muted small', testid: 'ask-why' }, whyText(it)),
    feedbackButtons(it, ctx),
  );
}

/** A similar solved case: what it was about and how it was resolved. */
function caseCard(entry) {
  const c = (entry && entry.case) || {};
  const body = [
    c.summary ? h('p', { class: 'case-summary' }, c.summary) : null,
    entry.visible && c.passage ? h('p', { class: 'ask-passage muted small' }, passageNodes(c.passage)) : null,
    c.resolution ? h('p', { class: 'case-resolution' }, h('span', { class: 'muted small' }, `${t('case.resolution')}：`), c.resolution) : null,
  ];
  const title = entry.visible ? h('a', { href: `#/conversations/${enc(c.conversation_id)}`, class: 'strong' }, c.title || c.conversation_id) : h('span', { class: 'strong' }, c.title || t('case.untitled'));
  return h(
    'li',
    { class: 'ask-result case-card', testid: 'case-card', dataset: { id: c.conversation_id || '' } },
    h('div', { class: 'ask-result-head' }, title, c.category ? badge(c.category, 'kind-case') : null, scoreBadge(c.score)),
    ...body,
  );
}

/**
 * Keeps `list` showing `items` in order without rebuilding what stays: a card whose key is still
 * there keeps its element (and the agent's place and clicks), new ones are inserted, gone ones
 * removed. So refreshing the live cards does not flicker.
 */
function syncCards(list, items, keyOf, render, refresh) {
  const existing = new Map();
  for (const el of Array.from(list.children)) existing.set(el.dataset.key, el);
  const wanted = new Set();
  let before = list.firstChild;
  for (const item of items) {
    const key = keyOf(item);
    wanted.add(key);
    let el = existing.get(key);
    if (el) {
      refresh(el, item);
    } else {
      el = render(item);
      el.dataset.key = key;
      el.classList.add('card-new');
    }
    if (el !== before) list.insertBefore(el, before);
    else before = before.nextSibling;
    before = el.nextSibling;
  }
  for (const [key, el] of existing) if (!wanted.has(key)) el.remove();
}

/**
 * The live assist panel beside a conversation: knowledge and similar-case cards for what the
 * customer said last, refreshed as turns arrive (replay plays the conversation turn by turn).
 */
function liveAssist(c, transcriptEl, alive) {
  const turns = Array.isArray(c.turns) ? c.turns : [];
  const status = h('span', { class: 'muted small', testid: 'assist-query', 'aria-live': 'polite' });
  const kList = h('ol', { class: 'ask-list', testid: 'assist-cards' });
  const cList = h('ol', { class: 'ask-list', testid: 'assist-cases' });
  const kEmpty = h('div', { class: 'empty small', hidden: true }, t('assist.noKnowledge'));
  const cEmpty = h('div', { class: 'empty small', hidden: true }, t('assist.noCases'));
  let seq = 0;
  let lastQuery = null;
  const ctx = { conversationId: c.id, query: '' };

  const refresh = async (upto) => {
    const mine = ++seq;
    let data;
    try {
      data = await api(`/api/v1/conversations/${enc(c.id)}/assist${qs({ upto: upto === null || upto === undefined ? '' : upto, k: 4 })}`);
    } catch (err) {
      if (alive() && mine === seq) status.textContent = err.message || t('err.network');
      return;
    }
    if (!alive() || mine !== seq) return;
    if (`${data.basis}|${data.query}` === lastQuery) return;
    lastQuery = `${data.basis}|${data.query}`;
    ctx.query = data.query || '';
    status.textContent = data.query ? t(data.basis === 'opening' ? 'assist.opening' : 'assist.listening', { q: data.query }) : t('assist.waiting');
    const knowledge = Array.isArray(data.knowledge) ? data.knowledge : [];
    const cases = Array.isArray(data.cases) ? data.cases : [];
    syncCards(
      kList,
      knowledge,
      (it) => `k:${it.id}`,
      (it) => askResult(it, ctx),
      (el, it) => {
        const score = el.querySelector('[data-testid="card-score"]');
        if (score) score.replaceWith(scoreBadge(it.score));
        const passage = el.querySelector('[data-testid="ask-passage"]');
        if (passage) passage.replaceChildren(...passageNodes(it.passage));
        const why = el.querySelector('[data-testid="ask-why"]');
        if (why) why.textContent = whyText(it);
      },
    );
    syncCards(cList, cases, (e) => `c:${(e.case && e.case.conversation_id) || ''}`, caseCard, () => {});
    kEmpty.hidden = knowledge.length > 0;
    cEmpty.hidden = cases.length > 0;
  };

  // Replay: show the transcript turn by turn, refreshing the cards after each customer turn.
  let timer = null;
  const turnEls = () => Array.from(transcriptEl.querySelectorAll('[data-testid="turn"]'));
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
    replay.textContent = t('assist.replay');
    for (const el of turnEls()) el.hidden = false;
  };
  const replay = h('button', { type: 'button', class: 'btn btn-small', testid: 'assist-replay' }, t('assist.replay'));
  replay.onclick = () => {
    if (timer) {
      stop();
      return;
    }
    const els = turnEls();
    for (const el of els) el.hidden = true;
    let i = 0;
    replay.textContent = t('assist.stop');
    const step = () => {
      if (!alive() || i >= els.length) {
        stop();
        return;
      }
      els[i].hidden = false;
      els[i].scrollIntoView({ block: 'nearest' });
      if (turns[i] && turns[i].speaker === 'customer') refresh(i);
      i += 1;
    };
    step();
    timer = setInterval(step, 1500);
  };
  // Clicking a turn shows the cards as they were at that moment.
  transcriptEl.addEventListener('click', (e) => {
    const el = e.target.closest('[data-testid="turn"]');
    if (!el) return;
    const idx = turnEls().indexOf(el);
    if (idx >= 0) refresh(idx);
  });

  refresh(null);
  return h(
    'section',
    { class: 'card assist', testid: 'assist' },
    h('div', { class: 'card-title-row' }, h('h2', null, t('assist.title')), replay),
    h('p', null, status),
    h('h3', null, t('assist.knowledge')),
    kList,
    kEmpty,
    h('h3', null, t('assist.cases')),
    cList,
    cEmpty,
  );
}

function askBox(alive) {
  const input = h('input', { type: 'search', class: 'input grow', placeholder: t('ask.placeholder'), testid: 'ask-input', 'aria-label': t('ask.title') });
  const results = h('div', { class: 'ask-results', 'aria-live': 'polite' });
  let seq = 0;
  const submit = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      clear(results);
      return;
    }
    clear(results).append(loading());
    let data;
    try {
      data = await api(`/api/v1/knowledge/search${qs({ q, k: 5 })}`);
    } catch (err) {
      if (alive() && mine === seq) clear(results).append(errorBox(err));
      return;
    }
    if (!alive() || mine !== seq) return;
    const items = (data && Array.isArray(data.items) && data.items) || [];
    clear(results);
    if (!items.length) {
      results.append(h('div', { class: 'empty', testid: 'ask-empty' }, t('ask.empty')));
      return;
    }
    const ctx = { query: q };
    results.append(h('ol', { class: 'ask-list' }, items.map((it) => askResult(it, ctx))));
    const cases = (data && Array.isArray(data.cases) && data.cases) || [];
    if (cases.length) results.append(h('h3', null, t('assist.cases')), h('ol', { class: 'ask-list', testid: 'ask-cases' }, cases.map(caseCard)));
  };
  return h(
    'section',
    { class: 'card ask', testid: 'ask' },
    h('h2', null, t('ask.title')),
    h(
      'form',
      {
        class: 'ask-form',
        onsubmit: (e) => {
          e.preventDefault();
          submit();
        },
      },
      input,
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'ask-submit' }, t('ask.submit')),
    ),
    results,
  );
}

/** What the search index holds and, for admins, a rebuild from the store with its progress. */
function indexStatus(alive) {
  const line = h('span', { class: 'muted small', testid: 'index-status' });
  const show = (info) => {
    const r = info.rebuild || {};
    const mode = info.encoder && info.encoder.Ok ? t('idx.semantic') : t('idx.lexical');
    let text = t('idx.summary', { items: info.items, cases: info.cases, mode });
    if (r.state === 'running') text += ` · ${t('idx.running', { phase: r.phase || '', done: r.done || 0, total: r.total || 0 })}`;
    else if (r.state === 'failed') text += ` · ${t('idx.failed', { error: r.error || '' })}`;
    line.textContent = text;
    line.dataset.state = r.state || '';
  };
  const poll = async () => {
    try {
      const info = await api('/api/v1/knowledge/index');
      if (!alive()) return;
      show(info);
      if (info.rebuild && info.rebuild.state === 'running') setTimeout(poll, 700);
      else if (button) button.disabled = false;
    } catch (err) {
      if (alive()) line.textContent = err.message || t('err.network');
    }
  };
  const button =
    state.user && state.user.role === 'admin'
      ? h('button', {
          type: 'button',
          class: 'btn btn-small',
          testid: 'index-rebuild',
          onclick: async () => {
            button.disabled = true;
            try {
              await api('/api/v1/knowledge/index/rebuild', { method: 'POST' });
            } catch (err) {
              line.textContent = err.message || t('err.network');
              button.disabled = false;
              return;
            }
            poll();
          },
        }, t('idx.rebuild'))
      : null;
  poll();
  return h('div', { class: 'index-status' }, line, button);
}

async function pageKnowledge(main, { query, alive }) {
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : 'faq';
  const q = query.get('q') || '';
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const toHash = (off, over = {}) => `#/knowledge${qs({ kind, q, offset: off || '', ...over })}`;

  main.append(pageHeader(t('kn.title')));
  main.append(indexStatus(alive));
  main.append(askBox(alive));
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
  const kind = (it.body && it.body.kind) || '';
  if (KINDS.includes(kind)) back.setAttribute('href', `#/knowledge${qs({ kind })}`);

  // Admins edit in place; the server refuses everyone else, so the button is only a convenience.
  const canEdit = Boolean(state.user && state.user.role === 'admin') && KINDS.includes(kind);
  const history = h('section', { class: 'card card-flush', testid: 'kn-history' });
  let historySeq = 0;
  const show = (item, notice) => {
    const mine = ++historySeq;
    add(clear(holder), [notice, knowledgeView(item, canEdit ? () => edit(item) : null), history]);
    loadKnowledgeHistory(history, item.id, () => alive() && mine === historySeq);
  };
  const edit = (item) => {
    clear(holder).append(
      knowledgeEditForm(item, {
        alive,
        onCancel: () => show(item),
        onSaved: (saved) =>
          show(
            saved,
            h(
              'div',
              { class: 'alert alert-success', testid: 'kn-edit-saved', role: 'status', dataset: { version: saved.version } },
              saved.version === item.version ? t('kn.editUnchanged', { version: saved.version }) : t('kn.editSaved', { version: saved.version }),
            ),
          ),
      }),
    );
  };
  show(it);
}

function knowledgeContent(body) {
  const kind = body.kind || '';
  if (kind === 'faq') {
    const questions = Array.isArray(body.questions) ? body.questions : [];
    return h(
      'div',
      { class: 'faq' },
      h('h3', null, t('kn.questions')),
      h('ol', { class: 'faq-questions' }, questions.map((q, i) => h('li', { class: i === 0 ? 'main-q' : '' }, q, i === 0 ? [' ', badge(t('kn.mainQuestion'), 'start')] : null))),
      h('h3', null, t('kn.answer')),
      h('div', { class: 'answer prewrap' }, body.answer || ''),
    );
  }
  if (kind === 'article') return h('div', null, h('h3', null, t('kn.content')), renderMarkdown(body.markdown));
  if (kind === 'flow') return renderFlow(body);
  return h('pre', { class: 'markdown' }, JSON.stringify(body, null, 2));
}

function knowledgeView(it, onEdit) {
  const body = it.body || {};
  const kind = body.kind || '';
  return [
    h(
      'section',
      { class: 'card', testid: 'knowledge-view', dataset: { kind, version: it.version } },
      h(
        'div',
        { class: 'card-title-row' },
        h('h1', null, it.title || it.key || it.id),
        badge(tEnum('kind', kind), `kind-${kind}`),
        onEdit ? h('button', { type: 'button', class: 'btn btn-small push-right', testid: 'kn-edit', onclick: onEdit }, t('kn.edit')) : null,
      ),
      metaList([
        [t('kn.key'), it.key],
        [t('kn.category'), it.category],
        [t('kn.language'), it.language],
        [t('kn.tags'), (it.tags || []).length ? h('span', null, it.tags.map((tag) => badge(tag, 'tag'))) : ''],
        [t('kn.version'), it.version !== undefined ? h('span', { testid: 'kn-version' }, `v${it.version}`) : ''],
        [t('kn.updated'), formatTime(it.updated_at)],
        [t('kn.updatedBy'), it.updated_by],
      ]),
    ),
    h('section', { class: 'card' }, knowledgeContent(body)),
  ];
}

async function loadKnowledgeHistory(box, id, current) {
  clear(box).append(h('h2', { class: 'card-pad' }, t('kn.history')), loading());
  let data;
  try {
    data = await api(`/api/v1/knowledge/${enc(id)}/history`);
  } catch (err) {
    if (current() && !err.handled) clear(box).append(h('h2', { class: 'card-pad' }, t('kn.history')), h('div', { class: 'card-pad' }, errorBox(err)));
    return;
  }
  if (!current()) return;
  const items = (data && Array.isArray(data.items) && data.items) || [];
  const rows = items.map((v) =>
    h(
      'tr',
      { testid: 'kn-history-row', dataset: { version: v.version } },
      h('td', { class: 'num' }, `v${v.version ?? ''}`),
      h('td', { class: 'nowrap' }, formatTime(v.updated_at)),
      h('td', null, dash(v.updated_by)),
      h('td', null, v.title || ''),
    ),
  );
  clear(box).append(
    h('h2', { class: 'card-pad' }, t('kn.history')),
    rows.length ? table([t('kn.version'), t('kn.updated'), t('kn.updatedBy'), t('kn.itemTitle')], rows) : empty(),
  );
}

function splitTags(text) {
  return String(text)
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// The edit form of one item: the fields PUT /api/v1/knowledge/{id} takes. A failed save keeps what
// was typed and shows why; the server checks a flow's structure, the form only its JSON syntax.
function knowledgeEditForm(it, { alive, onSaved, onCancel }) {
  const body = it.body || {};
  const kind = body.kind || '';
  const label = (forId, text) => h('label', { class: 'field-label', for: forId }, text);
  const textInput = (id, value, extra) => h('input', { type: 'text', class: 'input', id, testid: id, value: value || '', ...extra });
  const textArea = (id, value, rows, extra) => h('textarea', { class: 'input textarea', id, testid: id, rows: String(rows), value: value || '', ...extra });

  const title = textInput('kn-edit-title', it.title, { required: true });
  const category = textInput('kn-edit-category', it.category);
  const tags = textInput('kn-edit-tags', (it.tags || []).join(', '), { placeholder: t('kn.tagsHint') });

  let fields;
  let collect; // the edited body, or throws an Error whose message is shown
  if (kind === 'faq') {
    const list = h('ol', { class: 'kn-edit-questions', testid: 'kn-edit-questions' });
    const syncRemove = () => {
      const buttons = list.querySelectorAll('[data-testid=kn-edit-question-remove]');
      for (const b of buttons) b.disabled = buttons.length <= 1;
    };
    const row = (text) => {
      const li = h('li', { class: 'kn-edit-question' });
      add(li, [
        h('input', { type: 'text', class: 'input grow', testid: 'kn-edit-question', value: text || '', 'aria-label': t('kn.question') }),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small btn-danger',
            testid: 'kn-edit-question-remove',
            onclick: () => {
              li.remove();
              syncRemove();
            },
          },
          t('kn.removeQuestion'),
        ),
      ]);
      return li;
    };
    const questions = Array.isArray(body.questions) && body.questions.length ? body.questions : [''];
    add(list, questions.map(row));
    syncRemove();
    const addQuestion = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        testid: 'kn-edit-question-add',
        onclick: () => {
          const li = row('');
          list.append(li);
          syncRemove();
          li.querySelector('input').focus();
        },
      },
      t('kn.addQuestion'),
    );
    const answer = textArea('kn-edit-answer', body.answer, 6);
    fields = [h('div', { class: 'field-label' }, t('kn.questions')), list, h('div', null, addQuestion), label(answer.id, t('kn.answer')), answer];
    collect = () => {
      const phrasings = [...list.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
      if (!phrasings.length) throw new Error(t('kn.needQuestion'));
      return { kind, questions: phrasings, answer: answer.value };
    };
  } else if (kind === 'article') {
    const markdown = textArea('kn-edit-markdown', body.markdown, 18, { class: 'input textarea mono' });
    fields = [label(markdown.id, t('kn.markdown')), markdown];
    collect = () => ({ kind, markdown: markdown.value });
  } else {
    const description = textArea('kn-edit-description', body.description, 3);
    const start = textInput('kn-edit-start', body.start);
    const steps = textArea('kn-edit-steps', JSON.stringify(Array.isArray(body.steps) ? body.steps : [], null, 2), 18, { class: 'input textarea mono', spellcheck: 'false' });
    fields = [label(description.id, t('kn.description')), description, label(start.id, t('kn.startStep')), start, label(steps.id, t('kn.stepsJson')), steps];
    collect = () => {
      let parsed;
      try {
        parsed = JSON.parse(steps.value);
      } catch (err) {
        throw new Error(t('kn.stepsBadJson', { error: err.message }));
      }
      if (!Array.isArray(parsed)) throw new Error(t('kn.stepsNotArray'));
      return { kind, description: description.value, start: start.value.trim(), steps: parsed };
    };
  }

  const message = h('div', { 'aria-live': 'polite' });
  const fail = (content) => clear(message).append(h('div', { testid: 'kn-edit-error' }, content));
  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'kn-edit-save' }, t('kn.save'));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'kn-edit-cancel', onclick: onCancel }, t('kn.cancel'));

  return h(
    'form',
    {
      class: 'card kn-edit',
      testid: 'kn-edit-form',
      dataset: { kind },
      onsubmit: async (e) => {
        e.preventDefault();
        clear(message);
        let payload;
        try {
          if (!title.value.trim()) throw new Error(t('kn.needTitle'));
          payload = { title: title.value.trim(), category: category.value.trim(), tags: splitTags(tags.value), body: collect() };
        } catch (err) {
          fail(h('div', { class: 'alert alert-error', role: 'alert' }, err.message));
          return;
        }
        saveBtn.disabled = true;
        saveBtn.textContent = t('kn.saving');
        let saved;
        try {
          saved = await api(`/api/v1/knowledge/${enc(it.id)}`, { method: 'PUT', body: payload });
        } catch (err) {
          if (!alive() || err.handled) return;
          saveBtn.disabled = false;
          saveBtn.textContent = t('kn.save');
          fail(errorBox(err));
          return;
        }
        if (alive()) onSaved(saved);
      },
    },
    h('div', { class: 'card-title-row' }, h('h1', null, t('kn.editTitle', { title: it.title || it.key || it.id })), badge(tEnum('kind', kind), `kind-${kind}`)),
    label(title.id, t('kn.itemTitle')),
    title,
    label(category.id, t('kn.category')),
    category,
    label(tags.id, t('kn.tags')),
    tags,
    fields,
    message,
    h('div', { class: 'kn-edit-actions' }, saveBtn, cancelBtn),
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
  const modelsCard = h('section', { class: 'card card-flush', testid: 'models' });
  main.append(usersCard, modelsCard, tokensCard, teamsCard);
  renderModels(modelsCard, alive);

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

function renderModels(card, alive) {
  const message = h('div', { class: 'model-message', testid: 'model-message' });
  const list = h('div', null, h('div', { class: 'card-pad' }, loading()));
  const policyInfo = h('div', { class: 'muted small', testid: 'auto-accept-info' });
  const precisionInput = h('input', {
    type: 'number',
    class: 'input input-narrow',
    id: 'auto-accept-precision',
    testid: 'auto-accept-precision',
    min: '50',
    max: '100',
    step: '0.5',
    required: true,
  });
  const policyError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const saveBtn = h('button', { type: 'submit', class: 'btn', testid: 'auto-accept-save' }, t('common.save'));

  const showMessage = (node) => {
    clear(message).append(h('div', { class: 'card-pad' }, node));
  };

  const showPolicy = (p) => {
    if (!p) return;
    if (document.activeElement !== precisionInput) precisionInput.value = String(Math.round(Number(p.precision) * 1000) / 10);
    clear(policyInfo).append(
      p.threshold === null || p.threshold === undefined
        ? t('model.policyUnreachable', { v: dash(p.model_version) })
        : t('model.policy', { threshold: pct(p.threshold), share: pct(p.share), v: dash(p.model_version) }),
    );
  };

  const refreshPolicy = async () => {
    try {
      const p = await api('/api/v1/settings/auto-accept');
      if (alive()) showPolicy(p);
    } catch (err) {
      if (!alive() || err.handled) return;
      clear(policyInfo).append(err.message);
    }
  };

  const renderList = (items) => {
    if (!items.length) {
      clear(list).append(h('div', { class: 'card-pad', testid: 'models-empty' }, empty(t('model.none'))));
      return;
    }
    const num = (v) => (v === null || v === undefined ? t('common.none') : v);
    clear(list).append(
      table(
        [t('model.version'), t('model.created'), t('model.createdBy'), t('model.examples'), t('model.accuracy'), t('model.share'), t('model.threshold'), t('model.status'), ''],
        items.map((m) => {
          const metrics = m.metrics || {};
          return h(
            'tr',
            { testid: 'model-row', class: m.active ? 'row-active' : null, dataset: { id: m.id, version: m.version, active: String(Boolean(m.active)) } },
            h('td', null, h('strong', null, `v${m.version}`)),
            h('td', { class: 'nowrap' }, formatTime(m.created_at)),
            h('td', null, m.created_by === 'auto' ? t('model.auto') : dash(m.created_by)),
            h('td', { class: 'num' }, formatNumber(m.examples)),
            h('td', { class: 'num' }, metrics.held_out_accuracy === null || metrics.held_out_accuracy === undefined ? t('common.none') : pct(metrics.held_out_accuracy)),
            h('td', { class: 'num' }, metrics.auto_accept_share === null || metrics.auto_accept_share === undefined ? t('common.none') : pct(metrics.auto_accept_share)),
            h('td', { class: 'num' }, metrics.auto_accept_threshold === null || metrics.auto_accept_threshold === undefined ? num(null) : pct(metrics.auto_accept_threshold)),
            h('td', null, m.active ? badge(t('model.active'), 'ok') : badge(t('model.inactive'), 'off')),
            h(
              'td',
              { class: 'right' },
              m.active
                ? null
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-small',
                      testid: 'model-activate',
                      onclick: async (e) => {
                        e.target.disabled = true;
                        clear(message);
                        let res;
                        try {
                          res = await api(`/api/v1/models/${enc(m.id)}/activate`, { method: 'POST' });
                        } catch (err) {
                          if (!alive() || err.handled) return;
                          e.target.disabled = false;
                          showMessage(errorBox(err));
                          return;
                        }
                        if (!alive()) return;
                        renderList((res && res.items) || []);
                        showMessage(h('div', { class: 'alert alert-success', role: 'status' }, t('model.activated', { v: m.version })));
                        refreshPolicy();
                      },
                    },
                    t('model.activate'),
                  ),
            ),
          );
        }),
        { testid: 'models-table' },
      ),
    );
  };

  const refresh = async () => {
    let data;
    try {
      data = await api('/api/v1/models');
    } catch (err) {
      if (!alive() || err.handled) return;
      clear(list).append(h('div', { class: 'card-pad' }, errorBox(err)));
      return;
    }
    if (!alive()) return;
    renderList((data && data.items) || []);
  };

  const trainBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary',
      testid: 'model-train',
      onclick: async () => {
        trainBtn.disabled = true;
        trainBtn.textContent = t('model.training');
        clear(message);
        let rec;
        try {
          rec = await api('/api/v1/models/train', { method: 'POST' });
        } catch (err) {
          if (!alive() || err.handled) return;
          trainBtn.disabled = false;
          trainBtn.textContent = t('model.train');
          showMessage(errorBox(err));
          return;
        }
        if (!alive()) return;
        trainBtn.disabled = false;
        trainBtn.textContent = t('model.train');
        showMessage(h('div', { class: 'alert alert-success', role: 'status' }, t('model.trained', { v: rec && rec.version, n: formatNumber(rec && rec.examples) })));
        refresh();
        refreshPolicy();
      },
    },
    t('model.train'),
  );

  const policyForm = h(
    'form',
    {
      class: 'card-pad policy',
      testid: 'auto-accept',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        policyError.hidden = true;
        const v = Number(precisionInput.value);
        if (!precisionInput.value.trim() || !(v >= 50 && v <= 100)) {
          policyError.textContent = t('model.precisionRange');
          policyError.hidden = false;
          return;
        }
        saveBtn.disabled = true;
        let p;
        try {
          p = await api('/api/v1/settings/auto-accept', { method: 'PUT', body: { precision: v / 100 } });
        } catch (err) {
          saveBtn.disabled = false;
          if (!alive() || err.handled) return;
          policyError.textContent = err.message;
          policyError.hidden = false;
          return;
        }
        if (!alive()) return;
        saveBtn.disabled = false;
        precisionInput.blur();
        showPolicy(p);
      },
    },
    h('h3', null, t('model.autoAccept')),
    h('p', { class: 'muted small' }, t('model.autoAcceptHelp')),
    h('div', { class: 'filters' }, h('label', { for: 'auto-accept-precision' }, t('model.precision')), precisionInput, h('span', { class: 'muted' }, '%'), saveBtn, policyInfo),
    policyError,
  );

  card.append(h('div', { class: 'card-pad card-head' }, h('h2', null, t('model.title')), trainBtn), message, list, policyForm);
  refresh();
  refreshPolicy();
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
