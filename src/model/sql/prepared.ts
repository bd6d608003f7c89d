import type { BoundQuery, CopyInput } from '../plan.js';
import {
  type MessageParts,
  OWN_SHAPES,
  type ResolvedStatement,
  type Shapes,
  sqlLiteral,
  statementSql,
} from './statements.js';
import { columnNames, keyText, templateText } from './table-shape.js';

/**
 * Statements whose values do not travel in their text: prepared statements and COPY.
 *
 * Prepared statements: a statement's string literals (tenants, data, a mutation function's
 * arguments) become parameters, as an application's driver sends them; numbers stay in the text.
 * PostgreSQL infers each parameter's type from where it stands.
 */

// A standard-conforming string literal, as sqlLiteral writes it (a quote inside is doubled).
const LITERAL = /'(?:[^']|'')*'/g;

/** One statement as a parameterized query. */
export function boundQuery(r: ResolvedStatement, shapes: Shapes = OWN_SHAPES): BoundQuery {
  const params: string[] = [];
  const sql = statementSql(r, shapes).replace(LITERAL, (lit) => {
    params.push(lit.slice(1, -1).replace(/''/g, "'"));
    return `$${params.length}`;
  });
  return { sql, params };
}

/**
 * Statements as PREPARE, EXECUTE and DEALLOCATE in one simple-query message: each distinct text is
 * prepared once and executed as often as it occurs, as an application reuses a prepared statement.
 */
export function prepareExecuteSql(sts: ResolvedStatement[], shapes: Shapes = OWN_SHAPES): MessageParts {
  const names = new Map<string, string>();
  const lines: string[] = [];
  for (const q of sts.map((s) => boundQuery(s, shapes))) {
    let name = names.get(q.sql);
    if (name === undefined) {
      name = `turbo_sim_p${names.size + 1}`;
      names.set(q.sql, name);
      lines.push(`PREPARE ${name} AS ${q.sql}`);
    }
    const args = q.params.map(sqlLiteral).join(', ');
    lines.push(`EXECUTE ${name}${args ? `(${args})` : ''}`);
  }
  return [...lines, ...[...names.values()].map((n) => `DEALLOCATE ${n}`)];
}

/**
 * A bound query with its values in place of `$1`, `$2`...: psql 15 has no `\bind`, so a script
 * cannot send the parameters themselves. Untyped literals take the type the statement gives its
 * parameters, so the statement does what the bound one did.
 */
export function inlinedQuery(b: BoundQuery): string {
  return b.sql.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(b.params[Number(n) - 1] ?? ''));
}

/**
 * How bound queries read in a script, one part each: the query as it was sent and its parameters in
 * a comment, then the same query with its values in place, which psql can run. Each is a message of
 * its own, not parts of one.
 */
export function boundQueriesSql(binds: BoundQuery[]): MessageParts {
  const shown = binds.map(
    (b) => `-- sent as: ${b.sql}\n-- parameters: ${b.params.join(', ') || 'none'}\n${inlinedQuery(b)}`,
  );
  const head = `-- ${binds.length} parameterized queries (extended protocol), back to back, each below with its values in place:\n`;
  return shown.length === 0 ? [head.trimEnd()] : shown.map((p, i) => (i === 0 ? head + p : p));
}

/** The rows of a resolved INSERT as COPY ... FROM STDIN (tab-separated text; no value holds a tab or backslash). */
export function copyInput(r: ResolvedStatement, shapes: Shapes = OWN_SHAPES): CopyInput {
  if (r.kind !== 'insert') throw new Error('COPY loads the rows of an INSERT');
  const t = shapes(r.domain);
  const data = r.rows
    .map((row) =>
      [keyText(t.key, row.id), row.tenant, ...t.columns.map((c) => templateText(c.text, row.id, row.n))].join(
        '\t',
      ),
    )
    .map((line) => `${line}\n`)
    .join('');
  return { sql: `COPY ${t.table} (${columnNames(t).join(', ')}) FROM STDIN`, data };
}

/**
 * A COPY as psql reads it in a script: the statement, then its input lines and `\.` (the second
 * part, which takes no `;`). Its message is the COPY statement alone; the input follows it.
 */
export function copyScript(c: CopyInput): MessageParts {
  return [c.sql, `${c.data}\\.`];
}
