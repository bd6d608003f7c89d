import { loadModule, parseSync } from 'libpg-query';
import { InputError } from '../../model/input-error.js';

/**
 * Design files are split with PostgreSQL's own parser (libpg-query, the server's grammar compiled to
 * WASM): whatever psql applies, turbo-sim applies the same way, BEGIN ATOMIC bodies, E'' strings and
 * all, and a file psql would reject is rejected at the line PostgreSQL names.
 */

/** One statement of a SQL file: its text, where it starts (0-based character offset) and on which line. */
export interface SqlStatement {
  sql: string;
  offset: number;
  line: number;
  /** It cannot run inside a transaction block with others (VACUUM, CREATE INDEX CONCURRENTLY, BEGIN...). */
  alone: boolean;
  /** The parser's tree of the statement (`{ KindStmt: {...} }`), for loaders that sort statements by kind. */
  node: Record<string, unknown>;
}

let loaded: Promise<void> | null = null;

/** Loads the parser's WASM once per process (about 0.1 s). */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  return 1 + countNewlines(text, 0, offset);
}

const ALONE = new Set([
  'TransactionStmt',
  'VacuumStmt',
  'CreatedbStmt',
  'DropdbStmt',
  'AlterSystemStmt',
  'ReindexStmt',
  'ClusterStmt',
  'CheckPointStmt',
]);

function mustRunAlone(node: Record<string, unknown>): boolean {
  const [kind] = Object.keys(node);
  if (!kind) return false;
  if (ALONE.has(kind)) return true;
  return kind === 'IndexStmt' && Boolean((node.IndexStmt as { concurrent?: boolean }).concurrent);
}

/**
 * Splits a SQL script into its statements, in order. Offsets from the parser are UTF-8 byte offsets;
 * they are turned into character offsets in one pass, so splitting stays linear in the file's size.
 * A syntax error is an InputError naming `path` and the line of the error itself.
 */
export async function splitSql(text: string, path = '<sql>'): Promise<SqlStatement[]> {
  await loadParser();
  let parsed: ReturnType<typeof parseSync>;
  try {
    parsed = parseSync(text);
  } catch (e) {
    const err = e as { message?: string; sqlDetails?: { cursorPosition?: number } };
    const at = err.sqlDetails?.cursorPosition;
    if (at === undefined) throw new InputError(`${path}: ${err.message ?? String(e)}`);
    const line = lineAt(text, charOffsets(text, [at])[0] ?? 0);
    const source = (text.split('\n')[line - 1] ?? '').trim().slice(0, 100);
    throw new InputError(`${path}:${line}: ${err.message ?? String(e)} (in: ${source})`);
  }
  const stmts = parsed.stmts ?? [];
  // TextEncoder, not Buffer: the playground splits a pasted design in the browser too.
  const bytes = new TextEncoder().encode(text).length;
  const starts = stmts.map((s) => s.stmt_location ?? 0);
  const ends = stmts.map((s, i) => (s.stmt_len ? (starts[i] ?? 0) + s.stmt_len : bytes));
  const chars = charOffsets(text, [...starts, ...ends]);
  const out: SqlStatement[] = [];
  let line = 1;
  let lineFrom = 0;
  for (const [i, s] of stmts.entries()) {
    const from = chars[i] ?? 0;
    const to = chars[stmts.length + i] ?? text.length;
    const raw = text.slice(from, to);
    const lead = leadingSpaceAndComments(raw);
    // Lines are counted forward from the previous statement only: linear over the whole file.
    line += countNewlines(text, lineFrom, from + lead);
    lineFrom = from + lead;
    out.push({
      sql: raw.slice(lead).trimEnd(),
      offset: from + lead,
      line,
      alone: mustRunAlone(s.stmt as Record<string, unknown>),
      node: s.stmt as Record<string, unknown>,
    });
  }
  return out;
}

/** Length of the whitespace and comments before a statement's first token, so its line is its own. */
function leadingSpaceAndComments(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i] ?? '')) i += 1;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else return i;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Character offsets of UTF-8 byte offsets into `text`, in one pass over it. */
function charOffsets(text: string, byteOffsets: number[]): number[] {
  const order = byteOffsets.map((b, i) => [b, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(byteOffsets.length);
  let byte = 0;
  let char = 0;
  for (const [target, i] of order) {
    while (byte < target && char < text.length) {
      const code = text.codePointAt(char) ?? 0;
      byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      char += code >= 0x10000 ? 2 : 1;
    }
    out[i] = char;
  }
  return out;
}

/** The first line of a statement that is not a comment, cut to 100 characters: how messages name it. */
export function statementHead(sql: string): string {
  const first = sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? sql;
  return first.trim().slice(0, 100);
}
