// Browser tests of the Seatmate web UI against a real demo server.
//
// Run from the repository root: `node --test e2e/` (after `cargo build` and `cd e2e && npm install`).
// The server binary is $SEATMATE_BIN (default target/debug/seatmate); the browser is Debian's
// chromium ($CHROMIUM_BIN, default /usr/bin/chromium) driven by playwright-core: no browser download.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..');
const SCREENSHOTS = path.join(HERE, 'screenshots');
const SEATMATE_BIN = process.env.SEATMATE_BIN ? path.resolve(process.env.SEATMATE_BIN) : path.join(REPO_ROOT, 'target', 'debug', 'seatmate');
const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const PASSWORD = 'seatmate-demo';
const STARTUP_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 120_000;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server = null;
let serverExit = null;
let serverLog = '';
let dataDir = null;
let baseURL = null;
let browser = null;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function logTail() {
  return serverLog.length > 8000 ? `…${serverLog.slice(-8000)}` : serverLog;
}

function startServer(port) {
  dataDir = mkdtempSync(path.join(tmpdir(), 'seatmate-e2e-'));
  serverLog = '';
  serverExit = null;
  const args = ['demo', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--metrics-listen', '127.0.0.1:0'];
  const child = spawn(SEATMATE_BIN, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const collect = (chunk) => {
    serverLog += chunk.toString();
    if (serverLog.length > 200_000) serverLog = serverLog.slice(-100_000);
    if (process.env.SEATMATE_E2E_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('error', (err) => {
    serverExit = { error: err };
  });
  child.on('exit', (code, signal) => {
    serverExit = { code, signal };
  });
  return child;
}

async function waitForHealth(url, deadline) {
  while (Date.now() < deadline) {
    if (serverExit) return false;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        const body = await res.json().catch(() => null);
        if (body && body.status === 'ok') return true;
      }
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return false;
}

async function stopServer() {
  if (!server) return;
  const child = server;
  server = null;
  if (!serverExit) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!done && !serverExit) {
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(5_000)]);
    }
  }
}

before(
  async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    // A random port may be taken: try a few before giving up.
    for (let attempt = 1; ; attempt++) {
      const port = 18000 + Math.floor(Math.random() * 1000);
      baseURL = `http://127.0.0.1:${port}`;
      server = startServer(port);
      if (await waitForHealth(baseURL, deadline)) break;
      const exit = serverExit;
      await stopServer();
      const dir = dataDir;
      dataDir = null;
      if (dir) rmSync(dir, { recursive: true, force: true });
      const inUse = /address (already )?in use|AddrInUse/i.test(serverLog);
      if (exit && inUse && attempt < 3 && Date.now() < deadline) continue;
      const why = exit ? (exit.error ? `could not start ${SEATMATE_BIN}: ${exit.error.message}` : `exited with ${exit.signal || exit.code}`) : `not healthy within ${STARTUP_TIMEOUT_MS / 1000} s`;
      throw new Error(`seatmate demo server ${why}\n--- server output ---\n${logTail()}`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS });
  },
  { timeout: STARTUP_TIMEOUT_MS + 60_000 },
);

after(
  async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  },
  { timeout: 30_000 },
);

// ---------------------------------------------------------------- helpers

async function withPage(fn, { locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err));
  try {
    await fn(page);
    assert.deepEqual(pageErrors.map(String), [], 'uncaught errors in the page');
  } catch (err) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
}

async function loginViaForm(page, username, password = PASSWORD) {
  await page.goto(`${baseURL}/#/login`);
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}

function cssString(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

async function setHash(page, hash) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

async function dataAttrs(page, selector, name) {
  return page.$$eval(selector, (els, attr) => els.map((el) => el.getAttribute(attr)), name);
}

// ---------------------------------------------------------------- tests

test('an agent sees only their own conversations', { timeout: TEST_TIMEOUT_MS }, async () => {
  // The id of another agent's conversation, looked up as admin through the API.
  const api = await request.newContext({ baseURL });
  let foreignId;
  try {
    const login = await api.post('/api/v1/auth/login', { data: { username: 'admin', password: PASSWORD } });
    assert.equal(login.status(), 200, 'admin API login');
    const res = await api.get('/api/v1/conversations?agent=agent05&limit=5');
    assert.equal(res.status(), 200, 'admin lists agent05 conversations');
    const body = await res.json();
    assert.ok(body.items.length > 0, 'the demo has conversations of agent05');
    assert.equal(body.items[0].agent, 'agent05');
    foreignId = body.items[0].id;
  } finally {
    await api.dispose();
  }

  await withPage(async (page) => {
    await loginViaForm(page, 'agent01');
    await page.waitForSelector('[data-testid=conv-row]');
    const agents = await dataAttrs(page, '[data-testid=conv-row]', 'data-agent');
    assert.ok(agents.length > 0, 'the list shows rows');
    for (const agent of agents) assert.equal(agent, 'agent01', 'an agent sees only their own conversations');

    const userMenu = await page.textContent('[data-testid=user-menu]');
    assert.match(userMenu, /agent01/);
    await page.waitForSelector('[data-testid=nav-conversations]', { state: 'visible' });
    assert.equal(await page.locator('[data-testid=nav-admin]').isVisible(), false, 'no admin nav for an agent');
    await screenshot(page, 'agent-list.png');

    const firstId = await page.locator('[data-testid=conv-row]').first().getAttribute('data-id');
    assert.ok(firstId);
    await page.locator('[data-testid=conv-row]').first().click();
    await page.waitForSelector('[data-testid=turn]');
    assert.ok(decodeURIComponent(new URL(page.url()).hash).endsWith(`/conversations/${firstId}`), 'the detail route is open');
    const speakers = new Set(await dataAttrs(page, '[data-testid=turn]', 'data-speaker'));
    assert.ok(speakers.has('agent') && speakers.has('customer'), `turns of both speakers, got ${[...speakers]}`);
    await page.waitForSelector('[data-testid=ticket-row], [data-testid=tickets-empty]');
    await screenshot(page, 'agent-conversation.png');

    await setHash(page, '#/admin');
    await page.waitForSelector('[data-testid=forbidden]', { state: 'visible' });
    assert.equal(await page.locator('[data-testid=users-table]').count(), 0);

    const status = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/conversations/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
      return res.status;
    }, foreignId);
    assert.equal(status, 404, "another agent's conversation is not visible");
  });
});

test('an admin sees everything, the admin pages, the taxonomy and the knowledge base', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withPage(async (page) => {
    await loginViaForm(page, 'admin');
    await page.waitForSelector('[data-testid=conv-row]');
    const agents = new Set((await dataAttrs(page, '[data-testid=conv-row]', 'data-agent')).filter(Boolean));
    assert.ok(agents.size >= 2, `conversations of several agents, got ${[...agents]}`);
    await page.waitForSelector('[data-testid=nav-admin]', { state: 'visible' });
    // The stats line is decoration: give it a moment for the screenshot, but do not fail on it.
    await page.waitForSelector('[data-testid=stats] .stat', { timeout: 5_000 }).catch(() => {});
    await screenshot(page, 'admin-list.png');

    // Users
    await page.click('[data-testid=nav-admin]');
    await page.waitForSelector('[data-testid=users-table]');
    await page.waitForSelector('[data-testid=users-table] tr[data-username="agent01"]');
    await page.waitForSelector('[data-testid=users-table] tr[data-username="admin"]');
    await page.waitForSelector('[data-testid=tokens-table], [data-testid=tokens-empty]');
    await screenshot(page, 'admin-users.png');

    // Taxonomy: roots, then one root's children
    await page.click('[data-testid=nav-taxonomy]');
    await page.waitForSelector('[data-testid=tax-node][data-parent=""]');
    const roots = page.locator('[data-testid=tax-node][data-parent=""]');
    assert.ok((await roots.count()) > 0, 'root nodes are shown');
    const parent = page.locator('[data-testid=tax-node][data-parent=""]:not([data-children="0"])').first();
    const code = await parent.getAttribute('data-code');
    assert.ok(code, 'a root with children exists');
    await parent.getByTestId('tax-toggle').first().click();
    await page.waitForSelector(`[data-testid=tax-node][data-parent="${cssString(code)}"]`);
    const children = await page.locator(`[data-testid=tax-node][data-parent="${cssString(code)}"]`).count();
    assert.ok(children > 0, 'expanding a root shows its children');
    await screenshot(page, 'taxonomy.png');

    // Knowledge: the FAQ tab is the default
    await page.click('[data-testid=nav-knowledge]');
    await page.waitForSelector('[data-testid=knowledge-row]');
    const kinds = new Set(await dataAttrs(page, '[data-testid=knowledge-row]', 'data-kind'));
    assert.deepEqual([...kinds], ['faq'], 'the knowledge page lists FAQs');
    await screenshot(page, 'knowledge.png');
    await page.locator('[data-testid=knowledge-row]').first().click();
    await page.waitForSelector('[data-testid=knowledge-view][data-kind="faq"]');
    assert.ok((await page.locator('.faq-questions li').count()) > 0, 'an FAQ shows its phrasings');
  });
});

test('a bad password is refused and the language can be switched', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withPage(async (page) => {
    await loginViaForm(page, 'admin', 'not-the-password');
    await page.waitForSelector('[data-testid=login-error]', { state: 'visible' });
    assert.ok(((await page.textContent('[data-testid=login-error]')) || '').trim().length > 0, 'the error says something');

    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=nav-conversations]', { state: 'visible' });

    const navText = (expected) =>
      page.waitForFunction((text) => {
        const el = document.querySelector('[data-testid=nav-conversations]');
        return el !== null && el.textContent.trim() === text;
      }, expected);

    await page.selectOption('[data-testid=lang-switch]', 'en');
    await navText('Conversations');

    // The choice is remembered across a reload.
    await page.reload();
    await page.waitForSelector('[data-testid=nav-conversations]', { state: 'visible' });
    await navText('Conversations');

    await page.selectOption('[data-testid=lang-switch]', 'zh');
    await navText('会话');
  });
});
