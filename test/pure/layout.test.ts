import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout rules of docs/architecture.md, checked on every run so they cannot rot: each folder of
// the pipeline imports only from the folders before it, the model and the teaching content are pure
// TypeScript, no two files import each other round a circle, and no source file grows past 300 lines.
const SRC = resolve('src');
const LAYERS = ['model', 'teaching', 'engine', 'verify', 'bench', 'report', 'playground', 'cli'];
const PURE = ['model', 'teaching'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] as string);
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] ?? '';
const target = (file: string, spec: string) => resolve(dirname(file), spec).replace(/\.js$/, '.ts');

/** `file -> import` for every relative import that reaches a folder after the file's own. */
function upwardImports(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [f, specs] of graph) {
    if (!LAYERS.includes(layerOf(f))) continue;
    for (const spec of specs.filter((s) => s.startsWith('.'))) {
      if (LAYERS.indexOf(layerOf(target(f, spec))) > LAYERS.indexOf(layerOf(f)))
        out.push(`${relative(SRC, f)} -> ${spec}`);
    }
  }
  return out;
}

/** Every circle of relative imports (type-only imports included), each as its files in order. */
function circles(graph: Map<string, string[]>): string[][] {
  const edges = new Map(
    [...graph].map(([f, specs]) => [f, specs.filter((s) => s.startsWith('.')).map((s) => target(f, s))]),
  );
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      found.push(path.slice(path.indexOf(f)).map((p) => relative(SRC, p)));
      return;
    }
    state.set(f, 'open');
    for (const t of edges.get(f) ?? []) walk(t, [...path, t]);
    state.set(f, 'done');
  };
  for (const f of edges.keys()) walk(f, [f]);
  return found;
}

describe('source layout', () => {
  const files = sources(SRC);
  const graph = new Map(files.map((f) => [f, imports(f)]));

  it('puts every source file in one folder of the pipeline (index.ts aside)', () => {
    const stray = files.filter((f) => !LAYERS.includes(layerOf(f)) && relative(SRC, f) !== 'index.ts');
    expect(stray).toEqual([]);
  });

  it('imports only from the same folder or one before it', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('keeps the model and the teaching content free of databases, files and processes', () => {
    const impure = files
      .filter((f) => PURE.includes(layerOf(f)))
      .flatMap((f) =>
        imports(f)
          .filter((s) => !s.startsWith('.') && s !== 'fast-check')
          .map((s) => `${relative(SRC, f)}: ${s}`)
          .concat(
            imports(f)
              .filter((s) => s.startsWith('.') && !PURE.includes(layerOf(target(f, s))))
              .map((s) => `${relative(SRC, f)}: ${s}`),
          ),
      );
    expect(impure).toEqual([]);
  });

  it('keeps every source file under 300 lines', () => {
    const long = files
      .map((f) => ({ f: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > 300);
    expect(long).toEqual([]);
  });

  // The checks themselves must be able to fail: the real imports of one file, plus one upward
  // import; and a circle of two files.
  it('finds an upward import and a circle when there is one', () => {
    const model = join(SRC, 'model', 'model.ts');
    const specs = imports(model);
    expect(specs).toContain('./sql/prepared.js');
    expect(upwardImports(new Map([[model, [...specs, '../verify/verdict.js']]]))).toEqual([
      'model/model.ts -> ../verify/verdict.js',
    ]);
    const plan = join(SRC, 'model', 'plan.ts');
    expect(
      circles(
        new Map([
          [model, ['./plan.js']],
          [plan, ['./model.js']],
        ]),
      ),
    ).toEqual([['model/model.ts', 'model/plan.ts', 'model/model.ts']]);
  });
});
