import type { CheckOptions, CheckReport } from '../verify/check.js';
import { checkDesign } from '../verify/check.js';
import { formatCheck } from './check.js';

/** Thrown by {@link assertDesign}: its message is the report, with every counterexample and its replay command. */
export class DesignViolation extends Error {
  override name = 'DesignViolation';
  constructor(readonly report: CheckReport) {
    super(formatCheck(report));
  }
}

/**
 * Checks a design as {@link checkDesign} does (the CLI's defaults for everything not given) and
 * throws a {@link DesignViolation} when a property fails, so a test in vitest, jest or node:test
 * fails with the counterexample and its replay command as the message.
 */
export async function assertDesign(options: CheckOptions): Promise<CheckReport> {
  const report = await checkDesign(options);
  if (!report.ok) throw new DesignViolation(report);
  return report;
}
