/** One statement of a SQL file, with the 1-based line it starts on. */
export interface SqlStatement {
  sql: string;
  line: number;
}

/**
 * Splits a SQL script into statements at top-level semicolons, skipping those inside quotes,
 * quoted identifiers, dollar-quoted bodies and comments. Used to run a user's design one statement
 * at a time, so an error can name the statement that caused it.
 */
export function splitSql(text: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const sql = raw.trim();
    if (sql && !isOnlyComments(sql)) {
      const offset = start + lead + leadingCommentLength(raw.slice(lead));
      out.push({ sql, line: lineAt(text, offset) });
    }
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth += 1;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth -= 1;
          i += 2;
        } else i += 1;
      }
    } else if (c === "'" || c === '"') {
      i += 1;
      while (i < text.length) {
        if (text[i] === c && text[i + 1] === c) i += 2;
        else if (text[i] === c) {
          i += 1;
          break;
        } else i += 1;
      }
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ' ')) {
        const close = text.indexOf(m[0], i + m[0].length);
        i = close === -1 ? text.length : close + m[0].length;
      } else i += 1;
    } else if (c === ';') {
      push(i);
      i += 1;
      start = i;
    } else i += 1;
  }
  push(text.length);
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line += 1;
  return line;
}

function isOnlyComments(sql: string): boolean {
  return leadingCommentLength(sql) >= sql.length;
}

function leadingCommentLength(sql: string): number {
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

/** The first line of a statement that is not a comment, cut to 100 characters: how messages name it. */
export function statementHead(sql: string): string {
  const first = sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? sql;
  return first.trim().slice(0, 100);
}
