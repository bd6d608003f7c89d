import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/engine/database.js';
import { loadDesign } from '../../src/engine/design/designs.js';
import { runSqlFiles } from '../../src/engine/design/install.js';
import { openPGlite } from '../../src/engine/pglite/adapter.js';
import { InputError } from '../../src/model/input-error.js';
import { Simulator } from '../../src/verify/simulator.js';
import { graph } from '../support/fixtures.js';

let db: Database;
beforeAll(async () => {
  db = await openPGlite();
});
afterAll(async () => {
  await db.close();
});

const fails = (sql: string) =>
  runSqlFiles(db, [{ path: 'design.sql', sql }]).then(
    () => null,
    (e: Error) => e,
  );

describe('installing a design', () => {
  it('names the line of an error inside a function body, not the first line of the statement', async () => {
    const err = await fails(
      '-- a design\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\n  SELEC 2;\nEND $$;\n',
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err?.message).toMatch(/^design\.sql:5: syntax error at or near "SELEC"/);
  });

  it('names the failing statement of a batch, and leaves none of the batch behind', async () => {
    const sql = `${Array.from({ length: 30 }, (_, i) => `CREATE TABLE t${i} (x int);`).join('\n')}\nCREATE TABLE t3 (x int);\n`;
    const err = await fails(sql);
    expect(err?.message).toMatch(/^design\.sql:31: relation "t3" already exists/);
    // The statements before the failing one ran, one at a time, as psql would have run them.
    const [row] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class WHERE relname ~ '^t[0-9]+$'",
    );
    expect(row?.n).toBe(30);
  });

  it('loads a design of many short statements, every one of them', async () => {
    const n = 20_000;
    const sql = `CREATE TABLE many (x int);\n${Array.from({ length: n }, (_, i) => `INSERT INTO many VALUES (${i});`).join('\n')}`;
    await runSqlFiles(db, [{ path: 'many.sql', sql }]);
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM many');
    expect(row?.n).toBe(n);
  });

  it('rejects a graph whose read names a builder that does not exist, naming the graph file', async () => {
    const broken = {
      ...graph,
      reads: [{ name: 'r', domains: ['price'], builder: 'turbo.no_such_builder', tables: ['price'] }],
    };
    const err = await Simulator.create(loadDesign('robust'), broken).then(
      (s) => s.close().then(() => null),
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err?.message).toContain('turbo.no_such_builder(jsonb)');
    expect(err?.message).toContain('seed.json');
  });
});
