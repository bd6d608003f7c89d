import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/engine/database.js';
import { prepareSchema } from '../../src/engine/design/schema-file.js';
import { splitSql } from '../../src/engine/design/sql-split.js';

// What a pg_dump holds besides the schema, made to load anywhere: no database needed, only its
// settings' names (a stub answers the one query prepareSchema sends).
const settings = ['statement_timeout', 'client_encoding', 'check_function_bodies', 'search_path'];
const db = { query: async () => settings.map((name) => ({ name })) } as unknown as Database;

const DUMP = `--
-- PostgreSQL database dump
--
\\restrict abc123

SET statement_timeout = 0;
SET transaction_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;
COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';
CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO app_owner;
CREATE TABLE app.tv_x (id bigint PRIMARY KEY, org_id uuid NOT NULL);
ALTER TABLE app.tv_x OWNER TO app_owner;
GRANT SELECT ON TABLE app.tv_x TO app_reader;
\\connect - other

\\unrestrict abc123
`;

describe('prepareSchema', () => {
  it('drops meta-commands, ownership, privileges and unknown settings, keeping the lines where they were', async () => {
    const { files, notes } = await prepareSchema(db, [{ path: 'dump.sql', sql: DUMP }]);
    const [f] = files;
    expect(f?.sql.split('\n').length).toBe(DUMP.split('\n').length);
    const kept = (await splitSql(f?.sql ?? '')).map((s) => s.sql);
    expect(kept).toEqual([
      'SET statement_timeout = 0',
      "SELECT pg_catalog.set_config('search_path', '', false)",
      'CREATE SCHEMA app',
      'CREATE TABLE app.tv_x (id bigint PRIMARY KEY, org_id uuid NOT NULL)',
    ]);
    expect(notes).toEqual([
      "skipped 3 ownership and privilege statement(s) naming app_owner, app_reader: the check runs as the database's owner",
      'skipped SET of setting(s) this PostgreSQL does not have: transaction_timeout',
    ]);
  });
});
