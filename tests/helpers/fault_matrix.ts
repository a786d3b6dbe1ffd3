/**
 * The fault matrix: each fault test records its case, what was expected and what it observed.
 * With FAULT_MATRIX set (make test-faults), rows are appended to that file as JSON lines, and
 * scripts/fault_matrix.ts prints them as a table.
 */

/** Appends one row to the fault matrix (a no-op outside make test-faults). */
export async function recordFault(row: {
  readonly fault: string;
  readonly expected: string;
  readonly observed: string;
  readonly ok: boolean;
}): Promise<void> {
  const path = Deno.env.get("FAULT_MATRIX");
  if (!path) return;
  await Deno.writeTextFile(path, JSON.stringify(row) + "\n", { append: true });
}

/**
 * Records a case this machine cannot run (printed, and counted in the matrix as skipped), e.g.
 * a tmpfs where mounting is not permitted.
 */
export async function recordSkip(fault: string, expected: string, reason: string): Promise<void> {
  console.log(`SKIP ${fault}: ${reason}`);
  const path = Deno.env.get("FAULT_MATRIX");
  if (!path) return;
  const row = { fault, expected, observed: `skipped: ${reason}`, ok: true, skipped: true };
  await Deno.writeTextFile(path, JSON.stringify(row) + "\n", { append: true });
}

/** A TCP listener that accepts connections and never answers (a stuck server). */
export function silentListener(): { port: number; accepted: () => number; close: () => void } {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const c of l) conns.push(c);
    } catch { /* closed */ }
  })();
  return {
    port: (l.addr as Deno.NetAddr).port,
    accepted: () => conns.length,
    close: () => {
      try {
        l.close();
      } catch { /* closed */ }
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}
