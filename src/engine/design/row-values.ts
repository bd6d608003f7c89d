import { InputError } from '../../model/input-error.js';
import type { ColumnValue, KeyShape } from '../../model/sql/table-shape.js';
import { type SqlError, sqlError } from '../database.js';
import type { CatalogColumn, CatalogTable } from './catalog.js';

/**
 * Values for the columns of a user's table that a row cannot go without (NOT NULL, no default, not
 * generated): a few candidates per type, the constants its CHECK constraints name first (an IN
 * list's values, a range's bounds and their successors), then the first combination the database
 * accepts. The database is asked, not imitated: a row is tried inside a transaction that is rolled
 * back, and a CHECK it fails moves on the candidates of that constraint's columns only.
 */

/** Candidates by type: templates in `%id` (the row's number), `%pid` (it, 12 digits) and `%n`. */
function typeCandidates(c: CatalogColumn, unique: boolean): string[] | null {
  if (c.enumLabels.length > 0) return c.enumLabels;
  if (c.category === 'A') return ['{}'];
  switch (c.base) {
    case 'uuid':
      return ['00000000-0000-4000-9000-%pid'];
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'citext':
      return ['v%id'];
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8':
      // The write's number stays small where row numbers do not (concurrent sessions' id ranges),
      // so numeric(p, s) and smallint hold it; a unique column needs the row's own.
      return unique ? ['%id'] : ['%n', '1'];
    case 'bool':
      return ['true', 'false'];
    case 'json':
    case 'jsonb':
      return ['{"n":%n}'];
    case 'date':
      return ['2026-01-01', '2026-12-31'];
    case 'timestamp':
    case 'timestamptz':
      return ['2026-01-01 00:00:00', '2026-12-31 00:00:00'];
    case 'time':
    case 'timetz':
      return ['09:00:00', '17:00:00'];
    case 'interval':
      return ['1 day', '30 days'];
    case 'inet':
    case 'cidr':
      return ['10.0.0.1'];
    default:
      return null;
  }
}

/** The constants a CHECK definition names: its string literals, and each number and its successor. */
function checkConstants(definition: string): string[] {
  const strings = [...definition.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? '').replace(/''/g, "'"));
  const numbers = [
    ...definition.replace(/'(?:[^']|'')*'/g, '').matchAll(/(?<![\w.$])-?\d+(?:\.\d+)?/g),
  ].flatMap((m) => [m[0], String(Number(m[0]) + 1)]);
  return [...strings, ...numbers];
}

/** A column that needs a value and the values to try, best first. */
export interface Needed {
  column: CatalogColumn;
  options: string[];
  unique: boolean;
}

/** The CHECK definitions (table's and domain's) that mention a column. */
function checksOn(t: CatalogTable, c: CatalogColumn): string[] {
  const own = t.constraints
    .filter((k) => k.kind === 'c' && k.columns.includes(c.num))
    .map((k) => k.definition);
  return [...own, ...Object.values(c.domainChecks)];
}

/** Whether a row must be given a value for `c` (else NULL or its default does). */
export function needsValue(c: CatalogColumn): boolean {
  return c.notNull && !c.hasDefault && !c.identity && !c.generated;
}

/** The values to try for a column, or an input error naming a type turbo-sim cannot write. */
export function neededColumn(t: CatalogTable, c: CatalogColumn): Needed {
  const unique = t.unique.has(c.num);
  const byType = typeCandidates(c, unique);
  if (!byType)
    throw new InputError(
      `${t.sql}.${c.sql} is NOT NULL without a default, of type ${c.type}, which turbo-sim cannot generate values for: give it a default, or check a schema without it`,
    );
  const constants = checksOn(t, c).flatMap(checkConstants);
  // A constrained column tries the constraint's own constants first; a unique one needs %id.
  const options = unique ? [...byType, ...constants] : [...constants, ...byType];
  return { column: c, options: [...new Set(options)], unique };
}

/** The key column's shape: the model's numbers as they are, or as text around them (uuid, text keys). */
export function keyShape(t: CatalogTable, c: CatalogColumn): KeyShape {
  if (['int2', 'int4', 'int8', 'numeric'].includes(c.base))
    return { column: c.sql, kind: 'number', overriding: c.identity === 'a' };
  if (c.base === 'uuid')
    return { column: c.sql, kind: 'text', prefix: '00000000-0000-4000-8000-', width: 12, type: 'uuid' };
  if (c.base === 'text' || c.base === 'varchar')
    return { column: c.sql, kind: 'text', prefix: 'k', width: 0, type: '' };
  throw new InputError(
    `${t.sql}: key ${c.sql} is of type ${c.type}; turbo-sim writes integer, uuid and text keys`,
  );
}

/** The chosen values as the shape's columns. */
export function columnValues(chosen: { needed: Needed; text: string; fixed: boolean }[]): ColumnValue[] {
  return chosen.map(({ needed, text, fixed }) => ({
    column: needed.column.sql,
    text,
    type: needed.column.type,
    columnType: needed.column.type,
    update: !needed.unique && !fixed,
    copy: !needed.unique && !fixed,
  }));
}

/** The constraint an error names (check, unique), if any. */
function constraintOf(e: SqlError): string | null {
  return /constraint "([^"]+)"/.exec(e.message)?.[1] ?? null;
}

/**
 * The first combination of options `tryRow` accepts: a CHECK or unique violation moves on the
 * options of the columns its constraint names (an odometer over them), anything else is final.
 * The error thrown names the table and the constraint: a row the schema refuses is not the design's.
 */
export async function chooseValues(
  t: CatalogTable,
  needed: Needed[],
  tryRow: (texts: string[]) => Promise<unknown>,
): Promise<string[]> {
  const at = needed.map(() => 0);
  for (let attempt = 0; attempt < 200; attempt++) {
    const texts = needed.map((n, i) => n.options[at[i] ?? 0] ?? '');
    let error: SqlError;
    try {
      await tryRow(texts);
      return texts;
    } catch (e) {
      error = sqlError(e);
    }
    const name = constraintOf(error);
    const k = t.constraints.find((c) => c.name === name);
    const domainCols = needed
      .filter((n) => name !== null && name in n.column.domainChecks)
      .map((n) => n.column.num);
    const cols = k
      ? k.columns
      : domainCols.length > 0
        ? domainCols
        : needed.filter((n) => n.unique).map((n) => n.column.num);
    const moving = needed.map((n, i) => (cols.includes(n.column.num) ? i : -1)).filter((i) => i >= 0);
    if (!name || moving.length === 0)
      throw new InputError(`could not generate a row for ${t.sql}: ${error.message}`);
    let carried = true;
    for (const i of [...moving].reverse()) {
      if (!carried) break;
      at[i] = (at[i] ?? 0) + 1;
      carried = (at[i] ?? 0) >= (needed[i]?.options.length ?? 0);
      if (carried) at[i] = 0;
    }
    if (carried)
      throw new InputError(
        `could not generate a row for ${t.sql} that constraint ${name} accepts (${error.message}): give turbo-sim a simpler constraint, or check a schema without it`,
      );
  }
  throw new InputError(`could not generate a row for ${t.sql}: too many combinations`);
}
