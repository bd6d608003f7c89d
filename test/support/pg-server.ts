import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, inject } from 'vitest';
import { makePgTemplate, type PgServer, startPgServer } from '../../src/engine/postgres/throwaway-server.js';

export { findPgBin, type PgServer, startPgServer } from '../../src/engine/postgres/throwaway-server.js';

/**
 * This vitest worker's initdb template, made on first use in the folder pg-templates.ts provides
 * (which removes it), or undefined: each server then runs initdb itself. One per worker rather than
 * one per run: no worker waits on another's initdb, nor on one that died in the middle of it.
 */
function template(): string | undefined {
  const root = inject('pgTemplates');
  if (!root) return undefined;
  // Per thread too: vitest's threads pool runs its workers in one process.
  const dir = join(root, `${process.pid}-${threadId}`);
  const data = join(dir, 'data');
  if (existsSync(join(dir, 'ready'))) return data;
  mkdirSync(dir, { recursive: true });
  if (!makePgTemplate(dir)) return undefined;
  writeFileSync(join(dir, 'ready'), '');
  return data;
}

/**
 * One throwaway server for the calling test file: started before its tests, stopped after them.
 * `current` stays null (and the tests skip, with a visible message) where no server binary exists.
 */
export function useThrowawayServer(): { current: PgServer | null } {
  const server: { current: PgServer | null } = { current: null };
  beforeAll(async () => {
    // Stopped by afterAll, not by abandonAll(), which cleanup.test.ts calls as a signal would.
    server.current = await startPgServer({ deadlock_timeout: '100ms' }, false, template());
    if (!server.current) console.warn('skipped: no PostgreSQL server binaries under /usr/lib/postgresql');
  });
  afterAll(() => server.current?.stop());
  return server;
}
