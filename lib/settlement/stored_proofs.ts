/**
 * The server's proof store as the proof sender sees it: the L1 seal of a stored batch proof, and
 * discarding one (it leaves the store, so the server hands the batch out again).
 */
import type { Logger } from "../log/logger.ts";
import type { ProofStore } from "../store/proof_store.ts";
import type { BatchProofs, StoredSeal } from "./sender.ts";

/**
 * {@link BatchProofs} over a {@link ProofStore}. With `canonical` (the server's reorg check), a
 * proof whose blocks are no longer the L2's is never handed to the sender: the server sets it
 * aside and proves the batch again.
 */
export function storedBatchProofs(
  store: ProofStore,
  log: Logger,
  canonical?: (batch: number) => Promise<boolean>,
): BatchProofs {
  return {
    async seal(batch: number): Promise<StoredSeal | undefined> {
      if (!store.has(batch)) return undefined;
      if (canonical && !(await canonical(batch))) {
        log.warn(`not sending the proof of batch ${batch}: its blocks were replaced by a reorg`);
        return undefined;
      }
      const stored = await store.get(batch);
      return stored && { seal: stored.proof.seal, lastBlockHash: stored.facts.lastBlockHash };
    },
    async discard(batch: number, reason: string): Promise<void> {
      log.warn(`discarding the proof of batch ${batch}, to be proved again: ${reason}`);
      await store.discard(batch, reason);
    },
  };
}
