import type { DomainGraph } from '../../model/domain-graph.js';
import { InputError } from '../../model/input-error.js';
import { shapesOf } from '../../model/sql/table-shape.js';
import type { SqlError } from '../database.js';

/**
 * The input error of a row a cached table refused (a value its constraints or types reject) where
 * the statement had to succeed: no verdict on the design. On a user's schema (--schema) the values
 * are turbo-sim's; on turbo-sim's own tables a design changed them (a NOT NULL column added), and
 * --schema is how to check a design on tables of its own. Null for any other error.
 */
export function refusedRow(graph: DomainGraph, e: SqlError): InputError | null {
  if (!e.table || !/^2[23]/.test(e.code ?? '')) return null;
  const shapes = shapesOf(graph);
  const shape = graph.domains
    .map(shapes)
    .find((s) => s.table.split('.').pop()?.replace(/"/g, '') === e.table);
  if (!shape || (!graph.tables && !['23502', '23514'].includes(e.code ?? ''))) return null;
  const constraint = e.constraint ? ` (constraint ${e.constraint})` : '';
  return new InputError(
    graph.tables
      ? `could not generate a row that ${shape.table} accepts: ${e.message}${constraint}; this is turbo-sim's limit, not the design's`
      : `${shape.table} refused turbo-sim's row: ${e.message}${constraint}. The design changed turbo-sim's own table: check it on your own tables with --schema (your pg_dump --schema-only file; the design is applied over it)`,
  );
}
