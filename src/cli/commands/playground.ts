import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { InputError } from '../../model/input-error.js';
import { serveSite, siteFiles, writeSite } from '../../playground/site.js';
import { finished, note, print } from '../options.js';
import { checkWritableFile, writeFileWhole } from '../output-file.js';

/** The port the playground listens on unless told: fixed, so that a shared link works again tomorrow. */
const DEFAULT_PORT = 8420;

function portNumber(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError(`--port must be 0-65535, got "${v}"`);
  return n;
}

/** `turbo-sim playground`: the page where a learner types statements and watches each design bump. */
export function playgroundCommand(program: Command): void {
  program
    .command('playground')
    .description(
      'serve the playground on localhost: pick designs side by side, run a learning-path scenario or your own statements in PostgreSQL (PGlite) inside the page, and see what each design bumped; prints the URL and opens nothing',
    )
    .option('--port <n>', `port on 127.0.0.1 (0: any free one)`, portNumber, DEFAULT_PORT)
    .option(
      '--out <dir>',
      'write the playground as a static site into DIR (created if missing) instead of serving it',
    )
    .action(async (opts: { port: number; out?: string }) => {
      if (opts.out) {
        const dir = opts.out;
        if (existsSync(dir) && !lstatSync(dir).isDirectory())
          throw new InputError(`--out ${dir}: not a folder`);
        const files = [...siteFiles().keys()];
        if (!existsSync(dir)) {
          checkWritableFile(dir, '--out'); // its parent folder can take it
          mkdirSync(dir, { recursive: true });
        }
        mkdirSync(join(dir, 'docs'), { recursive: true });
        // Every path checked before any is written.
        for (const name of files) checkWritableFile(join(dir, name), '--out');
        await writeSite(dir, (path, data) => writeFileWhole(path, data, '--out'));
        note(`serve ${dir} with any static file server, e.g. python3 -m http.server -d ${dir}`);
        return;
      }
      const server = await serveSite(opts.port);
      print(server.url);
      finished.sofar = () => `the playground was served at ${server.url}`;
      note('the playground runs in the page; this process only serves its files. Ctrl-C stops it.');
      // Until SIGINT or SIGTERM (cli/main.ts), which ends the process.
      await new Promise(() => {});
    });
}
