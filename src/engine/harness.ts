import { join } from 'node:path';
import type { SqlError } from './database.js';
import { packageRoot } from './design/package-root.js';
import { type SqlFile, sqlFilesOf } from './design/sql-files.js';

/**
 * Whether the harness is installed on `graph` at all: a schema with its own turbo schema lacks the
 * read path the checked read calls. Decided without reading files, so the playground's page, which
 * has none, can ask too.
 */
export function hasHarness(graph?: { schema?: { base: boolean } }): boolean {
  return !(graph?.schema && !graph.schema.base);
}

/**
 * SQL the simulator installs after the design for its own checks (not part of `turbo-sim sql`). A
 * user's schema (`graph.tables`) gets the checked read only: the base tables are of turbo-sim's shape.
 */
export function harnessFiles(graph?: { tables?: unknown; schema?: { base: boolean } }): SqlFile[] {
  if (!hasHarness(graph)) return [];
  const files = sqlFilesOf(join(packageRoot(), 'sql', 'harness'));
  return graph?.tables ? files.filter((f) => !f.path.endsWith('20-base-tables.sql')) : files;
}

/**
 * The CREATE FUNCTION statement of the harness's function turbo_sim.`name`, renamed `as`: for a pgTAP
 * file, which runs where the harness is not installed and keeps its helpers in pg_temp. One text for
 * both, so the file serves a read exactly as the check did.
 */
export function harnessFunction(name: string, as: string): string {
  const head = `CREATE FUNCTION turbo_sim.${name}(`;
  for (const { sql } of sqlFilesOf(join(packageRoot(), 'sql', 'harness'))) {
    const at = sql.indexOf(head);
    if (at < 0) continue;
    // Its body is the one dollar-quoted string after the head.
    const end = sql.indexOf('$$;', sql.indexOf('$$', at) + 2);
    if (end > at) return `CREATE FUNCTION ${as}(${sql.slice(at + head.length, end + 3)}`;
  }
  throw new Error(`sql/harness has no function turbo_sim.${name}`);
}

/** The SQLSTATEs `sql/harness` raises its findings with. */
const FINDINGS: Record<string, 'STALE' | 'LEAK'> = { TS001: 'STALE', TS002: 'LEAK' };

/** A finding of the harness's checked read: what it saw, from the error's JSON DETAIL. */
export interface HarnessFinding {
  kind: 'STALE' | 'LEAK';
  message: string;
  detail: Record<string, unknown>;
}

/** The harness finding an error carries, or null for any other error. */
export function harnessFinding(error: SqlError): HarnessFinding | null {
  const kind = error.code ? FINDINGS[error.code] : undefined;
  if (!kind) return null;
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(error.detail ?? '{}') as Record<string, unknown>;
  } catch {
    // A design cannot forge the code without the detail; an unparsable one is still the finding.
  }
  return { kind, message: error.message, detail };
}
