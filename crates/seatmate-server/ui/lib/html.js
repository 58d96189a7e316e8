// htm bound to Preact: components are written as tagged templates, no build step.

import htm from '../vendor/htm.js';
import { h } from '../vendor/preact.js';

export const html = htm.bind(h);
