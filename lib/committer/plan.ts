/**
 * Which blocks the next batch takes: full batches of `batchSize` as soon as the L2 has them, a
 * partial one (up to the head) once the oldest uncommitted block has waited `maxWaitMs`. The
 * batch planner interface of INTERFACES.md (head, last committed block, size, max wait, clock);
 * lib/batch's planner replaces this one where it lands.
 */

/** What the planner decides from. */
export interface PlanInput {
  /** The L2's latest block. */
  readonly head: number;
  /** The last block of the last committed batch. */
  readonly lastCommittedBlock: number;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  /** Now, from the injected clock. */
  readonly now: number;
  /** When the first uncommitted block was first seen (undefined: not yet). */
  readonly waitingSince?: number;
}

/** The next batch's inclusive block range, or null when it should wait. */
export function planBatch(p: PlanInput): { first: number; last: number } | null {
  const first = p.lastCommittedBlock + 1;
  if (p.head < first) return null;
  const fullLast = p.lastCommittedBlock + p.batchSize;
  if (p.head >= fullLast) return { first, last: fullLast };
  if (p.waitingSince !== undefined && p.now - p.waitingSince >= p.maxWaitMs) {
    return { first, last: p.head };
  }
  return null;
}
