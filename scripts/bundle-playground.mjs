// Bundles the playground's page (src/playground/page/main.ts, with the model, the teaching content,
// the engine's install and the verifier it imports) into dist/playground/app.js, at build time:
// `turbo-sim playground` only serves files and downloads nothing. Node's built-in modules, which
// the engine imports for its file and thread code the page never calls, become empty modules; the
// WASM files PGlite and libpg-query look for beside the bundle are served from node_modules.
import { build } from 'esbuild';

const nodeBuiltin = /^(node:)?(fs|fs\/promises|path|url|module|os|crypto|v8|worker_threads|child_process|process)$/;

await build({
  entryPoints: ['src/playground/page/main.ts'],
  outfile: 'dist/playground/app.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [
    {
      name: 'node-builtins-empty',
      setup(b) {
        b.onResolve({ filter: nodeBuiltin }, (a) => ({ path: a.path, namespace: 'node-builtin' }));
        // CommonJS, so that any named import of it is undefined rather than a bundling error.
        b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, () => ({ contents: 'module.exports = {};' }));
      },
    },
  ],
});
