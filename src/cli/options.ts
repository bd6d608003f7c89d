import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Database, DEFAULT_LIMITS, type Limits } from '../engine/database.js';
import { loadDomainGraph, seedGraph } from '../engine/design/domain-file.js';
import { packageRoot } from '../engine/design/package-root.js';
import { openPGlite } from '../engine/pglite/adapter.js';
import type { PostgresOptions } from '../engine/postgres/adapter.js';
import { parseDatabaseUrl } from '../engine/postgres/database-url.js';
import { openPostgres } from '../engine/postgres/server.js';
import type { DomainGraph } from '../model/domain-graph.js';

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

/**
 * The longest time limit taken: a day. Node's timers overflow past 2^31 ms (about 24.8 days) and
 * fire at once, which reported a 30-day --statement-timeout as a design too slow.
 */
const MAX_SECONDS = 86_400;

/** A commander parser for a positive number of seconds (fractions allowed, at most a day), as milliseconds. */
function secondsFlag(name: string) {
  return (v: string): number => {
    if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0)
      throw new InvalidArgumentError(`${name} must be a positive number of seconds, got "${v}"`);
    if (Number(v) > MAX_SECONDS)
      throw new InvalidArgumentError(`${name} must be at most ${MAX_SECONDS} seconds (a day), got "${v}"`);
    return Math.max(1, Math.round(Number(v) * 1000));
  };
}

/** The flags of every command that opens a database. */
export interface DatabaseFlags {
  databaseUrl?: string;
  statementTimeout: number;
  connectTimeout: number;
}

/**
 * Adds --database-url (a PostgreSQL server instead of PGlite, in a database turbo-sim creates and
 * drops), --statement-timeout and --connect-timeout to a command; `required` makes the URL mandatory.
 */
export function databaseOptions(cmd: Command, required = false): Command {
  const url = new Option(
    '--database-url <url>',
    'run on this PostgreSQL server instead of PGlite, inside a fresh database turbo-sim creates and drops (needs CREATEDB)',
  ).env('DATABASE_URL');
  return cmd
    .addOption(required ? url.makeOptionMandatory() : url)
    .addOption(
      new Option(
        '--statement-timeout <seconds>',
        'longest one statement may run (on a server also as its statement_timeout); a design that runs longer stops turbo-sim with exit 2',
      )
        .argParser(secondsFlag('--statement-timeout'))
        .default(DEFAULT_LIMITS.statementTimeoutMs, String(DEFAULT_LIMITS.statementTimeoutMs / 1000)),
    )
    .addOption(
      new Option('--connect-timeout <seconds>', 'longest a server may take to accept a connection and answer')
        .argParser(secondsFlag('--connect-timeout'))
        .default(DEFAULT_LIMITS.connectTimeoutMs, String(DEFAULT_LIMITS.connectTimeoutMs / 1000)),
    );
}

/** The limits the flags ask for. */
export const limitsFrom = (f: DatabaseFlags): Limits => ({
  statementTimeoutMs: f.statementTimeout,
  connectTimeoutMs: f.connectTimeout,
});

/** The server options the flags ask for; roles a design created are reported on stderr. */
export const serverFrom = (f: DatabaseFlags): PostgresOptions => ({ limits: limitsFrom(f), onNote: note });

/**
 * How to open a database: a fresh one on the server at --database-url, or PGlite without one. The
 * URL is checked here, before anything is created (an empty one is an error, not PGlite).
 */
export function openerFrom(f: DatabaseFlags, extensions: string[] = []): () => Promise<Database> {
  const url = f.databaseUrl;
  if (url === undefined) return () => openPGlite(limitsFrom(f), extensions);
  parseDatabaseUrl(url);
  return async () => (await openPostgres(url, serverFrom(f))).db;
}

/**
 * What the running command has finished so far, for the line printed when a signal stops it
 * (commands that can say more replace it).
 */
export const finished = { sofar: () => 'nothing had finished' };

/** --domains FILE, or the seed's graph. */
export function graphFrom(domains: string | undefined): DomainGraph {
  return domains ? loadDomainGraph(domains) : seedGraph();
}
