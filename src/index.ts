// The library behind the turbo-sim CLI: everything a test suite or another tool needs to check a
// design, run a scenario or measure a cost without going through the command line. Grouped by the
// pipeline's folders (docs/architecture.md).

// engine: databases, designs, SQL files
export { type Database, DatabaseFailure, DEFAULT_LIMITS, type Limits } from './engine/database.js';
export {
  builtinDesignNames,
  type Design,
  loadDesign,
  loadMutant,
  mutantNames,
} from './engine/designs.js';
export { loadDomainGraph, seedGraph } from './engine/domain-file.js';
export { openPGlite } from './engine/pglite.js';
export type { PostgresOptions, PostgresRun } from './engine/postgres.js';
export { openPostgres } from './engine/server.js';
export { baseFiles, fullSql } from './engine/sql-files.js';
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
// spec: the workload language, the domain graph, the reference model, generators and properties
export {
  DEFAULT_BOUNDS,
  propertyWorkloads,
  type WorkloadBounds,
  workloadArbitraries,
} from './spec/arbitraries.js';
export {
  type CachedRead,
  cascadeTargets,
  type DomainGraph,
  parseDomainGraph,
} from './spec/domain-graph.js';
export { InputError } from './spec/input-error.js';
export { LEARNING_PATH, START_SCENARIO } from './spec/lessons.js';
export { planWorkload, ReferenceModel } from './spec/model.js';
export type { Plan, PlannedMessage, PlannedStatement } from './spec/plan.js';
export { BUMP_PROPERTIES, findProperty, type PropertySpec } from './spec/properties.js';
export { findScenario, SCENARIOS, type Scenario } from './spec/scenarios.js';
export type { Versions } from './spec/versions.js';
export { type Read, type Statement, TENANTS, type Workload, type Write } from './spec/workload.js';
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
export { type BenchOptions, type BenchReport, DEFAULT_BENCH, runBench } from './verify/cost-bench.js';
export type { Counterexample } from './verify/counterexample.js';
export { mergeShards } from './verify/merge.js';
export { runScenario, type ScenarioReport } from './verify/scenario.js';
export { Simulator } from './verify/simulator.js';
export { TIMING_PARTS, type TimingPart, Timings } from './verify/timings.js';
export type { Verdict, Violation } from './verify/verdict.js';
export { runVerifierBench } from './verify/verifier-bench.js';
