import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout rules of docs/architecture.md, checked on every run so they cannot rot: each folder of
// the pipeline imports only from the folders below it, the spec is pure TypeScript, and no source
// file grows past 300 lines.
const SRC = resolve('src');
const LAYERS = ['spec', 'engine', 'verify', 'report', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] as string);
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] ?? '';

/** `file -> import` for every relative import that reaches a folder above the file's own. */
function upwardImports(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [f, specs] of graph) {
    if (!LAYERS.includes(layerOf(f))) continue;
    for (const spec of specs.filter((s) => s.startsWith('.'))) {
      const target = layerOf(resolve(dirname(f), spec));
      if (LAYERS.indexOf(target) > LAYERS.indexOf(layerOf(f))) out.push(`${relative(SRC, f)} -> ${spec}`);
    }
  }
  return out;
}

describe('source layout', () => {
  const files = sources(SRC);

  it('puts every source file in one folder of the pipeline (index.ts aside)', () => {
    const stray = files.filter((f) => !LAYERS.includes(layerOf(f)) && relative(SRC, f) !== 'index.ts');
    expect(stray).toEqual([]);
  });

  it('imports only from the same folder or one below it', () => {
    expect(upwardImports(new Map(files.map((f) => [f, imports(f)])))).toEqual([]);
  });

  it('keeps the spec free of databases, files and processes', () => {
    const impure = files
      .filter((f) => layerOf(f) === 'spec')
      .flatMap((f) =>
        imports(f)
          .filter((s) => !s.startsWith('./') && s !== 'fast-check')
          .map((s) => `${relative(SRC, f)}: ${s}`),
      );
    expect(impure).toEqual([]);
  });

  it('keeps every source file under 300 lines', () => {
    const long = files
      .map((f) => ({ f: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > 300);
    expect(long).toEqual([]);
  });

  // The check itself must be able to fail: the real imports of one file, plus one upward import.
  it('finds an upward import when there is one', () => {
    const model = join(SRC, 'spec', 'model.ts');
    const specs = imports(model);
    expect(specs).toContain('./render-sql.js');
    expect(upwardImports(new Map([[model, [...specs, '../verify/verdict.js']]]))).toEqual([
      'spec/model.ts -> ../verify/verdict.js',
    ]);
  });
});
