// @ts-check
// Starting a PGlite database costs about 0.85 s of CPU (loading a 33 MB data directory, booting
// PostgreSQL); emptying one a design has used costs a few tens of milliseconds. So a closed database
// is emptied here and kept for the next opening, but only when it is provably as a fresh one would be:
// every catalog holds as many rows as when the database started, none of them written since except
// by the emptying itself (which writes the same rows every time), and the settings are the same.
// Anything else (a GRANT on a built-in function, a comment on a database, a role's settings) and the
// database is thrown away instead. One difference is beyond SQL's reach: a custom setting a design
// once set ('turbo.statement') stays defined, as '', where a fresh database says NULL. A database's
// second run of a check already starts so (the simulator empties a session's state, not PostgreSQL's
// list of names), so a recycled database's first run is like any later run of a fresh one, and like
// a pooled connection on a server. Plain JavaScript, loaded by worker.js.

/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */
/** @typedef {{ catalogs: string, count: Record<string, number>, written: Record<string, number>, next: bigint, settings: string }} Baseline */

// Everything a design may create outside the catalogs' own rows goes with its schema, its role, its
// event trigger or its extension. `public` is dropped and made again as initdb makes it, so that its
// rows are written by this one transaction every time.
const EMPTY = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP
    EXECUTE format('DROP EVENT TRIGGER %I', r.evtname);
  END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  FOR r IN SELECT rolname FROM pg_roles WHERE oid >= 16384 LOOP
    EXECUTE format('DROP OWNED BY %I CASCADE', r.rolname);
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';`;

/** The transaction ids of rows in the counts below, as numbers (epoch 0: a database lives far shorter). */
const XMIN = 'xmin::text::bigint';

/**
 * Per catalog: its rows, those written by transaction `mark`, and those written from transaction
 * `from` on by any other. One statement over every catalog of the database.
 * @param {PGlite} db @param {string} catalogs @param {bigint} from @param {bigint} mark
 */
async function countRows(db, catalogs, from, mark) {
  const sql = catalogs
    .split(',')
    .map(
      (c) =>
        `SELECT '${c}' AS c, count(*)::int AS n, (count(*) FILTER (WHERE ${XMIN} = ${mark}))::int AS w, ` +
        `(count(*) FILTER (WHERE ${XMIN} >= ${from} AND ${XMIN} <> ${mark}))::int AS o FROM pg_catalog.${c}`,
    )
    .join(' UNION ALL ');
  const rows = /** @type {{ c: string, n: number, w: number, o: number }[]} */ ((await db.query(sql)).rows);
  /** @type {Record<string, number>} */ const count = {};
  /** @type {Record<string, number>} */ const written = {};
  let others = 0;
  for (const r of rows) {
    count[r.c] = r.n;
    written[r.c] = r.w;
    others += r.o;
  }
  return { count, written, others };
}

/** The settings not at their defaults, as one text. @param {PGlite} db */
async function settingsOf(db) {
  const r = await db.query(
    "SELECT string_agg(name || '=' || setting, ',' ORDER BY name) AS s FROM pg_settings WHERE source NOT IN ('default', 'override')",
  );
  return String(/** @type {{ s: string }} */ (r.rows[0])?.s ?? '');
}

/** The next transaction id to be given out. @param {PGlite} db */
async function nextXid(db) {
  const r = await db.query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x');
  return BigInt(/** @type {{ x: string }} */ (r.rows[0]).x);
}

/**
 * Empties a database and says which transaction did it. Also run once on the first database of a
 * process, before its data directory is kept for the others: every database then starts with the
 * `public` this writes. @param {PGlite} db
 */
export async function empty(db) {
  // A transaction the closing left open, or a failed one, ends first (outside one this only warns).
  await db.exec('ROLLBACK');
  await db.exec('DISCARD ALL');
  await db.exec('BEGIN');
  const x = await db.query('SELECT pg_current_xact_id()::text AS x');
  await db.exec(`${EMPTY}\nCOMMIT;`);
  return BigInt(/** @type {{ x: string }} */ (x.rows[0]).x);
}

/** What a fresh database holds, for {@link recycle} to compare with. @param {PGlite} db @returns {Promise<Baseline>} */
export async function baselineOf(db) {
  const names = await db.query(
    "SELECT string_agg(relname, ',' ORDER BY relname) AS c FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'",
  );
  const catalogs = String(/** @type {{ c: string }} */ (names.rows[0]).c);
  const publicRow = await db.query("SELECT xmin::text AS x FROM pg_namespace WHERE nspname = 'public'");
  const mark = BigInt(/** @type {{ x: string }} */ (publicRow.rows[0]).x);
  const next = await nextXid(db);
  const { count, written } = await countRows(db, catalogs, next, mark);
  return { catalogs, count, written, next, settings: await settingsOf(db) };
}

/**
 * Empties `db` and says whether it is now as `baseline` was: then it may serve the next opening.
 * @param {PGlite} db @param {Baseline} baseline
 */
export async function recycle(db, baseline) {
  const mark = await empty(db);
  const now = await countRows(db, baseline.catalogs, baseline.next, mark);
  if (now.others !== 0) return false;
  for (const [c, n] of Object.entries(baseline.count))
    if (now.count[c] !== n || now.written[c] !== baseline.written[c]) return false;
  return (await settingsOf(db)) === baseline.settings;
}
