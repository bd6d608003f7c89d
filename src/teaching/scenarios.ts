import type { Step } from '../model/workload.js';

/** A query shown in a scenario with its result rows; it must leave every version as it was. */
export interface ShowStep {
  kind: 'show';
  title: string;
  sql: string;
}

/** A cached read as one tenant: any SQL expression returning json (fn_get_cached_response, TurboRouter). */
export interface ReadStep {
  kind: 'read';
  title: string;
  tenant: number;
  sql: string;
  /** The builder and params behind the read, called directly to tell a stale answer. */
  builder: string;
  params: Record<string, unknown>;
}

/** One step of a scenario: a write from the workload language, a cached read, or a query to show. */
export type ScenarioStep = Step | ShowStep | ReadStep;

/** A named, fixed walk-through for `turbo-sim run`. */
export interface Scenario {
  name: string;
  description: string;
  /** What a learner should look at in the report: one or two sentences for `list` and the HTML report. */
  notice: string;
  steps: ScenarioStep[];
  /** Milliseconds between messages; enough for statement_timestamp() to differ under PGlite's clock. */
  pauseMs: number;
}

const A = 0;
const B = 1;
const C = 2;
const times = (n: number, t: number) => Array.from({ length: n }, () => t);
const show = (title: string, sql: string): ShowStep => ({ kind: 'show', title, sql });
type Read = Pick<ReadStep, 'sql' | 'builder' | 'params'>;
const read = (title: string, tenant: number, r: Read): ReadStep => ({ kind: 'read', title, tenant, ...r });
const contractDetail: Read = {
  sql: "turbo.fn_get_cached_response('contract_detail', 'all', 'price', 'turbo.fn_build_contract_detail', '{}')",
  builder: 'turbo.fn_build_contract_detail',
  params: {},
};
const machineOverview: Read = {
  sql: "turbo.fn_get_cached_response('machine_overview', 'all', ARRAY['allocation', 'maintenance'], 'turbo.fn_build_machine_overview', '{}')",
  builder: 'turbo.fn_build_machine_overview',
  params: {},
};
// The registered template binds variables.id to $1 as text: jsonb_build_object('user_id', $1).
const userProfile: Read = {
  sql: "turbo.fn_execute_turbo_query((SELECT query_hash FROM turbo.tb_turbo_query WHERE operation_name = 'GetUserProfile'), '{\"id\": 1}')",
  builder: 'user.fn_build_profile_response',
  params: { user_id: '1' },
};

/** Every scenario `turbo-sim run` knows, in the order `turbo-sim list` prints them. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'loop-vs-batch',
    description:
      "The seed's own test: 1000 single-row INSERTs in a DO loop (1000 statements, 1000 bumps due) vs one 1000-row INSERT (1 bump due)",
    notice:
      'Message 1 runs 1000 INSERT statements and must move a/machine by 1000; compare the functions that fired (1000 trigger calls) with the tracker rows written and the version after.',
    pauseMs: 2,
    steps: [
      { kind: 'loop', domain: 'machine', tenant: A, times: 1000 },
      { kind: 'statement', write: { kind: 'insert', domain: 'machine', tenants: times(1000, B) } },
    ],
  },
  {
    name: 'batch-1000',
    description:
      'One INSERT, one UPDATE and one DELETE of 1000 rows each, for one tenant: one bump per statement',
    notice:
      '1000 rows, three statements, three bumps: the trigger fires per row, yet the version moves once per statement. This is the promise kept.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'maintenance', tenants: times(1000, A) } },
      { kind: 'statement', write: { kind: 'update', domain: 'maintenance', where: { kind: 'all' } } },
      { kind: 'statement', write: { kind: 'delete', domain: 'maintenance', where: { kind: 'all' } } },
    ],
  },
  {
    name: 'cascade-contract',
    description:
      'A write to tv_contract bumps contract and its dependents contract_item, price and allocation, once each',
    notice:
      'One write to contract moves four versions per tenant, each by exactly one, however many rows the statement touched.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'contract', tenants: [A, A, A] } },
      { kind: 'statement', write: { kind: 'update', domain: 'contract', where: { kind: 'all' } } },
    ],
  },
  {
    name: 'cascade-contract-item',
    description:
      'A write to tv_contract_item bumps contract_item, price and contract; one level deep, so allocation (a dependent of contract) is not bumped',
    notice:
      'The cascade is one level deep: contract_item reaches contract but not allocation, until the writable CTE writes contract itself.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'contract_item', tenants: [A, A] } },
      {
        kind: 'statement',
        write: {
          kind: 'cte',
          parts: [
            { kind: 'insert', domain: 'contract_item', tenants: [A] },
            { kind: 'insert', domain: 'contract', tenants: [A] },
          ],
        },
      },
    ],
  },
  {
    name: 'multi-tenant',
    description:
      'One INSERT with rows of three tenants bumps each tenant once; a DELETE of one tenant bumps only that tenant',
    notice:
      'One statement, three tenants, three bumps per domain; the DELETE of tenant b leaves a and c alone.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'user', tenants: [A, B, C, A, B, C] } },
      { kind: 'statement', write: { kind: 'delete', domain: 'user', where: { kind: 'tenant', tenant: B } } },
    ],
  },
  {
    name: 'tenant-move',
    description: 'An UPDATE that moves a row from tenant a to tenant b must bump both tenants',
    notice:
      "The UPDATE takes the row away from tenant a: a's version has to move too, since a's cached answers still hold the row.",
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'price', tenants: [A] } },
      { kind: 'statement', write: { kind: 'update', domain: 'price', where: { kind: 'all' }, moveTo: B } },
    ],
  },
  {
    name: 'multi-statement-message',
    description: 'Three INSERTs sent in one simple-query message are three statements: three bumps',
    notice:
      'Three INSERTs in one message share statement_timestamp(): count the tracker rows written against the three bumps due.',
    pauseMs: 2,
    steps: [
      {
        kind: 'message',
        writes: [
          { kind: 'insert', domain: 'allocation', tenants: [A] },
          { kind: 'insert', domain: 'allocation', tenants: [A] },
          { kind: 'insert', domain: 'allocation', tenants: [A] },
        ],
      },
    ],
  },
  {
    name: 'maintenance',
    description:
      "A few writes, then the design's monitoring views, health check, memory analysis, cleanup and scheduled maintenance",
    notice:
      'Not a bump test: read the monitoring views and compare what they claim (batch sizes, ages) with the writes above.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'contract', tenants: [A, A, B] } },
      { kind: 'statement', write: { kind: 'insert', domain: 'machine', tenants: times(50, C) } },
      show('tracker health view', 'SELECT * FROM turbo.v_statement_tracker_health'),
      show('batch efficiency report', 'SELECT * FROM turbo.v_batch_efficiency_report'),
      show('realtime invalidation activity', 'SELECT * FROM turbo.v_realtime_invalidation_activity'),
      show('health check', 'SELECT * FROM turbo.fn_check_statement_tracker_health()'),
      show('memory usage analysis', 'SELECT * FROM turbo.fn_analyze_memory_usage()'),
      show('cleanup', 'SELECT * FROM turbo.fn_cleanup_statement_tracker()'),
      show('emergency cleanup', 'SELECT * FROM turbo.fn_emergency_cleanup_statement_tracker()'),
      show('scheduled maintenance', 'SELECT * FROM turbo.fn_scheduled_maintenance()'),
    ],
  },
  {
    name: 'cache-single-domain',
    description:
      'A cached contract detail (contracts, items, prices; guarded by the price domain): miss, hit, a price write invalidates it, miss, hit',
    notice:
      'Read the HIT and MISS column: a read after the price write must be a MISS, and the two tenants never share a response.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'contract', tenants: [A, A] } },
      read('first read builds and stores the response', A, contractDetail),
      read('second read is served from the cache', A, contractDetail),
      { kind: 'statement', write: { kind: 'insert', domain: 'price', tenants: [A] } },
      read('the price write bumped price: rebuilt', A, contractDetail),
      read('and cached again', A, contractDetail),
      read('another tenant gets its own response', B, contractDetail),
    ],
  },
  {
    name: 'cache-multi-domain',
    description:
      'A machine overview guarded by allocation and maintenance together: after two allocation writes, a maintenance write must still invalidate it (the published MAX-of-versions check serves it stale; robust compares the sum)',
    notice:
      'After the maintenance write the third read must MISS; a HIT there is STALE, even though every bump was made.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'allocation', tenants: [A] } },
      { kind: 'statement', write: { kind: 'insert', domain: 'allocation', tenants: [A] } },
      read('first read: miss', A, machineOverview),
      read('second read: hit', A, machineOverview),
      { kind: 'statement', write: { kind: 'insert', domain: 'maintenance', tenants: [A] } },
      read('after the maintenance write the response must be rebuilt', A, machineOverview),
    ],
  },
  {
    name: 'turbo-router',
    description:
      'The seed\'s TurboRouter registration (GetUserProfile) executed by hash with GraphQL variables {"id": 1}: miss, hit, a user write, miss',
    notice:
      'The same cache, reached through a registered query by hash: HIT until the user write, then MISS.',
    pauseMs: 2,
    steps: [
      { kind: 'statement', write: { kind: 'insert', domain: 'user', tenants: [A] } },
      show(
        'registered query',
        'SELECT operation_name, query_hash, param_mapping, execution_count FROM turbo.tb_turbo_query',
      ),
      read('executed by hash: miss', A, userProfile),
      read('executed again: hit', A, userProfile),
      { kind: 'statement', write: { kind: 'update', domain: 'user', where: { kind: 'all' } } },
      read('after the user write: miss', A, userProfile),
      show('execution count', 'SELECT operation_name, execution_count FROM turbo.tb_turbo_query'),
    ],
  },
];

/** A scenario by name, or undefined. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
