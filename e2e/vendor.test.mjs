// The vendored browser modules are the npm packages that e2e/package.json pins (whose types the
// UI's type check reads), with only their import specifiers rewritten to relative paths.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VENDOR = path.join(HERE, '..', 'crates', 'seatmate-server', 'ui', 'vendor');
const MODULES = path.join(HERE, 'node_modules');

const VENDORED = [
  ['preact.js', 'preact/dist/preact.mjs'],
  ['hooks.js', 'preact/hooks/dist/hooks.mjs'],
  ['htm.js', 'htm/dist/htm.mjs'],
  ['signals-core.js', '@preact/signals-core/dist/signals-core.mjs'],
  ['signals.js', '@preact/signals/dist/signals.mjs'],
];
const SPECIFIERS = { preact: './preact.js', 'preact/hooks': './hooks.js', '@preact/signals-core': './signals-core.js' };

/** The package file as vendor/README.md says it is copied. */
function asVendored(source) {
  return source
    .replace(/from"(preact|preact\/hooks|@preact\/signals-core)"/g, (_, name) => `from"${SPECIFIERS[name]}"`)
    .replace(/^\/\/# sourceMappingURL=.*\n?/m, '');
}

for (const [file, original] of VENDORED) {
  test(`vendor/${file} is ${original}`, () => {
    const vendored = readFileSync(path.join(VENDOR, file), 'utf8');
    assert.equal(vendored, asVendored(readFileSync(path.join(MODULES, original), 'utf8')));
    assert.doesNotMatch(vendored, /from"[^.]/, 'every import is relative');
  });
}
