import { relative } from 'node:path';
import { builtinDesignNames, loadDesign } from '../engine/design/designs.js';
import { seedGraph } from '../engine/design/domain-file.js';
import { type InstallLayers, installLayers } from '../engine/design/install.js';
import { packageRoot } from '../engine/design/package-root.js';
import type { SqlFile } from '../engine/design/sql-files.js';
import { observerFiles } from '../engine/statement-observer.js';
import type { DomainGraph } from '../model/domain-graph.js';

/**
 * What the playground's page installs, read from the package's `sql/` when the site is served or
 * written: the page has no file system. Scenarios and the learning path are bundled with the page
 * (src/teaching is pure TypeScript); SQL files are data and stay in `sql/`.
 */
export interface PlaygroundCatalog {
  graph: DomainGraph;
  layers: InstallLayers;
  /** The statement observer that judges typed messages (sql/playground). */
  observer: SqlFile[];
  designs: { name: string; description: string; files: SqlFile[] }[];
}

/** Where a report shown in the page links the docs: the site serves them beside the page. */
export const PAGE_DOCS = { href: 'docs/', path: 'docs/ beside this page' };

/** A file named by its path inside the package, so the catalog shows no path of this machine. */
const packaged = (f: SqlFile): SqlFile => ({ path: relative(packageRoot(), f.path) || f.path, sql: f.sql });

/** The catalog of the seed graph and every built-in design. */
export function playgroundCatalog(): PlaygroundCatalog {
  const graph = seedGraph();
  const layers = installLayers(graph);
  return {
    graph: {
      ...graph,
      ...(graph.origin ? { origin: relative(packageRoot(), graph.origin) } : {}),
      ...(graph.builders ? { builders: relative(packageRoot(), graph.builders) } : {}),
    },
    layers: { base: layers.base.map(packaged), harness: layers.harness.map(packaged) },
    observer: observerFiles().map(packaged),
    designs: builtinDesignNames().map((name) => {
      const d = loadDesign(name);
      return { name, description: d.description, files: d.files.map(packaged) };
    }),
  };
}
