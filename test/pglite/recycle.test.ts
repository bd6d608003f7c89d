import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/engine/database.js';
import { loadDesign } from '../../src/engine/design/designs.js';
import { installDesign } from '../../src/engine/design/install.js';
import { openPGlite } from '../../src/engine/pglite/adapter.js';
import { pgliteOpenings } from '../../src/engine/pglite/idle-workers.js';
import { graph } from '../support/fixtures.js';

// A closed PGlite database is emptied and kept for the next opening of the process only when it is
// then as a fresh one (src/engine/pglite/recycle.js). These tests see both sides: what a design left
// is gone from the database handed out again, and a change the emptying cannot undo means a new one.

/** What a design could see of the catalogs, to compare a fresh database with a handed-out one. */
async function catalogs(db: Database): Promise<Record<string, unknown>> {
  const [row] = await db.query(`SELECT
      (SELECT count(*)::int FROM pg_class) AS relations,
      (SELECT count(*)::int FROM pg_proc) AS functions,
      (SELECT count(*)::int FROM pg_type) AS types,
      (SELECT count(*)::int FROM pg_trigger) AS triggers,
      (SELECT count(*)::int FROM pg_event_trigger) AS event_triggers,
      (SELECT count(*)::int FROM pg_extension) AS extensions,
      (SELECT count(*)::int FROM pg_depend) AS dependencies,
      (SELECT count(*)::int FROM pg_description) AS comments,
      (SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles) AS roles,
      (SELECT string_agg(nspname || ':' || nspowner::regrole || ':' || coalesce(nspacl::text, '-'), ',' ORDER BY nspname)
         FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%temp%') AS schemas,
      (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS public_tables,
      current_setting('work_mem') AS work_mem`);
  return row ?? {};
}

/** Opens a database and says whether it was started or handed out again. */
async function open(): Promise<{ db: Database; reused: boolean }> {
  const before = pgliteOpenings().reused;
  const db = await openPGlite();
  return { db, reused: pgliteOpenings().reused > before };
}

describe('a closed PGlite database', () => {
  it('is handed out again emptied, as a fresh one, after a design used it', async () => {
    // Three open at once: a process keeps two at most, so the third is started, its catalogs a fresh one's.
    const held = [await open(), await open(), await open()];
    expect(held[2]?.reused).toBe(false);
    const fresh = held[2] && (await catalogs(held[2].db));
    for (const { db } of held) await db.close();
    const used = await open();
    expect(used.reused).toBe(true);
    await installDesign(used.db, graph, loadDesign('robust'));
    await used.db.exec(`CREATE ROLE turbo_reader; GRANT USAGE ON SCHEMA turbo TO turbo_reader;
      CREATE TEMP TABLE scratch (x int);
      CREATE FUNCTION public.refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN RAISE 'no DDL'; END $$;
      CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION public.refuse()`);
    await used.db.exec("SET work_mem = '8MB'");
    expect(await catalogs(used.db)).not.toEqual(fresh);
    // Closed inside a failed transaction, as a test that threw would leave it.
    await used.db.exec('BEGIN; SELECT 1 / 0').catch(() => {});
    await used.db.close();
    const again = await open();
    expect(again.reused).toBe(true);
    expect(await catalogs(again.db)).toEqual(fresh);
    await again.db.close();
  });

  it('is not handed out again when a built-in object or a role setting changed', async () => {
    // Whatever this process kept is held open meanwhile: the next opening then gets a closed one or a new one.
    const held = [await open(), await open()];
    // One change of each kind the check sees: a built-in row written since the start, a row added to
    // a catalog the emptying does not empty. (Each costs a database started afresh after it.)
    for (const change of [
      'CREATE ROLE turbo_clock; GRANT EXECUTE ON FUNCTION pg_catalog.now() TO turbo_clock',
      "ALTER ROLE postgres SET work_mem = '8MB'",
    ]) {
      const { db } = await open();
      await db.exec(change);
      await db.close();
      const next = await open();
      expect(next.reused, change).toBe(false);
      await next.db.close();
    }
    for (const { db } of held) await db.close();
  });
});
