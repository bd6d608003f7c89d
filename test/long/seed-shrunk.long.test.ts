import { describePublishedDesign } from '../support/published-design.js';

// The seed's verdicts again, each counterexample shrunk: at most three statements for a write class,
// eight for a read class (properties/seed.test.ts checks the same verdicts unshrunk in npm test).
describePublishedDesign('seed', { shrink: true });
