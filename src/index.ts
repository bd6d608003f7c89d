// The library behind the turbo-sim CLI: everything a test suite or another tool needs to check a
// design, run a scenario or measure a cost without going through the command line. Grouped by the
// pipeline's folders (docs/architecture.md).

export { type BenchOptions, type BenchReport, DEFAULT_BENCH, runBench } from './bench/cost.js';
export { runVerifierBench } from './bench/verifier.js';
// engine: databases, designs, SQL files
export { type Database, DatabaseFailure, DEFAULT_LIMITS, type Limits } from './engine/database.js';
export {
  builtinDesignNames,
  type Design,
  loadDesign,
  loadMutant,
  mutantNames,
} from './engine/design/designs.js';
export { loadDomainGraph, seedGraph } from './engine/design/domain-file.js';
export { baseFiles, fullSql } from './engine/design/sql-files.js';
export { openPGlite } from './engine/pglite/adapter.js';
export type { PostgresOptions, PostgresRun } from './engine/postgres/adapter.js';
export { openPostgres } from './engine/postgres/server.js';
// spec: the workload language, the domain graph, the reference model, generators and properties
export {
  DEFAULT_BOUNDS,
  propertyWorkloads,
  type WorkloadBounds,
  workloadArbitraries,
} from './model/arbitraries.js';
export {
  type CachedRead,
  cascadeTargets,
  type DomainGraph,
  parseDomainGraph,
} from './model/domain-graph.js';
export { InputError } from './model/input-error.js';
export { planWorkload, ReferenceModel } from './model/model.js';
export type { Plan, PlannedMessage, PlannedStatement } from './model/plan.js';
export { BUMP_PROPERTIES, findProperty, type PropertySpec } from './model/properties.js';
export type { Versions } from './model/versions.js';
export { type Read, type Statement, TENANTS, type Workload, type Write } from './model/workload.js';
export { assertDesign, DesignViolation } from './report/assert.js';
// report: text, JSON, HTML and SVG for people and machines
export { formatBench, formatVerifier } from './report/bench.js';
export { checkBlob, readCheckBlob } from './report/blob.js';
export { benchChart } from './report/chart.js';
export { checkJson, formatCheck } from './report/check.js';
export { checkHtml } from './report/check-html.js';
export { formatConcurrency } from './report/concurrency.js';
export { counterexampleScript, describeViolation, replayCommand } from './report/counterexample.js';
export { checkJunit } from './report/junit.js';
export { formatScenarioReport } from './report/scenario.js';
export { scenarioHtml } from './report/scenario-html.js';
export { checkTap } from './report/tap.js';
export { LEARNING_PATH, START_SCENARIO } from './teaching/lessons.js';
export { findScenario, SCENARIOS, type Scenario } from './teaching/scenarios.js';
// verify: run plans against a design and judge them
export {
  autoWorkers,
  type CheckOptions,
  type CheckReport,
  checkDesign,
  type PropertyResult,
  type Shard,
  type ShardRuns,
  shardIndices,
} from './verify/check.js';
export { type ConcurrencyOptions, type ConcurrencyReport, checkConcurrency } from './verify/concurrency.js';
export type { Counterexample } from './verify/counterexample.js';
export { mergeShards } from './verify/merge.js';
export { runScenario, type ScenarioReport } from './verify/scenario.js';
export { Simulator } from './verify/simulator.js';
export { TIMING_PARTS, type TimingPart, Timings } from './verify/timings.js';
export type { Verdict, Violation } from './verify/verdict.js';
