import { esc } from './html.js';

/**
 * The words the reports use in a sense of their own, defined once: the HTML pages carry them in a
 * section their headings link to, and docs/glossary.md repeats them word for word (a test keeps the
 * two the same).
 */
export const GLOSSARY = [
  {
    term: 'statement',
    text: 'one SQL statement the executor runs: a statement a client sends, each statement inside a DO block or a function, and each statement a trigger on another table runs. A writable CTE touching several tables is one statement.',
  },
  {
    term: 'message',
    text: 'what a client sends to the server in one go: one statement, or several separated by semicolons, or a DO block. PostgreSQL gives every statement of one message the same statement_timestamp(). Messages are numbered from 1 in every report (text, HTML, JSON, JUnit, the SQL script).',
  },
  {
    term: 'pair',
    text: 'a (tenant, domain), written as tenant/domain with the tenant shortened to its last letter (a/price). Each pair has one version.',
  },
  {
    term: 'version',
    text: 'the counter of one pair in turbo.tb_domain_version. A cached response is stored under the version it was built at and served while that version has not moved.',
  },
  {
    term: 'bump',
    text: 'adding one to the version of a pair. Every statement must bump each pair it touches exactly once, and the cascade targets of its domain once each.',
  },
  {
    term: 'cascade',
    text: "the domains a write to another domain must also bump (a price write bumps contract): the edges of the domain graph, in turbo.tb_domain_dependency or the graph's JSON file.",
  },
  {
    term: 'tracker',
    text: 'the table a row-trigger design writes one row into per pair it has already bumped, so that later rows of the same statement skip the bump. What its key holds (a timestamp, a transaction id) decides which statements it takes for one.',
  },
  {
    term: 'read path',
    text: "the SQL that answers a cached read (turbo.fn_get_cached_response): it computes one version from the guarding domains' versions, serves the cached response when that matches the version the response was stored under (HIT), and builds afresh otherwise (MISS). The base layer's sums the versions; a design may bring its own.",
  },
  {
    term: 'guarding domains',
    text: 'the domains whose versions a cached response is checked against: every table its builder reads must belong to one of them.',
  },
  {
    term: 'MISSED',
    text: 'a version lower than the model expects after a message: a bump the design did not make, so a cached response stays served after its data changed.',
  },
  {
    term: 'EXTRA',
    text: 'a version higher than the model expects: a bump the statement did not call for, which throws away cached responses for nothing.',
  },
  {
    term: 'STALE',
    text: 'a cached read that returned something other than what its builder returns from the data at that moment.',
  },
  {
    term: 'counterexample',
    text: 'the smallest workload found that breaks a property: fast-check shrinks the first failing one while it still fails. Its seed and path replay it exactly.',
  },
  {
    term: 'culprit',
    text: 'what a failing property tells you to fix: the triggers (a bump made wrong), the read path (every bump right, the read still stale), or the design (an error where none was due).',
  },
  {
    term: 'diagnosis',
    text: 'the class of defect a counterexample shows, found by sending it again split up (separate messages, separate transactions, paced) and by what fired; "no known class" when the evidence does not single one out.',
  },
  {
    term: 'session',
    text: 'one connection to the server, with its own transactions; the concurrency check runs several side by side against one database.',
  },
  {
    term: 'interleaving',
    text: "the order in which the sessions' units (a message, a cached read up to its pause point, the read's resume) reach the server. The scheduler draws it from the seed, so the seed and the path replay it.",
  },
] as const;

export type Term = (typeof GLOSSARY)[number]['term'];

const termId = (term: Term) => `term-${term.toLowerCase().replace(/ /g, '-')}`;

/** A word of the page linked to its definition in the page's glossary. */
export function termLink(term: Term, shown: string = term): string {
  return `<a class="term" href="#${termId(term)}">${esc(shown)}</a>`;
}

/** The glossary as a section of an HTML page, each term an anchor the page's words link to. */
export function glossaryHtml(): string {
  const items = GLOSSARY.map(
    (g) => `<dt id="${termId(g.term)}"><dfn>${esc(g.term)}</dfn></dt><dd>${esc(g.text)}</dd>`,
  );
  return `<h2 id="glossary">Words the reports use</h2><dl class="glossary">${items.join('')}</dl>`;
}
