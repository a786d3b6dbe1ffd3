/**
 * The settlement journal: the verifyBatches transaction in flight, written (atomically, fsynced)
 * before each broadcast, so a restarted server waits for that transaction instead of sending a
 * second one for the same batches. At most one is in flight; L1's lastVerifiedBatch says when it
 * is done.
 */
import { join } from "node:path";
import type { Hex } from "viem";
import type { SignedTx } from "../l1/client.ts";
import { readTextIfExists, writeFileAtomic } from "../store/atomic.ts";

/** A verifyBatches in flight: its batches, calldata and every signed version (fee bumps). */
export interface PendingVerify {
  readonly firstBatch: number;
  readonly lastBatch: number;
  readonly to: Hex;
  readonly data: Hex;
  readonly txs: readonly SignedTx[];
}

const FILE = "settlement-pending.json";

/** The one-slot durable record under the data dir. */
export class PendingStore {
  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, FILE);
  }

  /** The recorded transaction, or undefined. */
  async load(): Promise<PendingVerify | undefined> {
    const text = await readTextIfExists(this.path);
    if (text === undefined) return undefined;
    const o = JSON.parse(text);
    return {
      firstBatch: o.first_batch,
      lastBatch: o.last_batch,
      to: o.to,
      data: o.data,
      txs: (o.txs as Record<string, string | number>[]).map((t) => ({
        hash: t.hash as Hex,
        nonce: Number(t.nonce),
        raw: t.raw as Hex,
        gas: BigInt(t.gas),
        maxFeePerGas: BigInt(t.max_fee_per_gas),
        maxPriorityFeePerGas: BigInt(t.max_priority_fee_per_gas),
      })),
    };
  }

  /** Records `p` durably (replacing the previous record). */
  async save(p: PendingVerify): Promise<void> {
    await Deno.mkdir(this.dataDir, { recursive: true });
    const json = JSON.stringify(
      {
        first_batch: p.firstBatch,
        last_batch: p.lastBatch,
        to: p.to,
        data: p.data,
        txs: p.txs.map((t) => ({
          hash: t.hash,
          nonce: t.nonce,
          raw: t.raw,
          gas: t.gas.toString(),
          max_fee_per_gas: t.maxFeePerGas.toString(),
          max_priority_fee_per_gas: t.maxPriorityFeePerGas.toString(),
        })),
      },
      null,
      1,
    );
    await writeFileAtomic(this.path, new TextEncoder().encode(json));
  }

  /** Forgets the record (its batches are verified on L1, or it reverted). */
  async clear(): Promise<void> {
    await Deno.remove(this.path).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}
