import fc from 'fast-check';
import type { Domain, DomainGraph } from './domain-graph.js';
import { foreignKeyName } from './foreign-keys.js';
import type { BaseSync, MergeMatched, Predicate, SourceRow, TenantRef, Write } from './workload.js';

/**
 * Generators of the writes that read another table, meet existing rows or go through a base
 * table: INSERT ... SELECT, UPDATE ... FROM, DELETE ... USING, ON CONFLICT DO NOTHING (each with or
 * without RETURNING), MERGE, and base-table writes. Kept apart from arbitraries.ts so that adding
 * them changed no existing generator's draws: the same seed gives the old properties' workloads.
 */
export function sourcedArbitraries(
  graph: DomainGraph,
  domain: fc.Arbitrary<Domain>,
  tenant: fc.Arbitrary<TenantRef>,
  predicate: fc.Arbitrary<Predicate>,
  maxRows: number,
) {
  const returning = fc.boolean();
  const sourceRows: fc.Arbitrary<SourceRow[]> = fc.array(
    fc.record({ existing: fc.option(fc.nat(20), { nil: null }), tenant }),
    { maxLength: maxRows },
  );
  const insertSelect: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('insertSelect' as const),
    domain,
    from: domain,
    where: predicate,
    returning,
  });
  const updateFrom: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('updateFrom' as const),
    domain,
    from: domain,
    where: predicate,
    takeTenant: fc.boolean(),
    returning,
  });
  const deleteUsing: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('deleteUsing' as const),
    domain,
    from: domain,
    where: predicate,
    returning,
  });
  const insertIgnore: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('insertIgnore' as const),
    domain,
    rows: sourceRows,
    returning,
  });
  const merge: fc.Arbitrary<Write> = fc
    .record({
      domain,
      rows: sourceRows,
      matched: fc.constantFrom<MergeMatched | null>(null, 'update', 'delete', 'updateSameTenant'),
      insert: fc.boolean(),
    })
    // MERGE needs at least one WHEN clause.
    .map((m): Write => ({ kind: 'merge', ...m, insert: m.insert || m.matched === null }));
  const baseOp = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        tenants: fc.array(tenant, { maxLength: maxRows }),
      }),
    },
    fc.record({ kind: fc.constant('update' as const), where: predicate }),
    fc.record({ kind: fc.constant('update' as const), where: predicate, moveTo: tenant }),
    fc.record({ kind: fc.constant('delete' as const), where: predicate }),
  );
  const base: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('base' as const),
    sync: fc.constantFrom<BaseSync>('row', 'statement', 'function'),
    domain,
    op: baseOp,
  });
  const keys = graph.foreignKeys ?? [];
  // Built only where there are keys: constantFrom of nothing throws.
  const parent = () => fc.constantFrom(...new Set(keys.map((k) => k.references)));
  /** Child rows, parent deletes and renumbering, where the graph has foreign keys (else nothing to draw). */
  const foreignKey: fc.Arbitrary<Write> | null =
    keys.length === 0
      ? null
      : fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record({
              kind: fc.constant('insertChild' as const),
              foreignKey: fc.constantFrom(...keys.map(foreignKeyName)),
              rows: fc.array(fc.record({ parent: fc.nat(20), tenant }), { minLength: 1, maxLength: maxRows }),
            }),
          },
          // Parents to refer to: the workload's own inserts spread over every domain.
          {
            weight: 4,
            arbitrary: fc.record({
              kind: fc.constant('insert' as const),
              domain: parent(),
              tenants: fc.array(tenant, { minLength: 1, maxLength: maxRows }),
            }),
          },
          {
            weight: 2,
            arbitrary: fc.record({
              kind: fc.constant('delete' as const),
              domain: parent(),
              where: predicate,
            }),
          },
          {
            weight: 2,
            arbitrary: fc.record({ kind: fc.constant('rekey' as const), domain: parent(), where: predicate }),
          },
        );
  return {
    foreignKey,
    /** Statements reading another tv_ table. */
    fromTable: fc.oneof(insertSelect, updateFrom, deleteUsing),
    insertIgnore,
    merge,
    base,
  };
}
