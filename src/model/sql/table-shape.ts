/**
 * How the model's rows are written into a tv_ table: turbo-sim's own `(id, tenant_id, data)`, or a
 * user's table read from its catalog (engine/design/discover.ts). The model knows a row by a number
 * and a tenant; a shape says which column holds each, how the number is stored in the key column
 * and read back from it, and what every other column the table needs gets. Pure data, so the
 * rendering stays a function of the workload and the shape.
 *
 * Values are templates: `%id` is the row's number (`%pid` the same, 12 digits), `%n` the write's data number. A template becomes
 * a literal (`'c-12'::text`) where the numbers are known, or an expression (`('c-' || (s.id)::text)::text`)
 * inside INSERT ... SELECT and MERGE, and plain text in COPY's input.
 */

/** A domain's name (domain-graph.ts imports this file, so the alias is repeated, not imported). */
type Domain = string;

/** The key column: the row's number itself, or text around it cast to the column's type (uuid, text). */
export type KeyShape =
  | { column: string; kind: 'number'; overriding: boolean }
  | { column: string; kind: 'text'; prefix: string; width: number; type: string };

/** A column the model sets on every INSERT besides key and tenant. */
export interface ColumnValue {
  column: string;
  /** The value's template (`%id`, `%n`). */
  text: string;
  /** The cast that types it ('' for none: the column's type is inferred). */
  type: string;
  /** The column's type, for MERGE's source, which no target column types. */
  columnType: string;
  /** An UPDATE changes it (not for keys, unique columns and foreign keys). */
  update: boolean;
  /** INSERT ... SELECT copies it from a source table that has it (not for unique columns). */
  copy: boolean;
}

/** One tv_ table as the model writes it. */
export interface TableShape {
  /** The table as SQL: `tv_contract` or `app.tv_contract`. */
  table: string;
  key: KeyShape;
  /** The tenant column, as SQL. */
  tenant: string;
  /** The tenant column's type, for MERGE's typed source. */
  tenantType: string;
  columns: ColumnValue[];
}

/** The tv_ table of a domain, quoted only when it has to be. */
export function tvTable(domain: Domain): string {
  return /^[a-z_][a-z0-9_]*$/.test(`tv_${domain}`) ? `tv_${domain}` : `"tv_${domain}"`;
}

/** turbo-sim's own tv_ table of a domain (sql/base: `fn_create_tv_table`). */
export function ownShape(domain: Domain): TableShape {
  return {
    table: tvTable(domain),
    key: { column: 'id', kind: 'number', overriding: false },
    tenant: 'tenant_id',
    tenantType: 'uuid',
    columns: [{ column: 'data', text: '{"n":%n}', type: '', columnType: 'jsonb', update: true, copy: true }],
  };
}

/** The shape of each domain's table. */
export type Shapes = (domain: Domain) => TableShape;

/** The shapes of turbo-sim's own tables. */
export const OWN_SHAPES: Shapes = ownShape;

/** The shapes of a graph's tables: those it read from a database's catalog, else turbo-sim's own. */
export function shapesOf(graph: { tables?: Record<Domain, TableShape> }): Shapes {
  const tables = graph.tables;
  return tables ? (d) => tables[d] ?? ownShape(d) : OWN_SHAPES;
}

/** A SQL string literal. */
export function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const cast = (sql: string, type: string) => (type ? `${sql}::${type}` : sql);

/** A template with known numbers, as text (COPY's input) . */
export function templateText(text: string, id: number, n: number): string {
  return text
    .replace(/%pid/g, String(id).padStart(12, '0'))
    .replace(/%id/g, String(id))
    .replace(/%n/g, String(n));
}

/**
 * A template as a SQL expression: a literal when the numbers it uses are known, else text built by
 * concatenation around the SQL expressions given for them.
 */
export function templateSql(text: string, type: string, id: number | string, n: number | string): string {
  let t = text;
  if (typeof id === 'number')
    t = t.replace(/%pid/g, String(id).padStart(12, '0')).replace(/%id/g, String(id));
  if (typeof n === 'number') t = t.replace(/%n/g, String(n));
  if (!/%pid|%id|%n/.test(t)) return cast(sqlLiteral(t), type);
  const expr: Record<string, string> = {
    '%pid': `lpad((${id})::text, 12, '0')`,
    '%id': `(${id})::text`,
    '%n': `(${n})::text`,
  };
  const parts = t.split(/(%pid|%id|%n)/).filter((p) => p !== '');
  const sql = parts.map((p) => expr[p] ?? sqlLiteral(p));
  return cast(`(${sql.join(' || ')})`, type);
}

/**
 * A column's value for row `id` and data `n` (numbers, or SQL expressions giving them). A literal
 * takes the column's cast, if any (none on turbo-sim's own tables, whose inserts type their
 * literals); an expression is text and always needs the column's type.
 */
export function columnSql(c: ColumnValue, id: number | string, n: number | string): string {
  const literal =
    (typeof id === 'number' || !/%p?id/.test(c.text)) && (typeof n === 'number' || !c.text.includes('%n'));
  return templateSql(c.text, literal ? c.type : c.type || c.columnType, id, n);
}

/** The key column's value for row number `id` (a number, or an SQL expression giving one). */
export function keyValue(key: KeyShape, id: number | string): string {
  if (key.kind === 'number') return String(id);
  if (typeof id === 'number')
    return cast(sqlLiteral(key.prefix + String(id).padStart(key.width, '0')), key.type);
  const digits = key.width > 0 ? `lpad((${id})::text, ${key.width}, '0')` : `(${id})::text`;
  return cast(`(${sqlLiteral(key.prefix)} || ${digits})`, key.type);
}

/** The row number stored in the key column of `alias` (say `s.`), as an SQL expression. */
export function keyNumber(key: KeyShape, alias = ''): string {
  return key.kind === 'number'
    ? `${alias}${key.column}`
    : `substr(${alias}${key.column}::text, ${key.prefix.length + 1})::bigint`;
}

/** The key as COPY's input text. */
export function keyText(key: KeyShape, id: number): string {
  return key.kind === 'number' ? String(id) : key.prefix + String(id).padStart(key.width, '0');
}

/** The columns every INSERT names, in order: key, tenant, the others. */
export function columnNames(s: TableShape): string[] {
  return [s.key.column, s.tenant, ...s.columns.map((c) => c.column)];
}

/** The column list every INSERT names. */
export function insertColumns(s: TableShape): string {
  return `(${columnNames(s).join(', ')})`;
}

/** `OVERRIDING SYSTEM VALUE ` where the key is GENERATED ALWAYS (the model chooses its numbers). */
export function overriding(s: TableShape): string {
  return s.key.kind === 'number' && s.key.overriding ? 'OVERRIDING SYSTEM VALUE ' : '';
}
