/**
 * The server's proof store as the proof sender sees it: the L1 seal of a stored batch proof, and
 * discarding one (it leaves the store, so the server hands the batch out again).
 */
import type { Hex } from "viem";
import type { Logger } from "../log/logger.ts";
import type { ProofStore } from "../store/proof_store.ts";
import type { BatchProofs } from "./sender.ts";

/** {@link BatchProofs} over a {@link ProofStore}. */
export function storedBatchProofs(store: ProofStore, log: Logger): BatchProofs {
  return {
    async seal(batch: number): Promise<Hex | undefined> {
      if (!store.has(batch)) return undefined;
      return (await store.get(batch))?.proof.seal;
    },
    async discard(batch: number, reason: string): Promise<void> {
      log.warn(`discarding the proof of batch ${batch}, to be proved again: ${reason}`);
      await store.discard(batch, reason);
    },
  };
}
