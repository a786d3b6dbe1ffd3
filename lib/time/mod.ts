/**
 * Time as the rest of the code takes it: an injectable clock (tests pass their own) and the
 * one abortable sleep. Imports nothing from lib/.
 */

/** Milliseconds since the epoch, as `Date.now`; injected where tests must not wait. */
export type Clock = () => number;

/** Sleeps `ms`, or less if `signal` aborts; resolves to false when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
