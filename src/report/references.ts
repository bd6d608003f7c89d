import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../engine/design/package-root.js';
import { docHeading } from './diagnosis.js';
import { esc } from './html.js';

/**
 * Where a page finds the docs shipped in the package: `href` as the page links it (a path relative
 * to where the page was written, or a file: URL), `path` as the page tells the reader where they are.
 */
export interface DocsLocation {
  href: string;
  path: string;
}

/** The package's docs folder as a file: URL, for a page whose own location is not known. */
export function packageDocs(): DocsLocation {
  const path = join(packageRoot(), 'docs');
  return { href: `${pathToFileURL(path).href}/`, path };
}

/**
 * The package's docs as linked from a page written to `pageFile`: a relative path, which keeps
 * working when the page and the package move together, or a file: URL where no relative path
 * exists (another drive).
 */
export function docsFromPage(pageFile: string): DocsLocation {
  const docs = packageDocs();
  const rel = relative(dirname(resolve(pageFile)), docs.path);
  if (isAbsolute(rel)) return docs;
  const href = rel.split(sep).filter(Boolean).map(encodeURIComponent).join('/');
  return { href: href ? `${href}/` : './', path: docs.path };
}

/** Said after text that names `docs/...` entries: where those docs are, since a user's cwd has none. */
export function docsLine(): string {
  return `docs/ above: the catalogue shipped with turbo-sim, at ${packageDocs().path}`;
}

/** A cause a page names, with its catalogue entry (`docs/defects.md#...`) and its fix. */
export interface NamedEntry {
  cause: string;
  line: string;
  doc: string | null;
  fix?: string | null;
}

/** The in-page anchor of a catalogue entry, or of a class without one. */
export const entryId = (e: Pick<NamedEntry, 'cause' | 'doc'>) =>
  `entry-${(e.doc ?? e.cause).replace(/^docs\//, '').replace(/[^a-z0-9-]+/gi, '-')}`;

/** A catalogue link (`docs/defects.md#d1-...`) as a link into the package's docs. */
export function docAnchor(doc: string, docs: DocsLocation): string {
  const href = `${docs.href}${doc.replace(/^docs\//, '')}`;
  return `<a class="doc" href="${esc(href)}">${esc(doc)}</a>`;
}

/**
 * The entries a page's why lines link to, each once: its heading, what it means, what to change,
 * and its place in the catalogue. The page carries them so that "Read more" works offline and
 * wherever the page was written; the catalogue link says where the full entry is.
 */
export function entriesHtml(entries: NamedEntry[], docs: DocsLocation): string {
  const seen = new Map<string, NamedEntry>();
  for (const e of entries) if (!seen.has(entryId(e))) seen.set(entryId(e), e);
  if (seen.size === 0) return '';
  const items = [...seen].map(
    ([id, e]) =>
      `<section class="entry" id="${esc(id)}" data-cause="${esc(e.cause)}"><h3>${esc(e.doc ? docHeading(e.doc) : e.cause)}</h3><p>${esc(e.line)}.</p>${e.fix ? `<p class="fix">fix: ${esc(e.fix)}</p>` : ''}${e.doc ? `<p class="muted">The whole entry: ${docAnchor(e.doc, docs)}</p>` : ''}</section>`,
  );
  return `<h2 id="entries">The defects this page names</h2><p class="muted">The catalogue ships with turbo-sim: ${esc(docs.path)}.</p>${items.join('')}`;
}

/** A why line with its "Read more" linked to the entry's section on the same page. */
export function causeHtml(c: NamedEntry, note = ''): string {
  const more =
    c.doc || c.fix
      ? ` <a class="more" href="#${esc(entryId(c))}">Read more: ${esc(c.doc ? docHeading(c.doc) : 'what to change')}</a>`
      : '';
  return `<p class="why" data-cause="${esc(c.cause)}">why${note ? ` <span class="muted">${esc(note)}</span>` : ''}: ${esc(c.line)}.${more}</p>`;
}
