import { describePublishedDesign } from '../test/support/published-design.js';

// One file per published design, so that vitest's two workers can run them side by side.
describePublishedDesign('seed-on-conflict', { shrink: false });
