/**
 * Settlement for prover-server: the L1 client of the verifier account, the start checks, the
 * L1 batch source and the proof sender loop, assembled from the server's settings.
 */
import type { Address, Hex } from "viem";
import type { Logger } from "../log/logger.ts";
import { L1Client } from "../l1/client.ts";
import type { SealKind } from "../l1/verifier_check.ts";
import { SettlementHealth, type SettlementMetrics } from "./health.ts";
import { type BatchProofs, ProofSender } from "./sender.ts";
import { L1BatchSource, runSettlementLoop } from "./source.ts";

export { L1BatchSource } from "./source.ts";
export { type BatchProofs, ProofSender, type StoredSeal, type Verified } from "./sender.ts";
export { SettlementHealth, type SettlementMetrics } from "./health.ts";
export { storedBatchProofs } from "./stored_proofs.ts";

/** The server's settlement settings. */
export interface SettlementOptions {
  readonly l1Rpc: string;
  readonly onChainProposer: Address;
  /** The verifier account's key (PROVER_SERVER_VERIFIER_PRIVATE_KEY). */
  readonly verifierPrivateKey: Hex;
  /** PROVER_SERVER_VERIFIER_ADDRESS when set: must be the key's account. */
  readonly verifierAddress?: Address;
  /** COMMITTER_L1_ADDRESS when set: must differ from the verifier account. */
  readonly committerAddress?: Address;
  readonly sealKind: SealKind;
  readonly maxBatchesPerTx: number;
  readonly confirmations: number;
  readonly feeBumpAfterMs: number;
  readonly maxFeePerGasWei?: bigint;
  readonly pollMs: number;
  readonly dataDir: string;
  /** Where L1 errors, reverts and halts are counted (the server's metric set). */
  readonly metrics?: SettlementMetrics;
  readonly log: Logger;
}

/** Connected and checked settlement: the batch source to prove from and the sender to start. */
export interface Settlement {
  readonly l1: L1Client;
  readonly source: L1BatchSource;
  /** The proof sender's health: /status `health.l1`. */
  readonly health: SettlementHealth;
  /** Runs the proof sender over `proofs` until `signal` aborts. */
  run(proofs: BatchProofs, signal: AbortSignal): Promise<void>;
}

/**
 * Connects to L1 and checks everything that must hold before the server starts: the accounts
 * (verifier ≠ committer, the key is the contract's verifier account) and that the contract's
 * verifier takes this deployment's seals. Throws with what to fix.
 */
export async function openSettlement(opts: SettlementOptions): Promise<Settlement> {
  const l1 = await L1Client.connect({
    url: opts.l1Rpc,
    privateKey: opts.verifierPrivateKey,
    confirmations: opts.confirmations,
    bumpAfterMs: opts.feeBumpAfterMs,
    maxFeePerGasCap: opts.maxFeePerGasWei,
    log: opts.log.child("l1"),
  });
  const me = l1.address!.toLowerCase();
  if (opts.committerAddress && opts.committerAddress.toLowerCase() === me) {
    throw new Error(
      `PROVER_SERVER_VERIFIER_PRIVATE_KEY is the committer's key (${l1.address}); ` +
        "the verifier account must be a different account",
    );
  }
  if (opts.verifierAddress && opts.verifierAddress.toLowerCase() !== me) {
    throw new Error(
      `PROVER_SERVER_VERIFIER_ADDRESS is ${opts.verifierAddress}, but the key's account is ` +
        `${l1.address}: fix one of them`,
    );
  }
  // Checked now, so a wrong account or verifier stops the server before it hands out work.
  await ProofSender.open({
    l1,
    proposer: opts.onChainProposer,
    proofs: { seal: () => Promise.resolve(undefined), discard: () => Promise.resolve() },
    dataDir: opts.dataDir,
    maxBatchesPerTx: opts.maxBatchesPerTx,
    sealKind: opts.sealKind,
    log: opts.log,
  });
  const health = new SettlementHealth(opts.log, opts.metrics);
  return {
    l1,
    source: new L1BatchSource(l1, opts.onChainProposer),
    health,
    async run(proofs, signal) {
      // Opened in the loop: an L1 that is down now delays the sender (shown in health.l1)
      // instead of ending it.
      let sender: ProofSender | undefined;
      await runSettlementLoop(async (s) => {
        sender ??= await ProofSender.open({
          l1,
          proposer: opts.onChainProposer,
          proofs,
          dataDir: opts.dataDir,
          maxBatchesPerTx: opts.maxBatchesPerTx,
          sealKind: opts.sealKind,
          health,
          log: opts.log,
        });
        const done = await sender.step(s);
        health.l1.ok();
        return done;
      }, {
        pollMs: opts.pollMs,
        signal,
        onError: (e) => health.l1.failed(e),
      });
    },
  };
}
