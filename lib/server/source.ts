/**
 * Which batches need proving. A BatchSource reports them; the server proves every one that is
 * not stored yet. Without L1 the server cuts the L2's blocks into batches itself
 * ({@link ChainHeadSource}, with lib/batch's planner); with settlement, an L1 source reports the
 * batches committed to the OnChainProposer but not verified yet.
 */
import { type Batch, BatchPlanner, type PlannerClock } from "../batch/mod.ts";
import { type JsonRpc } from "./facts.ts";
import type { Hex } from "../protocol/proof.ts";

export type { Batch } from "../batch/mod.ts";

/** Tells the server which batches to prove. */
export interface BatchSource {
  /** For logs and /status. */
  readonly description: string;
  /**
   * The batches that need a proof now, ascending by number (already proved ones may be listed:
   * the server skips what it has stored). A batch number always names the same block range.
   */
  pending(): Promise<readonly Batch[]>;
}

/** Options of {@link ChainHeadSource}. */
export interface ChainHeadOptions {
  /** The first block of batch 1 (`--from-block`). */
  readonly fromBlock: number;
  /** Blocks per batch (`--batch-size`, default 1). */
  readonly batchSize: number;
  /** Longest wait for a partial batch at the L2 head, ms (`--batch-timeout`). */
  readonly batchTimeoutMs: number;
  readonly clock?: PlannerClock;
}

/**
 * Every block of the L2 from `fromBlock` on, cut into batches numbered from `fromBlock` (no
 * settlement), so that with batch size 1 a batch number is its block number.
 * The batches are remembered for the process's life, so their numbers stay stable.
 */
export class ChainHeadSource implements BatchSource {
  /** For logs and /status. */
  readonly description: string;
  private readonly planner: BatchPlanner;
  private readonly planned: Batch[] = [];

  constructor(private readonly rpc: JsonRpc, opts: ChainHeadOptions) {
    this.description = `L2 blocks from ${opts.fromBlock} on, ${opts.batchSize} per batch`;
    this.planner = new BatchPlanner(
      {
        batchSize: opts.batchSize,
        batchTimeoutMs: opts.batchTimeoutMs,
        clock: opts.clock ?? Date.now,
      },
      { nextBatch: opts.fromBlock, nextBlock: opts.fromBlock },
    );
  }

  /** Every batch cut so far (the L2 head read now). */
  async pending(): Promise<readonly Batch[]> {
    const head = Number(BigInt(await this.rpc.request<Hex>("eth_blockNumber", [])));
    this.planned.push(...this.planner.plan(head));
    return this.planned;
  }
}

/** A source over fixed batches (tests, benchmarks, re-proving a known span). */
export class FixedBatchSource implements BatchSource {
  /** For logs and /status. */
  readonly description: string;
  constructor(private readonly batches: readonly Batch[]) {
    this.description = `batches ${batches[0]?.number}..${batches[batches.length - 1]?.number}`;
  }

  /** Always the same batches. */
  pending(): Promise<readonly Batch[]> {
    return Promise.resolve(this.batches);
  }
}

/** Batches of one block each, numbered by their block: `first..last` (tests, benchmarks). */
export function singleBlockBatches(first: number, last: number): Batch[] {
  const out: Batch[] = [];
  for (let b = first; b <= last; b++) out.push({ number: b, firstBlock: b, lastBlock: b });
  return out;
}
