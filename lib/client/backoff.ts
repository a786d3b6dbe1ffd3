/** Exponential backoff with full jitter (the sleep itself is lib/time's). */

/** Backoff bounds. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Delay before retry number `attempt` (0-based): random in [cap/2, cap], cap = base·2^attempt ≤ max. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  // Half fixed, half jitter: spreads many clients apart without ever retrying in a hot loop.
  return Math.round(cap / 2 + random() * (cap / 2));
}
