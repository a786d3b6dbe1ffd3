/**
 * The L1 batch source: which batches need a proof when an OnChainProposer settles them (those
 * committed but not yet verified), with their block ranges as the committer posted them. The
 * server's batch scheduler asks it instead of numbering batches itself.
 */
import type { Address } from "viem";
import type { L1Client } from "../l1/client.ts";
import { type CommittedBatch, Proposer } from "../l1/proposer.ts";

/** Committed, unverified batches of one OnChainProposer. */
export class L1BatchSource {
  /** For logs and /status. */
  readonly description: string;
  private readonly proposer: Proposer;
  private readonly known = new Map<number, CommittedBatch>();

  constructor(l1: L1Client, address: Address, private readonly maxAhead = 64) {
    this.proposer = new Proposer(l1, address);
    this.description = `batches committed to OnChainProposer ${address} on L1 chain ${l1.chainId}`;
  }

  /** The committed, unverified batches in order (at most `maxAhead`), read from L1. */
  async pending(): Promise<CommittedBatch[]> {
    const [verified, committed] = await Promise.all([
      this.proposer.lastVerifiedBatch(),
      this.proposer.lastCommittedBatch(),
    ]);
    for (const n of this.known.keys()) if (n <= verified) this.known.delete(n);
    const out: CommittedBatch[] = [];
    const last = Math.min(committed, verified + this.maxAhead);
    for (let n = verified + 1; n <= last; n++) {
      // A committed batch never changes, so each is read once.
      let b = this.known.get(n);
      if (!b) {
        b = await this.proposer.batch(n);
        this.known.set(n, b);
      }
      out.push(b);
    }
    return out;
  }

  /** The committed batch `n` (the server checks a journal's block range against it). */
  async batch(n: number): Promise<CommittedBatch> {
    const b = this.known.get(n) ?? await this.proposer.batch(n);
    this.known.set(n, b);
    return b;
  }
}

/** Runs `step` (a ProofSender's) until `signal` aborts, pausing `pollMs` when idle or failing. */
export async function runSettlementLoop(
  step: (signal: AbortSignal) => Promise<unknown>,
  opts: { pollMs: number; signal: AbortSignal; onError: (e: Error) => void },
): Promise<void> {
  while (!opts.signal.aborted) {
    let busy = false;
    try {
      busy = (await step(opts.signal)) !== null;
    } catch (e) {
      if (opts.signal.aborted) break;
      opts.onError(e as Error);
    }
    if (!busy) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, opts.pollMs);
        function done() {
          clearTimeout(t);
          opts.signal.removeEventListener("abort", done);
          resolve();
        }
        opts.signal.addEventListener("abort", done, { once: true });
      });
    }
  }
}
