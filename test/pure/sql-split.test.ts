import { describe, expect, it } from 'vitest';
import { splitSql } from '../../src/engine/sql-split.js';

describe('splitSql', () => {
  it('splits at top-level semicolons only, with start lines', () => {
    const text = [
      '-- header; not a statement',
      "INSERT INTO t VALUES ('a;b');",
      'CREATE FUNCTION f() RETURNS void AS $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql;',
      '/* block; comment */ SELECT "odd;name" FROM t;',
      'DO $body$ BEGIN RAISE NOTICE $$x;y$$; END $body$',
    ].join('\n');
    const parts = splitSql(text);
    expect(parts.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(parts[0]?.sql).toContain("'a;b'");
    expect(parts[1]?.sql).toContain('PERFORM 1; END $$');
    expect(parts[3]?.sql).toMatch(/^DO \$body\$.*END \$body\$$/s);
  });

  it('ignores a file of comments only', () => {
    expect(splitSql('-- nothing\n/* here */\n')).toEqual([]);
  });
});
