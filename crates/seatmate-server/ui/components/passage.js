// A search passage with its matched words highlighted.

import { html } from '../lib/html.js';
import { passageSegments } from '../lib/passage.js';

/** @param {{ passage: unknown, highlights?: unknown, class?: string }} props */
export function Passage({ passage, highlights, class: className }) {
  const segments = passageSegments(passage, highlights);
  return html`<p class=${className || 'ask-passage'} data-testid="ask-passage" data-content>
    ${segments.map((s) => (s.marked ? html`<mark>${s.text}</mark>` : s.text))}
  </p>`;
}
