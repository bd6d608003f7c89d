import type { DomainGraph } from '../model/domain-graph.js';
import { planWorkload } from '../model/model.js';
import { findProperty } from '../model/properties.js';
import type { CheckReport, PropertyResult } from '../verify/check.js';
import type { Counterexample } from '../verify/counterexample.js';
import type { RegressionWorkload } from '../verify/regression-suite.js';
import { describeViolation, replayCommand } from './counterexample.js';
import { pgtapFile } from './pgtap.js';

/** A file `turbo-sim check --pgtap DIR` writes: its name in DIR and its text. */
export interface PgtapOutput {
  name: string;
  sql: string;
}

/** What `--pgtap` writes, and what it left out and why (one line each, for stderr). */
export interface PgtapFiles {
  files: PgtapOutput[];
  notes: string[];
}

/** How to run a file, the same lines in every file. */
function runLines(design: string, graph: DomainGraph): string[] {
  const apply = graph.schema
    ? `your schema with psql -f, then npx turbo-sim sql --design ${design} ${graph.schema.flags} | psql`
    : `npx turbo-sim sql --design ${design} | psql`;
  return [
    `run: pg_prove --dbname DB FILE, on a database with pgTAP (CREATE EXTENSION pgtap) and the design applied (${apply}),`,
    'as the role that applied it; files run one at a time, in any order: each notes the tables that are empty when it',
    'starts and empties them again at the end with the triggers off, so it leaves no row, version or object behind',
  ];
}

const clockNote = (property: string) =>
  `${property} left out: its workloads go back to back and what they show depends on PGlite's millisecond clock, which a server does not have`;

/** A counterexample as a pgTAP file: it fails on the design until the design is fixed. */
export function counterexamplePgtap(cx: Counterexample, graph: DomainGraph): PgtapOutput {
  const src = cx.source;
  const property = findProperty(src.property);
  return {
    name: `counterexample-${src.property}.sql`,
    sql: pgtapFile({
      about: [
        `turbo-sim counterexample as a pgTAP test: design ${src.design}, property ${src.property}`,
        `${property.name}: ${property.description}`,
        'what the design did (this test fails until the design is fixed):',
        ...cx.violations.map((v) => `  ${describeViolation(v)}`),
        `found by: ${replayCommand(src)}`,
        ...runLines(src.design, graph),
      ],
      messages: cx.messages,
      judge: property.judge,
      graph,
    }),
  };
}

/** One workload of a regression suite as a pgTAP file. */
export function regressionPgtap(
  w: RegressionWorkload,
  index: number,
  of: number,
  report: Pick<CheckReport, 'design' | 'seed'>,
  graph: DomainGraph,
): PgtapOutput {
  const property = findProperty(w.property);
  return {
    name: `${w.property}-${index + 1}.sql`,
    sql: pgtapFile({
      about: [
        `turbo-sim regression test: property ${w.property}, workload ${index + 1} of ${of}, which design ${report.design} passes`,
        `${property.name}: ${property.description}`,
        `drawn by turbo-sim check --seed ${report.seed} (run ${w.run} of ${w.property}), shrunk keeping what it exercises:`,
        `  ${w.features.join('; ')}`,
        ...runLines(report.design, graph),
      ],
      messages: planWorkload(graph, w.workload).messages,
      judge: property.judge,
      graph,
    }),
  };
}

/**
 * What `check --pgtap` writes for a report: every counterexample when a property failed; the
 * regression suite (`suite`, the workloads picked per property) when every property held.
 * Clock-dependent classes are left out with a note.
 */
export function pgtapFiles(
  report: Pick<CheckReport, 'ok' | 'design' | 'seed'> & {
    properties: Pick<PropertyResult, 'name' | 'counterexample'>[];
  },
  graph: DomainGraph,
  suite: RegressionWorkload[],
): PgtapFiles {
  const notes: string[] = [];
  const files: PgtapOutput[] = [];
  const clockDependent = (name: string) => findProperty(name).timing.kind === 'back-to-back';
  if (!report.ok) {
    for (const p of report.properties) {
      if (!p.counterexample) continue;
      if (clockDependent(p.name)) notes.push(clockNote(p.name));
      else files.push(counterexamplePgtap(p.counterexample, graph));
    }
    return { files, notes };
  }
  for (const p of report.properties) {
    if (clockDependent(p.name)) {
      notes.push(clockNote(p.name));
      continue;
    }
    const mine = suite.filter((w) => w.property === p.name);
    files.push(...mine.map((w, i) => regressionPgtap(w, i, mine.length, report, graph)));
  }
  return { files, notes };
}
