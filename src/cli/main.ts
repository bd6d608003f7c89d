#!/usr/bin/env node
import { abandonAll } from '../engine/teardown.js';
import { finished } from './options.js';
import { buildProgram, fail, runCli } from './program.js';

// A thin layer over the library: each command parses its flags, calls one function, prints a
// report. Exit codes: 0 holds, 1 violation, 2 bad input or environment, 70 a bug in turbo-sim
// (cli/exit.ts); 130 and 143 after SIGINT and SIGTERM.

// `turbo-sim sql ... | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

// SIGINT and SIGTERM: say what had finished, abandon every open database (PGlite workers
// terminated, server databases dropped through a fresh connection, which also ends their
// backends), and exit 128 + the signal's number. Whatever the interrupted run throws meanwhile is
// not reported.
let stopping = false;
for (const [signal, exit] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.exitCode = fail(process.argv, `stopped by ${signal}; ${finished.sofar()}`, exit);
    void abandonAll().finally(() => process.exit(exit));
  });
}

// `npx turbo-sim` runs this file as a child of npm, and npm killed with SIGTERM exits at once without
// passing the signal on: the run went on under PID 1 with nobody to report to. A parent that goes
// away is taken as SIGTERM. (Checked once a second; the timer never keeps the process alive.)
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.emit('SIGTERM', 'SIGTERM');
}, 1000).unref();

const code = await runCli(buildProgram(), process.argv, process.env, () => stopping);
if (code !== undefined) process.exitCode = code;
