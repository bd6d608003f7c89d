/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { esc } from '../../report/html.js';
import { scenarioBody } from '../../report/scenario-html.js';
import { pathGroups } from '../../teaching/lessons.js';
import { QUESTIONS } from '../../teaching/questions.js';
import { findScenario, SCENARIOS } from '../../teaching/scenarios.js';
import { PAGE_DOCS, type PlaygroundCatalog } from '../catalog.js';
import { fragmentState, type PlaygroundState, stateFragment } from './fragment.js';
import { openPageDatabase } from './page-database.js';
import { PASTED, Workbench } from './workbench.js';

// The page's script, bundled with the model, the teaching content, the engine's install and the
// verifier (scripts/bundle-playground.mjs). body[data-state] says where it is (loading, ready,
// running, done, error), for people and for the browser tests.

// The pacer between messages waits with setImmediate, which browsers lack.
const global = globalThis as unknown as { setImmediate?: (f: () => void) => void };
global.setImmediate ??= (f) => setTimeout(f, 0);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const designs = $<HTMLSelectElement>('designs');
const scenario = $<HTMLSelectElement>('scenario');
const pasted = $<HTMLTextAreaElement>('pasted');
const messages = $<HTMLDivElement>('messages');
const status = $<HTMLParagraphElement>('status');
const results = $<HTMLElement>('results');
const shareLink = $<HTMLInputElement>('share-link');

function say(text: string, state: string): void {
  status.textContent = text;
  status.className = state === 'error' ? 'error' : '';
  document.body.dataset.state = state;
}

/** One box per client message; the first carries the hook the tests type into. */
function addMessage(sql = ''): HTMLTextAreaElement {
  const n = messages.children.length + 1;
  const box = document.createElement('div');
  box.className = 'message-box';
  box.innerHTML = `<label for="message-${n}">message ${n}</label><textarea id="message-${n}" class="message" data-testid="${n === 1 ? 'sql-input' : `sql-input-${n}`}" spellcheck="false"></textarea>`;
  messages.append(box);
  const area = box.querySelector('textarea') as HTMLTextAreaElement;
  area.value = sql;
  return area;
}

function readState(): PlaygroundState {
  return {
    designs: [...designs.selectedOptions].map((o) => o.value),
    scenario: scenario.value,
    messages: [...messages.querySelectorAll('textarea')].map((t) => t.value),
    pasted: pasted.value,
  };
}

function showState(s: PlaygroundState): void {
  for (const o of designs.options) o.selected = s.designs.includes(o.value);
  scenario.value = findScenario(s.scenario) ? s.scenario : '';
  messages.replaceChildren();
  for (const m of s.messages) addMessage(m);
  pasted.value = s.pasted;
  if (s.pasted) ($('pasted-box') as HTMLDetailsElement).open = true;
  showScenario();
}

/** The typed boxes show when no scenario is picked; the lesson of the picked one shows beside the path. */
function showScenario(): void {
  const picked = findScenario(scenario.value);
  $('typed').hidden = picked !== undefined;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#path button'))
    if (b.dataset.scenario === scenario.value) b.setAttribute('aria-current', 'step');
    else b.removeAttribute('aria-current');
  const order = pathGroups().flatMap((g) => g.scenarios);
  const next = picked ? order[order.indexOf(picked.name) + 1] : order[0];
  $('lesson').innerHTML = [
    picked
      ? `<p><strong>${esc(picked.name)}</strong>: ${esc(picked.description)}</p><p class="notice"><strong>What to notice:</strong> ${esc(picked.notice)}</p>`
      : '<p>Typed messages are judged by the statements PostgreSQL reports running: each bumps the pairs it touched, closed over the cascade.</p>',
    picked && QUESTIONS[picked.name]
      ? `<p><strong>Then try:</strong> ${esc(QUESTIONS[picked.name])} <button type="button" data-testid="try-it" id="try-it">type it</button></p>`
      : '',
    next
      ? `<p><button type="button" id="next-step" data-testid="next-step" data-scenario="${esc(next)}">next step: ${esc(next)}</button></p>`
      : '',
  ].join('');
  $('next-step')?.addEventListener('click', (e) => pick((e.target as HTMLElement).dataset.scenario ?? ''));
  $('try-it')?.addEventListener('click', () => pick(''));
}

function pick(name: string): void {
  scenario.value = name;
  showScenario();
}

function buildControls(catalog: PlaygroundCatalog): void {
  designs.innerHTML = [...catalog.designs.map((d) => d.name), PASTED]
    .map((n) => `<option value="${esc(n)}">${esc(n === PASTED ? 'pasted (your SQL below)' : n)}</option>`)
    .join('');
  designs.size = designs.options.length; // every design in sight, the picked ones marked
  scenario.innerHTML = [
    '<option value="">(type your own messages)</option>',
    ...SCENARIOS.map((s) => `<option value="${esc(s.name)}">${esc(s.name)}</option>`),
  ].join('');
  $('path').innerHTML = pathGroups()
    .map(
      (g) =>
        `<li>${esc(g.title)}<ol>${g.scenarios.map((s) => `<li><button type="button" data-scenario="${esc(s)}">${esc(s)}</button></li>`).join('')}</ol></li>`,
    )
    .join('');
  for (const b of document.querySelectorAll<HTMLButtonElement>('#path button'))
    b.addEventListener('click', () => pick(b.dataset.scenario ?? ''));
}

async function main(): Promise<void> {
  say('loading the designs…', 'loading');
  const catalog = (await (await fetch('catalog.json')).json()) as PlaygroundCatalog;
  const bench = new Workbench(catalog, openPageDatabase);
  buildControls(catalog);
  showState(fragmentState(location.hash));
  scenario.addEventListener('change', showScenario);
  $('add-message').addEventListener('click', () => addMessage().focus());
  let busy = false;
  const guarded = (what: () => Promise<void>) => async () => {
    if (busy) return;
    busy = true;
    try {
      await what();
    } catch (e) {
      say((e as Error).message, 'error');
    } finally {
      busy = false;
    }
  };
  $('run').addEventListener(
    'click',
    guarded(async () => {
      const s = readState();
      history.replaceState(null, '', `#${stateFragment(s)}`);
      const picked = s.designs.filter((d) => d !== PASTED || s.pasted.trim());
      say(
        `running on ${picked.join(', ')} (a new design's database takes a few seconds to start)…`,
        'running',
      );
      const workload = s.scenario ? { scenario: s.scenario } : { messages: s.messages };
      const reports = await bench.run(picked, s.pasted, workload);
      results.innerHTML = scenarioBody(reports, { docs: PAGE_DOCS });
      say(reports.map((r) => `${r.design}: ${r.ok ? 'promise kept' : 'promise broken'}`).join(' · '), 'done');
    }),
  );
  $('reset').addEventListener(
    'click',
    guarded(async () => {
      say('emptying every database…', 'running');
      await bench.reset();
      results.replaceChildren();
      say('every database is back to its design as installed: no rows, no versions', 'ready');
    }),
  );
  $('share').addEventListener('click', () => {
    history.replaceState(null, '', `#${stateFragment(readState())}`);
    shareLink.hidden = false;
    shareLink.value = location.href;
    shareLink.select();
  });
  say('ready: pick designs and a scenario, or type messages, then Run', 'ready');
}

main().catch((e: Error) => say(`the playground could not start: ${e.message}`, 'error'));
