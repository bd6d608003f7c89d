// The frame every HTML report shares: one self-contained page (inline CSS, inline SVG, no script,
// no external font or image), so it opens from file://, reads the same with JavaScript off, and
// prints. Everything shown is escaped here or by the callers through `esc`.

/** Escapes text for HTML content and attribute values. */
export function esc(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** SQL longer than this, or on several lines, is folded behind its first line. */
const FOLD_AT = 160;

/** SQL as a code block, folded into a <details> when long (the summary shows its start and length). */
export function sqlBlock(sql: string): string {
  const firstLine = sql.split('\n')[0] ?? '';
  if (sql.length <= FOLD_AT && !sql.includes('\n')) return `<pre class="sql"><code>${esc(sql)}</code></pre>`;
  const head = firstLine.length > FOLD_AT ? `${firstLine.slice(0, FOLD_AT)} …` : `${firstLine} …`;
  return `<details class="sql"><summary><code>${esc(head)}</code> <span class="muted">(${sql.length.toLocaleString('en-US')} characters)</span></summary><pre><code>${esc(sql)}</code></pre></details>`;
}

/** A command or script shown so that one click selects all of it (CSS user-select, no script). */
export function copyBlock(text: string, label: string): string {
  return `<figure class="copy"><figcaption>${esc(label)}</figcaption><pre><code>${esc(text)}</code></pre></figure>`;
}

/** A verdict word in its colour: ok, MISSED, EXTRA, STALE, HIT, MISS, ... (the class is the word). */
export function badge(word: string, detail = ''): string {
  return `<span class="badge ${esc(word.toLowerCase())}">${esc(word)}${detail ? ` ${esc(detail)}` : ''}</span>`;
}

/** The last character of a workload tenant (a, b, c), as the text reports write them. */
export const shortTenant = (tenant: string) => tenant.slice(-1);

/** The stylesheet every report shares, inline in each page (and in the playground's). */
export const REPORT_CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --extra: #8250df; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; --bg2: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto; padding: 1rem 1.25rem 3rem; max-width: 1400px; color: #1f2328; background: #fff; }
h1 { font-size: 1.5rem; margin: .2rem 0 .4rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; } p { margin: .3rem 0; }
code, pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { margin: .3rem 0; padding: .45rem .6rem; background: var(--bg2); border: 1px solid var(--line); border-radius: 4px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
details.sql summary { cursor: pointer; padding: .3rem .5rem; background: var(--bg2); border: 1px solid var(--line); border-radius: 4px; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--bg2); position: sticky; top: 0; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); } .notice { border-left: 4px solid var(--warn); background: #fff8c5; padding: .5rem .75rem; margin: .6rem 0; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-weight: 600; font-size: .85em; border: 1px solid currentColor; white-space: nowrap; }
.badge.ok, .badge.holds, .badge.kept, .badge.hit { color: var(--ok); } .badge.missed, .badge.fails, .badge.broke, .badge.stale, .badge.error, .badge.leak { color: #fff; background: var(--bad); border-color: var(--bad); }
.badge.extra { color: #fff; background: var(--extra); border-color: var(--extra); } .badge.miss { color: var(--warn); }
td.missed { background: #ffebe9; } td.extra { background: #fbefff; } td.stale { background: #ffebe9; }
.versions { width: auto; font-size: .9em; } .versions td, .versions th { padding: .15rem .45rem; }
.calls { margin: .2rem 0; padding-left: 1.1rem; font-size: .9em; } .calls code, .versions code { overflow-wrap: anywhere; } .design-label { display: none; font-weight: 600; margin-top: .4rem; }
.timeline > tbody > tr > th { width: 2.5rem; } .timeline td.what { min-width: 14rem; max-width: 30rem; } .timeline tr.read > td, .timeline tr.show > td { background: #fbfcfd; }
.charts { display: flex; flex-wrap: wrap; gap: .75rem; } .charts figure { margin: 0; border: 1px solid var(--line); border-radius: 4px; padding: .3rem .4rem; width: 290px; max-width: 100%; }
.charts figcaption { font-weight: 600; font-size: .9em; } svg { max-width: 100%; height: auto; }
.legend { font-size: .85em; } .legend span { margin-right: .9rem; white-space: nowrap; }
figure.copy { margin: .5rem 0; } figure.copy figcaption { font-size: .85em; color: var(--muted); } figure.copy pre { user-select: all; -webkit-user-select: all; }
.lesson { border: 1px solid var(--line); border-left: 4px solid var(--bad); padding: .5rem .75rem; margin: .6rem 0; } .lesson.kept { border-left-color: var(--ok); }
.glossary dt { font-weight: 600; margin-top: .35rem; } .glossary dd { margin: 0 0 0 1.2rem; } section.entry { border-left: 4px solid var(--line); padding: .1rem .75rem; margin: .6rem 0; } a.term { color: inherit; text-decoration: underline dotted; }
section.counterexample { border-top: 2px solid var(--line); margin-top: 1.5rem; } .grid td.verdict { font-weight: 600; } nav a { margin-right: .8rem; } .scroll { overflow-x: auto; }
@media (max-width: 700px) {
  body { padding: .6rem; font-size: 14px; }
  .timeline > thead { display: none; } .timeline, .timeline > tbody, .timeline > tbody > tr, .timeline > tbody > tr > th, .timeline > tbody > tr > td { display: block; width: 100%; }
  .timeline > tbody > tr { border-top: 2px solid var(--line); padding: .3rem 0; } .timeline > tbody > tr > th { border: 0; padding-bottom: 0; }
  .design-label { display: block; } .grid .wide { display: none; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .85em; }
}
@media print {
  body { max-width: none; padding: 0; } thead th { position: static; } nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr, figure, .lesson, details { break-inside: avoid; } h2 { break-after: avoid; }
  body { font-size: 9pt; } code, pre { font-size: 8pt; } .timeline td.what { min-width: 0; max-width: 14rem; }
}
`;

/**
 * A whole HTML document around `body`, with the shared stylesheet inline; `head` adds to the head
 * and `css` to the stylesheet (the playground's page).
 */
export function htmlPage(title: string, body: string, { head = '', css = '' } = {}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="turbo-sim">
<title>${esc(title)}</title>
${head}<style>${REPORT_CSS}${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
