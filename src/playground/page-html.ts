import { htmlPage } from '../report/html.js';

/** The playground's own layout, on top of the reports' stylesheet: controls first, results below. */
const CSS = `
.controls { display: grid; gap: .6rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); align-items: start; }
.controls fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0; min-width: 0; }
.controls label { display: block; font-weight: 600; margin: .3rem 0 .15rem; }
select, textarea, button, input { font: inherit; max-width: 100%; }
select[multiple] { width: 100%; } select { width: 100%; }
textarea { width: 100%; min-height: 5.5rem; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.buttons { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0; } button { padding: .35rem .8rem; cursor: pointer; }
button.primary { background: #1f883d; color: #fff; border: 1px solid #1a7f37; border-radius: 4px; font-weight: 600; }
ol.path { padding-left: 1.2rem; margin: .2rem 0; max-height: 12rem; overflow-y: auto; } ol.path button { border: 0; background: none; color: #0969da; padding: 0; text-align: left; }
ol.path button[aria-current="step"] { font-weight: 700; }
#status { min-height: 1.4em; } #status.error { color: var(--bad); font-weight: 600; } #share-link { width: 100%; }
.message-box { position: relative; } .message-box .muted { font-size: .85em; }
`;

/** The playground's page: the controls the script wires up (data-testid hooks for tests), and room for the results. */
export function playgroundHtml(): string {
  return htmlPage(
    'turbo-sim playground',
    `<header><p class="muted">turbo-sim · playground · PostgreSQL (PGlite) in this page, nothing sent anywhere</p>
<h1>Type a statement, watch each design bump</h1>
<p>Every statement must bump each (tenant, domain) it touches exactly once, cascade targets included. Pick designs, pick a scenario of the learning path or type your own messages, and run: each design gets its own database in this page.</p></header>
<div class="controls">
<fieldset><legend>Learning path</legend><ol class="path" id="path" data-testid="path"></ol>
<div id="lesson" data-testid="lesson"></div></fieldset>
<fieldset><legend>Designs</legend>
<label for="designs">side by side (pick one or more)</label>
<select id="designs" data-testid="design-select" multiple size="5"></select>
<details id="pasted-box"><summary>or paste your own design SQL (runs as design <code>pasted</code>)</summary>
<textarea id="pasted" data-testid="design-sql" placeholder="CREATE FUNCTION ... CREATE TRIGGER ... ON tv_machine ..."></textarea></details>
</fieldset>
<fieldset><legend>What to send</legend>
<label for="scenario">scenario</label>
<select id="scenario" data-testid="scenario-select"></select>
<div id="typed"><p class="muted">One client message per box: several statements in one box share a message; a DO block or BEGIN … COMMIT works as typed. Tenants: a = 00000000-0000-4000-8000-00000000000a, b = …000b, c = …000c; tables tv_machine, tv_contract, tv_price, …</p>
<div id="messages"></div>
<button type="button" id="add-message" data-testid="add-message">+ message</button></div>
<div class="buttons"><button type="button" class="primary" id="run" data-testid="run">Run</button>
<button type="button" id="reset" data-testid="reset">Reset database</button>
<button type="button" id="share" data-testid="share">Share link</button></div>
<input id="share-link" data-testid="share-link" readonly hidden>
<p id="status" data-testid="status" role="status">loading…</p>
</fieldset>
</div>
<section id="results" data-testid="results"></section>
<script type="module" src="app.js"></script>`,
    { head: '<link rel="icon" href="data:,">\n', css: CSS },
  );
}
