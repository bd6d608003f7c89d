import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../engine/design/package-root.js';
import { emptyDataDirTar } from '../engine/pglite/adapter.js';
import { InputError } from '../model/input-error.js';
import { playgroundCatalog } from './catalog.js';
import { playgroundHtml } from './page-html.js';

/**
 * The playground as files: the page, its bundle (built by `npm run build`), the catalog of designs,
 * and the WASM and data files of PGlite and libpg-query from node_modules, which the bundle loads
 * from beside itself. Nothing else: the page asks for nothing from another origin.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.tar': 'application/x-tar',
  '.md': 'text/markdown; charset=utf-8',
};

const typeOf = (name: string) => TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';

/** What one file of the site holds. */
type Content = string | Uint8Array;

/** The site's files by name, each read when it is asked for. */
export function siteFiles(): Map<string, () => Content | Promise<Content>> {
  const bundle = join(packageRoot(), 'dist', 'playground', 'app.js');
  if (!existsSync(bundle))
    throw new InputError(`the playground's page is not built (${bundle} is missing): run npm run build`);
  const require = createRequire(import.meta.url);
  const pglite = dirname(require.resolve('@electric-sql/pglite'));
  const parser = dirname(require.resolve('libpg-query'));
  const file = (dir: string, name: string) => () => readFileSync(join(dir, name));
  const docs = join(packageRoot(), 'docs');
  return new Map<string, () => Content | Promise<Content>>([
    ['index.html', playgroundHtml],
    ['app.js', file(dirname(bundle), 'app.js')],
    ['catalog.json', () => JSON.stringify(playgroundCatalog())],
    ['pglite.wasm', file(pglite, 'pglite.wasm')],
    ['pglite.data', file(pglite, 'pglite.data')],
    ['initdb.wasm', file(pglite, 'initdb.wasm')],
    ['libpg-query.wasm', file(parser, 'libpg-query.wasm')],
    // An initialized empty data directory: a page's database loads it instead of running initdb,
    // which in a browser took five times as long (29 s against 6 s at load 11).
    ['pgdata.tar', async () => new Uint8Array(await emptyDataDirTar())],
    // The catalogue and the other docs a report's why lines link to ({@link PAGE_DOCS}).
    ...readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f): [string, () => Content] => [`docs/${f}`, file(docs, f)]),
  ]);
}

/**
 * Writes the site into `dir` (created if missing), for any static file server, through `write`
 * (the CLI's checked, whole-file writer); returns the paths written.
 */
export async function writeSite(
  dir: string,
  write: (path: string, data: Content) => void = writeFileSync,
): Promise<string[]> {
  const files = siteFiles();
  mkdirSync(dir, { recursive: true });
  const paths = [...files.keys()].map((name) => join(dir, name));
  for (const [name, read] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    write(join(dir, name), await read());
  }
  return paths;
}

/** A running playground server. */
export interface PlaygroundServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the site on 127.0.0.1 (port 0: any free one). The files are read once, at start: the
 * catalog is the package's designs as they are now.
 */
export async function serveSite(port: number): Promise<PlaygroundServer> {
  const files = new Map<string, Content>();
  for (const [name, read] of siteFiles()) files.set(name, await read());
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.slice(1) || 'index.html';
    const body = files.get(path);
    if (body === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': typeOf(path), 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new InputError(`--port ${port}: already in use`) : e),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
