import { describe, expect, it } from 'vitest';
import { splitSql } from '../../src/engine/design/sql-split.js';
import { InputError } from '../../src/model/input-error.js';

describe('splitSql (PostgreSQL parser)', () => {
  it('splits at top-level semicolons only, with start lines', async () => {
    const text = [
      '-- header; not a statement',
      "INSERT INTO t VALUES ('a;b');",
      'CREATE FUNCTION f() RETURNS void AS $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql;',
      '/* block; comment */ SELECT "odd;name" FROM t;',
      'DO $body$ BEGIN RAISE NOTICE $$x;y$$; END $body$',
    ].join('\n');
    const parts = await splitSql(text);
    expect(parts.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(parts[0]?.sql).toContain("'a;b'");
    expect(parts[1]?.sql).toContain('PERFORM 1; END $$');
    expect(parts[3]?.sql).toMatch(/^DO \$body\$.*END \$body\$$/s);
  });

  it('takes what psql takes: BEGIN ATOMIC bodies, escaped strings, text after non-ASCII', async () => {
    const text = [
      "SELECT 'héllo wörld';",
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
      "SELECT E'it\\'s; fine';",
      'SELECT 3',
    ].join('\n');
    const parts = await splitSql(text);
    expect(parts.map((p) => [p.line, p.sql])).toEqual([
      [1, "SELECT 'héllo wörld'"],
      [2, 'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END'],
      [3, "SELECT E'it\\'s; fine'"],
      [4, 'SELECT 3'],
    ]);
  });

  it('ignores a file of comments only', async () => {
    expect(await splitSql('-- nothing\n/* here */\n')).toEqual([]);
  });

  it('marks statements that cannot share a transaction block', async () => {
    const parts = await splitSql(
      'BEGIN; CREATE INDEX CONCURRENTLY i ON t (x); CREATE INDEX j ON t (x); COMMIT',
    );
    expect(parts.map((p) => p.alone)).toEqual([true, true, false, true]);
  });

  it('names the file and the line of a syntax error', async () => {
    const err = await splitSql('SELECT 1;\n\nCREATE FUNCTON nope();\n', 'design.sql').catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^design\.sql:3: syntax error at or near "FUNCTON"/);
  });
});
