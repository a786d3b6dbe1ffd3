/**
 * The batch planner: cuts the L2's blocks into batches of consecutive blocks (DESIGN §1/§5).
 * Pure: it is told the L2 head and reads time from an injected clock; the prover server uses it
 * without L1 (it numbers batches itself), a committer uses it to decide what to commit.
 */

/** A batch: its number and inclusive block range. Batch 0 is the genesis "batch". */
export interface Batch {
  readonly number: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
  /**
   * With settlement, the last block's hash the batch was committed with on L1: the server proves
   * the batch only while the L2's block has this hash.
   */
  readonly lastBlockHash?: `0x${string}`;
}

/** Milliseconds; `Date.now` in production, a fake in tests. */
export type PlannerClock = () => number;

/** How batches are cut. */
export interface PlannerOptions {
  /** Blocks per full batch (>= 1). */
  readonly batchSize: number;
  /**
   * How long the oldest unbatched block at the L2 head may wait for the batch to fill before a
   * partial batch is cut (ms); 0: at once; Infinity: never (only full batches).
   */
  readonly batchTimeoutMs: number;
  readonly clock: PlannerClock;
}

/** Where planning starts: the next batch number and the first block it holds. */
export interface PlannerStart {
  readonly nextBatch: number;
  readonly nextBlock: number;
}

/** Cuts batches in order as the head moves; never cuts a block twice. */
export class BatchPlanner {
  private nextBatch: number;
  private nextBlock: number;
  /** When the block `nextBlock` was first seen at or below the head. */
  private waitingSince: number | undefined;

  constructor(private readonly opts: PlannerOptions, start: PlannerStart) {
    if (!Number.isSafeInteger(opts.batchSize) || opts.batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${opts.batchSize}`);
    }
    if (!(opts.batchTimeoutMs >= 0)) {
      throw new RangeError(`batch timeout must be >= 0 ms, got ${opts.batchTimeoutMs}`);
    }
    this.nextBatch = start.nextBatch;
    this.nextBlock = start.nextBlock;
  }

  /** The last block already in a batch (nextBlock - 1). */
  get lastPlannedBlock(): number {
    return this.nextBlock - 1;
  }

  /** The number the next batch will get. */
  get nextBatchNumber(): number {
    return this.nextBatch;
  }

  /**
   * The batches that close now that the L2 head is `head`: every full batch, then a partial one
   * if its oldest block has waited `batchTimeoutMs`. Returns them in order (possibly none).
   */
  plan(head: number): Batch[] {
    const { batchSize, batchTimeoutMs, clock } = this.opts;
    const out: Batch[] = [];
    while (this.nextBlock + batchSize - 1 <= head) {
      out.push(this.cut(this.nextBlock + batchSize - 1));
    }
    if (head < this.nextBlock) return out;
    const now = clock();
    this.waitingSince ??= now;
    if (now - this.waitingSince >= batchTimeoutMs) out.push(this.cut(head));
    return out;
  }

  /** Milliseconds until a partial batch at the head would close (for a poll timer), or null. */
  msUntilPartial(): number | null {
    if (this.waitingSince === undefined || !Number.isFinite(this.opts.batchTimeoutMs)) return null;
    return Math.max(0, this.waitingSince + this.opts.batchTimeoutMs - this.opts.clock());
  }

  private cut(lastBlock: number): Batch {
    const batch = { number: this.nextBatch, firstBlock: this.nextBlock, lastBlock };
    this.nextBatch++;
    this.nextBlock = lastBlock + 1;
    this.waitingSince = undefined;
    return batch;
  }
}
