// The library behind the turbo-sim CLI: everything a test suite or another tool needs to check a
// design, run a scenario or measure a cost without going through the command line.
export { DEFAULT_BOUNDS, type WorkloadBounds, workloadArbitraries } from './arbitraries.js';
export {
  type BenchOptions,
  type BenchReport,
  DEFAULT_BENCH,
  formatBench,
  formatVerifier,
  runBench,
  runVerifierBench,
} from './bench.js';
export { benchChart } from './chart.js';
export { type CheckOptions, type CheckReport, checkDesign, type PropertyResult } from './check.js';
export {
  type ConcurrencyOptions,
  type ConcurrencyReport,
  checkConcurrency,
  formatConcurrency,
} from './concurrency.js';
export { counterexampleScript, describeViolation, replayCommand } from './counterexample.js';
export {
  type Database,
  openPGlite,
  openPostgres,
  type PostgresRun,
} from './database.js';
export {
  baseFiles,
  builtinDesignNames,
  type Design,
  fullSql,
  loadDesign,
  loadMutant,
  mutantNames,
} from './designs.js';
export {
  type CachedRead,
  cascadeTargets,
  type DomainGraph,
  loadDomainGraph,
  parseDomainGraph,
  seedGraph,
} from './domain-graph.js';
export { InputError } from './errors.js';
export { type Plan, type PlannedMessage, planWorkload, ReferenceModel, type Versions } from './model.js';
export { BUMP_PROPERTIES, type BumpProperty, findProperty } from './properties.js';
export { formatScenarioReport, runScenario, type ScenarioReport } from './run-scenario.js';
export { findScenario, SCENARIOS, type Scenario } from './scenarios.js';
export { Simulator, type Verdict, type Violation } from './simulator.js';
export { TENANTS, type Workload, type Write } from './workload.js';
