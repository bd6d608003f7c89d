import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/engine/database.js';
import { prepareSchema } from '../../src/engine/design/schema-file.js';
import { splitSql } from '../../src/engine/design/sql-split.js';

// What a pg_dump holds besides the schema, made to load anywhere: no database needed, only its
// settings' names (a stub answers the one query prepareSchema sends).
const settings = ['statement_timeout', 'client_encoding', 'check_function_bodies', 'search_path'];
const roles = ['postgres', 'app_writer'];
const db = {
  query: async (sql: string) => (sql.includes('pg_roles') ? roles : settings).map((name) => ({ name })),
} as unknown as Database;

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
  it('skips row-level security policies for roles this database lacks, keeps the others, and says so once', async () => {
    const sql = `CREATE TABLE app.tv_x (id bigint PRIMARY KEY, org_id uuid NOT NULL);
ALTER TABLE app.tv_x ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_reader ON app.tv_x FOR SELECT TO app_reader USING (true);
CREATE POLICY p_mixed ON app.tv_x TO app_writer, app_auditor USING (true);
CREATE POLICY p_writer ON app.tv_x TO app_writer USING (true);
CREATE POLICY p_all ON app.tv_x USING (true);
ALTER POLICY p_all ON app.tv_x TO app_reader;
`;
    const { files, notes } = await prepareSchema(db, [{ path: 'rls.sql', sql }]);
    const kept = (await splitSql(files[0]?.sql ?? '')).map((s) => s.sql.split(' ').slice(0, 3).join(' '));
    expect(kept).toEqual([
      'CREATE TABLE app.tv_x',
      'ALTER TABLE app.tv_x',
      'CREATE POLICY p_writer',
      'CREATE POLICY p_all',
    ]);
    expect(notes).toEqual([
      "skipped 3 row-level security policies for role(s) app_auditor, app_reader, which this database lacks: a policy applies to its roles only, and the check runs as the database's owner",
    ]);
  });

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
