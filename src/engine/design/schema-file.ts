import { readFileSync } from 'node:fs';
import { InputError } from '../../model/input-error.js';
import type { Database } from '../database.js';
import type { SqlFile } from './sql-files.js';
import { type SqlStatement, splitSql } from './sql-split.js';

/**
 * A user's schema (`--schema`): a `pg_dump --schema-only` file, or migrations applied in order. What
 * pg_dump writes besides the schema itself is made to load anywhere: psql's meta-commands
 * (`\connect`, `\restrict`) are dropped; ownership and privileges name roles that exist where the
 * dump was made, and mean nothing to a check run as the database's owner, so they are skipped
 * (with one note), and so are row-level security policies for roles this database lacks; SET lines
 * of settings this PostgreSQL does not have (a newer pg_dump's) too.
 * Extensions are created where the database has them; elsewhere loading stops (exit 2) saying so.
 */

/** The contrib modules of the extensions a schema creates (`uuid-ossp` is module uuid_ossp), for PGlite to load. */
export function schemaExtensions(files: SqlFile[]): string[] {
  const names = files.flatMap((f) =>
    [...f.sql.matchAll(/CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?("?)([\w-]+)\1/gi)].map(
      (m) => m[2] ?? '',
    ),
  );
  return [
    ...new Set(names.filter((n) => n && n !== 'plpgsql').map((n) => n.toLowerCase().replace(/-/g, '_'))),
  ];
}

/** Reads the schema files, in the order given. */
export function readSchemaFiles(paths: string[]): SqlFile[] {
  return paths.map((path) => {
    try {
      return { path, sql: readFileSync(path, 'utf8') };
    } catch {
      throw new InputError(`cannot read schema file ${path}`);
    }
  });
}

// Statements about who owns or may use an object, and about databases and roles: skipped.
const PRIVILEGES = new Set([
  'AlterOwnerStmt',
  'GrantStmt',
  'GrantRoleStmt',
  'AlterDefaultPrivilegesStmt',
  'CreateRoleStmt',
  'AlterRoleStmt',
  'AlterRoleSetStmt',
  'CreatedbStmt',
  'AlterDatabaseStmt',
  'AlterDatabaseSetStmt',
  'AlterDatabaseRefreshCollStmt',
  'SecLabelStmt',
]);

/** The role names a statement's tree mentions. */
function rolesIn(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) rolesIn(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.rolename === 'string') out.add(o.rolename);
    for (const v of Object.values(o)) rolesIn(v, out);
  }
}

type Body = Record<string, unknown>;

/** What this database has that a statement may name: its settings and its roles. */
interface Here {
  settings: Set<string>;
  roles: Set<string>;
}

/** Why a statement is not sent, or null to send it. */
function skipReason(st: SqlStatement, here: Here): 'privilege' | 'policy' | 'setting' | 'plpgsql' | null {
  const [kind, body] = Object.entries(st.node)[0] ?? ['', {}];
  const b = body as Body;
  const settings = here.settings;
  if (PRIVILEGES.has(kind)) return 'privilege';
  // A row-level security policy for roles this database lacks would fail to load. It applies to
  // those roles only, never to the database's owner, who runs the check: skipped, the check is the same.
  if (kind === 'CreatePolicyStmt' || kind === 'AlterPolicyStmt') {
    const named = new Set<string>();
    rolesIn(b.roles, named);
    if ([...named].some((r) => !here.roles.has(r))) return 'policy';
  }
  if (kind === 'AlterTableStmt') {
    const cmds = (b.cmds as { AlterTableCmd?: { subtype?: string } }[] | undefined) ?? [];
    if (cmds.length > 0 && cmds.every((c) => c.AlterTableCmd?.subtype === 'AT_ChangeOwner'))
      return 'privilege';
  }
  if (kind === 'VariableSetStmt' && typeof b.name === 'string' && !settings.has(b.name.toLowerCase()))
    return 'setting';
  // plpgsql is always there; its extension's comment needs the ownership pg_dump assumes.
  const extension =
    kind === 'CreateExtensionStmt' ? b.extname : kind === 'CommentStmt' ? commentedExtension(b) : null;
  return extension === 'plpgsql' ? 'plpgsql' : null;
}

function commentedExtension(b: Body): unknown {
  return b.objtype === 'OBJECT_EXTENSION' ? (b.object as { String?: { sval?: string } })?.String?.sval : null;
}

/** The text with a range blanked out, its line breaks kept, so errors still name the file's own lines. */
function blank(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);
}

/** What was left out, for the notes. */
interface Skipped {
  privileges: number;
  roles: Set<string>;
  policies: number;
  policyRoles: Set<string>;
  settings: Set<string>;
}

/** One schema file made ready to load here, and what was left out. */
async function prepareFile(f: SqlFile, here: Here, skipped: Skipped): Promise<SqlFile> {
  // psql's meta-commands are lines starting with a backslash; PostgreSQL never sees them.
  let sql = f.sql.replace(/^\\[a-zA-Z!?].*$/gm, (line) => ' '.repeat(line.length));
  const sts = await splitSql(sql, f.path);
  for (const st of [...sts].reverse()) {
    const why = skipReason(st, here);
    if (!why) continue;
    if (why === 'privilege') {
      skipped.privileges += 1;
      rolesIn(st.node, skipped.roles);
    }
    if (why === 'policy') {
      skipped.policies += 1;
      rolesIn((Object.values(st.node)[0] as Body).roles, skipped.policyRoles);
    }
    if (why === 'setting') skipped.settings.add(String((Object.values(st.node)[0] as Body).name));
    sql = blank(sql, st.offset, st.offset + st.sql.length + (sql[st.offset + st.sql.length] === ';' ? 1 : 0));
  }
  return { path: f.path, sql };
}

/**
 * The schema files as this database will load them, with one note on what was left out. Reads the
 * database's settings so that SET lines of another version's pg_dump are dropped, not failed on.
 */
export async function prepareSchema(
  db: Database,
  files: SqlFile[],
): Promise<{ files: SqlFile[]; notes: string[] }> {
  const names = async (sql: string) => new Set((await db.query<{ name: string }>(sql)).map((r) => r.name));
  const here = {
    settings: await names('SELECT name FROM pg_settings'),
    roles: await names('SELECT rolname AS name FROM pg_roles'),
  };
  const skipped: Skipped = {
    privileges: 0,
    roles: new Set(),
    policies: 0,
    policyRoles: new Set(),
    settings: new Set(),
  };
  const out: SqlFile[] = [];
  for (const f of files) out.push(await prepareFile(f, here, skipped));
  const notes: string[] = [];
  if (skipped.privileges > 0) {
    const roles = [...skipped.roles].sort();
    notes.push(
      `skipped ${skipped.privileges} ownership and privilege statement(s)${roles.length ? ` naming ${roles.join(', ')}` : ''}: the check runs as the database's owner`,
    );
  }
  if (skipped.policies > 0)
    notes.push(
      `skipped ${skipped.policies} row-level security polic${skipped.policies === 1 ? 'y' : 'ies'} for role(s) ${[
        ...skipped.policyRoles,
      ]
        .filter((r) => !here.roles.has(r))
        .sort()
        .join(
          ', ',
        )}, which this database lacks: a policy applies to its roles only, and the check runs as the database's owner`,
    );
  if (skipped.settings.size > 0)
    notes.push(
      `skipped SET of setting(s) this PostgreSQL does not have: ${[...skipped.settings].sort().join(', ')}`,
    );
  return { files: out, notes };
}
