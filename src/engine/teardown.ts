// Every database turbo-sim has open, with the way to abandon it when the process must stop at once
// (SIGINT, SIGTERM): a PGlite worker is terminated, a server database is dropped through a fresh
// connection. A database removes itself here when it closes normally.

const open = new Set<() => Promise<void>>();

/** Registers how to abandon one open database; the returned function unregisters it. */
export function onAbandon(abandon: () => Promise<void>): () => void {
  open.add(abandon);
  return () => open.delete(abandon);
}

/** Abandons every open database (in parallel; one failing does not stop the others). */
export async function abandonAll(): Promise<void> {
  const all = [...open];
  open.clear();
  await Promise.allSettled(all.map((a) => a()));
}
