// Unit tests of the UI's readers for API shapes that changed: search passages (highlight ranges,
// or the older HTML with <mark>) and the search index's encoder field. No server, no browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passageSegments } from '../crates/seatmate-server/ui/lib/passage.js';
import { encoderName, encoderProblem } from '../crates/seatmate-server/ui/lib/index-info.js';

const marked = (segments) => segments.filter((s) => s.marked).map((s) => s.text);
const text = (segments) => segments.map((s) => s.text).join('');

test('highlight ranges count code points, not UTF-16 units', () => {
  const segments = passageSegments('😀携号转网 can’t', [[1, 3]]);
  assert.deepEqual(segments, [
    { text: '😀', marked: false },
    { text: '携号', marked: true },
    { text: '转网 can’t', marked: false },
  ]);
});

test('highlight ranges: plain text stays plain, touching ranges join, overlapping and out-of-range ones are clipped', () => {
  assert.equal(text(passageSegments("Why can't I <b>log</b> in?", [[12, 20]])), "Why can't I <b>log</b> in?");
  assert.deepEqual(marked(passageSegments('abcdef', [[0, 2], [2, 3]])), ['abc']);
  assert.deepEqual(marked(passageSegments('abcdef', [[3, 5], [1, 4]])), ['bcde']);
  assert.deepEqual(marked(passageSegments('abc', [[2, 99], [5, 7], [-3, 1]])), ['a', 'c']);
  assert.deepEqual(passageSegments('abc', []), [{ text: 'abc', marked: false }]);
  assert.deepEqual(passageSegments('', [[0, 1]]), []);
});

test('the legacy form: HTML-escaped text with <mark>, every entity undone', () => {
  const segments = passageSegments('Why can&#x27;t I <mark>log</mark> in? &quot;a&quot; &amp; &lt;b&gt; &#39;', undefined);
  assert.equal(text(segments), 'Why can\'t I log in? "a" & <b> \'');
  assert.deepEqual(marked(segments), ['log']);
  assert.deepEqual(marked(passageSegments('<mark>携号</mark>转<mark>网</mark>', null)), ['携号', '网']);
});

test('the encoder in either shape of GET /api/v1/knowledge/index', () => {
  assert.equal(encoderName({ encoder: { Ok: 'bge-small-zh' } }), 'bge-small-zh');
  assert.equal(encoderName({ encoder: { Err: 'no model file' } }), null);
  assert.equal(encoderName({ encoder: 'bge-small-zh', encoder_unavailable: null }), 'bge-small-zh');
  assert.equal(encoderName({ encoder: null, encoder_unavailable: 'no model file' }), null);
  assert.equal(encoderName({}), null);
  assert.equal(encoderProblem({ encoder: { Err: 'no model file' } }), 'no model file');
  assert.equal(encoderProblem({ encoder: null, encoder_unavailable: 'no model file' }), 'no model file');
  assert.equal(encoderProblem({ encoder: 'bge-small-zh', encoder_unavailable: null }), null);
});
