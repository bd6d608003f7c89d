import type { Command } from 'commander';
import type { Database } from '../engine/database.js';
import { discoverSchema } from '../engine/design/discover.js';
import { loadDomainGraph } from '../engine/design/domain-file.js';
import { readSchemaFiles, schemaExtensions } from '../engine/design/schema-file.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { graphFrom, note } from './options.js';

/** The flags of `--schema`: a user's own database, checked where its triggers live. */
export interface SchemaFlags {
  schema?: string[];
  tables?: string;
  tenantColumn?: string;
  versionTable?: string;
  domains?: string;
}

/** Adds --schema and the flags that say where its cached tables, tenant and versions are. */
export function schemaOptions(cmd: Command): Command {
  return cmd
    .option(
      '--schema <file...>',
      "your database's schema: a pg_dump --schema-only file, or migration files applied in the order given; its tables are checked instead of turbo-sim's own, with its triggers, and a --design is applied after it",
    )
    .option(
      '--tables <pattern>',
      'with --schema: the cached tables, a LIKE pattern, schema-qualified or on the search path; the domain is the name without the prefix before the first % (default tv_%)',
    )
    .option(
      '--tenant-column <name>',
      'with --schema: the column of every cached table that holds the tenant (default tenant_id)',
    )
    .option(
      '--version-table <table>',
      'with --schema: where versions are kept, TABLE or TABLE(tenant, domain, version) (default turbo.tb_domain_version(tenant_id, domain, version))',
    );
}

/**
 * The graph to check: --domains or the seed's, or with --schema the one read from the schema's
 * catalog (in a throwaway database opened with `open`), its cascade from --domains. Flags win over
 * the domain file's keys of the same name.
 */
export async function graphOf(f: SchemaFlags, open: () => Promise<Database>): Promise<DomainGraph> {
  if (!f.schema?.length) return graphFrom(f.domains);
  const file = f.domains ? loadDomainGraph(f.domains) : undefined;
  const own = file?.discovery;
  const db = await open();
  try {
    return await discoverSchema(
      db,
      {
        files: f.schema,
        ...((f.tables ?? own?.tables) ? { tables: f.tables ?? own?.tables } : {}),
        ...((f.tenantColumn ?? own?.tenantColumn)
          ? { tenantColumn: f.tenantColumn ?? own?.tenantColumn }
          : {}),
        ...((f.versionTable ?? own?.versionTable)
          ? { versionTable: f.versionTable ?? own?.versionTable }
          : {}),
      },
      file,
      (n) => note(`note: ${n}`),
    );
  } finally {
    await db.close();
  }
}

/** The contrib extensions the --schema files create, for PGlite to load (none without --schema). */
export function extensionsOf(f: SchemaFlags): string[] {
  return f.schema?.length ? schemaExtensions(readSchemaFiles(f.schema)) : [];
}

/** The design a command uses: the one given, else nothing added to a --schema (its own triggers), else `fallback`. */
export function designName(design: string | undefined, f: SchemaFlags, fallback: string): string {
  return design ?? (f.schema?.length ? 'none' : fallback);
}
