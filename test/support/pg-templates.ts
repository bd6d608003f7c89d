import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

// vitest's globalSetup: a folder for the server tests' initdb templates (pg-server.ts), one per worker
// process, made there when a worker first needs a server; removed with everything in it after the run.
// Only the folder is made here, so a run without server tests pays nothing.

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the initdb templates; '' outside a run of this setup. */
    pgTemplates: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'turbo-sim-pg-templates-'));
  // As root, the templates belong to the postgres user, who must reach them through this folder.
  chmodSync(root, 0o755);
  project.provide('pgTemplates', root);
  return () => rmSync(root, { recursive: true, force: true });
}
