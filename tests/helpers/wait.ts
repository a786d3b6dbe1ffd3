/** Waiting in tests for a condition, never for a time: bounded, and failing with what was awaited. */

/** Polls `check` every 20 ms until it holds or `timeoutMs` passes; returns the elapsed ms. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > timeoutMs) {
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
