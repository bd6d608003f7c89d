import type pg from 'pg';

// A design runs in a database of its own, but some statements reach the whole server: CREATE
// DATABASE, ALTER ROLE ... SET, ALTER SYSTEM. They outlive the run's database, so turbo-sim takes a
// picture of them before the run and puts back the settings the design changed after it, saying
// so; a new database is named, not dropped, since it may be someone else's.
// (Roles are handled beside this, in adapter.ts.)

/** What of the server a design can change from inside its own database. */
export interface ClusterState {
  databases: Set<string>;
  /** `role|database` -> the settings, as pg_db_role_setting keeps them. */
  roleSettings: Map<string, string[]>;
  /** ALTER SYSTEM's settings (postgresql.auto.conf); null where the role may not read them. */
  systemSettings: Map<string, string> | null;
}

/** The server's databases, role settings and ALTER SYSTEM settings now. */
export async function clusterState(admin: pg.Client): Promise<ClusterState> {
  const databases = new Set(
    (await admin.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((r) => r.datname),
  );
  const roleSettings = new Map(
    (
      await admin.query<{ key: string; config: string[] }>(
        `SELECT coalesce(r.rolname, '') || '|' || coalesce(d.datname, '') AS key, s.setconfig AS config
           FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase`,
      )
    ).rows.map((r) => [r.key, r.config]),
  );
  let systemSettings: Map<string, string> | null = null;
  try {
    systemSettings = new Map(
      (
        await admin.query<{ name: string; setting: string }>(
          `SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' AND error IS NULL`,
        )
      ).rows.map((r) => [r.name, r.setting]),
    );
  } catch {
    // pg_file_settings needs a superuser; a role that cannot read it cannot ALTER SYSTEM either.
  }
  return { databases, roleSettings, systemSettings };
}

const ident = (c: pg.Client, name: string) => c.escapeIdentifier(name);

/**
 * Puts back what changed on the server since `before` (databases the design created, role settings,
 * ALTER SYSTEM settings), leaving out `own` (the run's database, dropped already) and roles not in
 * `rolesBefore` (dropped next), and returns one
 * line for each thing put back or that could not be.
 */
export async function restoreCluster(
  admin: pg.Client,
  before: ClusterState,
  own: string,
  rolesBefore: Set<string>,
): Promise<string[]> {
  const after = await clusterState(admin);
  const notes: string[] = [];
  const attempt = async (what: string, sql: string[]) => {
    try {
      for (const q of sql) await admin.query(q);
      notes.push(`the design ${what}; turbo-sim undid it`);
    } catch (e) {
      notes.push(`the design ${what}; turbo-sim could not undo it: ${(e as Error).message}`);
    }
  };
  // A new database may be someone else's, made on the same server meanwhile: named, not dropped.
  for (const db of after.databases)
    if (!before.databases.has(db) && db !== own && !db.startsWith('turbo_sim_'))
      notes.push(
        `database ${db} appeared on the server during the run (a CREATE DATABASE of the design?); turbo-sim leaves it: DROP DATABASE ${ident(admin, db)} if it is the design's`,
      );
  for (const [key, config] of after.roleSettings) {
    const old = before.roleSettings.get(key) ?? [];
    const [role = '', db = ''] = key.split('|');
    // A role the design created is dropped with its settings (adapter.ts).
    if (db === own || !rolesBefore.has(role) || old.join('\n') === config.join('\n')) continue;
    const target = `ROLE ${ident(admin, role)}${db ? ` IN DATABASE ${ident(admin, db)}` : ''}`;
    await attempt(`changed the settings of ${role}${db ? ` in ${db}` : ''} (${config.join(', ')})`, [
      `ALTER ${target} RESET ALL`,
      ...old.map((kv) => {
        const eq = kv.indexOf('=');
        return `ALTER ${target} SET ${ident(admin, kv.slice(0, eq))} = ${admin.escapeLiteral(kv.slice(eq + 1))}`;
      }),
    ]);
  }
  if (before.systemSettings && after.systemSettings) {
    for (const [name, setting] of after.systemSettings) {
      const old = before.systemSettings.get(name);
      if (old === setting) continue;
      await attempt(`ran ALTER SYSTEM SET ${name} = ${setting}`, [
        old === undefined
          ? `ALTER SYSTEM RESET ${ident(admin, name)}`
          : `ALTER SYSTEM SET ${ident(admin, name)} = ${admin.escapeLiteral(old)}`,
        'SELECT pg_reload_conf()',
      ]);
    }
  }
  return notes;
}
