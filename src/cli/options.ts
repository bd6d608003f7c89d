import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Database } from '../engine/database.js';
import { loadDomainGraph, seedGraph } from '../engine/domain-file.js';
import { packageRoot } from '../engine/package-root.js';
import { openPostgres } from '../engine/postgres.js';
import type { DomainGraph } from '../spec/domain-graph.js';

// What every command shares: where output goes, how flags are parsed, how a database is chosen.
// Machine output (--json) goes to stdout only, messages to stderr.

/** Writes a line to stdout (results). */
export const print = (s: string) => process.stdout.write(`${s}\n`);
/** Writes a line to stderr (progress and messages). */
export const note = (s: string) => process.stderr.write(`${s}\n`);

/** turbo-sim's own version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** A commander parser for a positive integer flag. */
export function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
    }
    return Number(v);
  };
}

/** A commander parser for positive integers separated by commas. */
export function numberList(name: string) {
  return (v: string): number[] => {
    const xs = v.split(',').map((x) => x.trim());
    if (xs.some((x) => !/^\d+$/.test(x) || Number(x) < 1))
      throw new InvalidArgumentError(`${name} must be positive integers separated by commas, got "${v}"`);
    return xs.map(Number);
  };
}

/** A commander parser for --seed: a 32-bit integer, as fast-check takes it. */
export function seedValue(v: string): number {
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Math.abs(Number(v)) > 2 ** 31 - 1) {
    throw new InvalidArgumentError(`seed must be a 32-bit integer, got "${v}"`);
  }
  return Number(v) | 0;
}

/** --database-url: work on a PostgreSQL server (in a database turbo-sim creates and drops) instead of PGlite. */
export const databaseUrlOption = () =>
  new Option(
    '--database-url <url>',
    'run on this PostgreSQL server instead of PGlite, inside a fresh database turbo-sim creates and drops (needs CREATEDB)',
  ).env('DATABASE_URL');

/** How to open a database: a fresh one on the server at `url`, or PGlite (undefined) without one. */
export function openerFrom(url: string | undefined): (() => Promise<Database>) | undefined {
  return url ? async () => (await openPostgres(url)).db : undefined;
}

/** --domains FILE, or the seed's graph. */
export function graphFrom(domains: string | undefined): DomainGraph {
  return domains ? loadDomainGraph(domains) : seedGraph();
}
