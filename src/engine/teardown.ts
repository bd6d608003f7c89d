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

/**
 * Waits for every open of several things at once; if one fails, closes the ones that opened and
 * throws its error, so that nothing is left open.
 */
export async function openAll<T extends { close(): Promise<void> }>(opening: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(opening);
  const opened = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(opened.map((x) => x.close()));
    throw failed.reason;
  }
  return opened;
}
