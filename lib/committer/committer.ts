/**
 * The dev committer (local runs and tests; in production the L2's sequencer commits): follows the
 * L2 head and commits each batch to the OnChainProposer in order, reading from L1 where it left
 * off, so a restart continues without gaps or duplicates.
 */
import type { Address, Hex } from "viem";
import type { Logger } from "../log/logger.ts";
import type { RpcHeader } from "../rpc/eth.ts";
import type { L1Client } from "../l1/client.ts";
import { Proposer } from "../l1/proposer.ts";
import { planBatch } from "./plan.ts";
import { sleep } from "../time/mod.ts";

/** The JSON-RPC calls the committer makes to the L2; lib/rpc's RpcClient satisfies it. */
export interface L2Rpc {
  request<T>(method: string, params: readonly unknown[]): Promise<T>;
}

/** Options of {@link Committer} and {@link startCommitter}. */
export interface CommitterOptions {
  /** L1 client holding the committer account's key. */
  readonly l1: L1Client;
  readonly proposer: Address;
  readonly l2: L2Rpc;
  /** Blocks per batch (a partial batch after `maxWaitMs`). */
  readonly batchSize: number;
  readonly maxWaitMs: number;
  /** Wait between looks at the L2 head. */
  readonly pollMs?: number;
  readonly clock?: () => number;
  readonly log: Logger;
}

/** A committed batch, as the committer reports it. */
export interface Committed {
  readonly batch: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
  readonly gasUsed: bigint;
}

/** Commits batches one at a time; `step` is one look at the L2 (tests drive it directly). */
export class Committer {
  private readonly proposer: Proposer;
  private waitingSince: number | undefined;
  private waitingFor = -1;

  constructor(private readonly opts: CommitterOptions) {
    this.proposer = new Proposer(opts.l1, opts.proposer);
  }

  /** Commits the next batch when the planner says so; resolves to it, or null when waiting. */
  async step(): Promise<Committed | null> {
    const { l1, l2, log } = this.opts;
    const now = (this.opts.clock ?? Date.now)();
    const last = await this.proposer.lastCommittedBatch();
    const prev = await this.proposer.batch(last);
    const head = Number(BigInt(await l2.request<Hex>("eth_blockNumber", [])));
    if (head > prev.lastBlock && this.waitingFor !== prev.lastBlock) {
      this.waitingFor = prev.lastBlock;
      this.waitingSince = now;
    }
    const range = planBatch({
      head,
      lastCommittedBlock: prev.lastBlock,
      batchSize: this.opts.batchSize,
      maxWaitMs: this.opts.maxWaitMs,
      now,
      waitingSince: this.waitingSince,
    });
    if (!range) return null;
    const header = await l2.request<RpcHeader | null>("eth_getBlockByNumber", [
      `0x${range.last.toString(16)}`,
      false,
    ]);
    if (!header) throw new Error(`the L2 node lost block ${range.last} (reorg?)`);
    const batch = last + 1;
    const receipt = await l1.send({
      to: this.opts.proposer,
      data: Proposer.commitBatchData({
        number: batch,
        firstBlock: range.first,
        lastBlock: range.last,
        lastBlockHash: header.hash.toLowerCase() as Hex,
        stateRoot: header.stateRoot.toLowerCase() as Hex,
      }),
      label: `commitBatch(${batch}: blocks ${range.first}..${range.last})`,
    });
    this.waitingSince = undefined;
    log.info(`committed batch ${batch}: blocks ${range.first}..${range.last}`, {
      gasUsed: Number(receipt.gasUsed),
      tx: receipt.transactionHash,
    });
    return { batch, firstBlock: range.first, lastBlock: range.last, gasUsed: receipt.gasUsed };
  }

  /** Steps until `signal` aborts; errors are logged and retried after `pollMs`. */
  async run(signal: AbortSignal): Promise<void> {
    const pollMs = this.opts.pollMs ?? 1000;
    while (!signal.aborted) {
      let committed: Committed | null = null;
      try {
        committed = await this.step();
      } catch (e) {
        if (signal.aborted) break;
        this.opts.log.warn(`committer: ${(e as Error).message}; retrying in ${pollMs} ms`);
      }
      if (!committed) await sleep(pollMs, signal);
    }
  }
}

/** A running committer. */
export interface RunningCommitter extends AsyncDisposable {
  /** Stops after the transaction in flight, if any. */
  stop(): Promise<void>;
}

/** Starts a committer loop (for `up` and tests); stop() ends it. */
export function startCommitter(opts: CommitterOptions): RunningCommitter {
  const ctl = new AbortController();
  const done = new Committer(opts).run(ctl.signal);
  const stop = async () => {
    ctl.abort();
    await done;
  };
  return { stop, [Symbol.asyncDispose]: stop };
}
