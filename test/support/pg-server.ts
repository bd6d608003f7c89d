import { afterAll, beforeAll } from 'vitest';
import { type PgServer, startPgServer } from '../../src/engine/postgres/throwaway-server.js';

export { findPgBin, type PgServer, startPgServer } from '../../src/engine/postgres/throwaway-server.js';

/**
 * One throwaway server for the calling test file: started before its tests, stopped after them.
 * `current` stays null (and the tests skip, with a visible message) where no server binary exists.
 */
export function useThrowawayServer(): { current: PgServer | null } {
  const server: { current: PgServer | null } = { current: null };
  beforeAll(async () => {
    // Stopped by afterAll, not by abandonAll(), which cleanup.test.ts calls as a signal would.
    server.current = await startPgServer({ deadlock_timeout: '100ms' }, false);
    if (!server.current) console.warn('skipped: no PostgreSQL server binaries under /usr/lib/postgresql');
  });
  afterAll(() => server.current?.stop());
  return server;
}
