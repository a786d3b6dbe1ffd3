/**
 * The proof sender: once proofs of consecutive batches are stored, one verifyBatches for all of
 * them (up to a cap). Every seal is checked off-chain first (eth_call of the verifier with the
 * contract's own journalOf), so an invalid proof is discarded and re-proved without spending
 * gas. When a multi-batch transaction reverts anyway, the failing batch's proof is discarded and
 * the next sends go batch by batch. L1's lastVerifiedBatch is the truth; the transaction in
 * flight is recorded before it is broadcast (PendingStore), so a restart never sends a second
 * verify for the same batches. A stored proof whose last block hash is not the one committed on
 * L1 is never sent: it is set aside and verification halts there, in /status and the metrics.
 */
import { type Address, encodeFunctionData, type Hex, sha256 } from "viem";
import type { Logger } from "../log/logger.ts";
import { RiscZeroMockVerifier } from "../l1/artifacts.ts";
import { sealSelector } from "../host/seal.ts";
import type { L1Client, SignedTx, TxRequest } from "../l1/client.ts";
import { ContractRevertError, formatRevert } from "../l1/errors.ts";
import { Proposer } from "../l1/proposer.ts";
import { checkVerifierAccepts, type SealKind, selectorOf } from "../l1/verifier_check.ts";
import { SettlementHealth } from "./health.ts";
import { PendingStore } from "./pending.ts";

/** A stored proof as the sender sends it: its L1 seal and the block hash it proves. */
export interface StoredSeal {
  readonly seal: Hex;
  /** The hash of the batch's last block the proof's journal commits to. */
  readonly lastBlockHash: Hex;
}

/** Where the sender finds proofs; the server's proof store behind it. */
export interface BatchProofs {
  /** The seal of `batch`'s stored proof, or undefined when none is stored. */
  seal(batch: number): Promise<StoredSeal | undefined>;
  /** Drops the stored proof of `batch` so that it is proved again. */
  discard(batch: number, reason: string): Promise<void>;
}

/** Options of {@link ProofSender.open}. */
export interface ProofSenderOptions {
  /** L1 client holding the verifier account's key. */
  readonly l1: L1Client;
  readonly proposer: Address;
  readonly proofs: BatchProofs;
  /** The data dir (the settlement journal lives there). */
  readonly dataDir: string;
  /** Most batches in one verifyBatches. */
  readonly maxBatchesPerTx: number;
  /** The seals this deployment's provers make (mock: dev mode / exec; groth16: real). */
  readonly sealKind: SealKind;
  /** Where errors, reverts and halts are shown (default: a health of its own). */
  readonly health?: SettlementHealth;
  readonly log: Logger;
}

/** What one send verified. */
export interface Verified {
  readonly firstBatch: number;
  readonly lastBatch: number;
  readonly gasUsed: bigint;
  readonly tx: Hex;
}

/** Sends verifyBatches transactions (see the module comment). */
export class ProofSender {
  private singles = false;
  private readonly pending: PendingStore;
  /** Its errors, reverts and halts, for /status and /metrics. */
  readonly health: SettlementHealth;

  private constructor(
    private readonly opts: ProofSenderOptions,
    private readonly proposer: Proposer,
  ) {
    this.pending = new PendingStore(opts.dataDir);
    this.health = opts.health ?? new SettlementHealth(opts.log);
  }

  /**
   * Checks the accounts and the verifier, then returns a sender. Refuses (throws) when the
   * verifier account is the committer, when the key is not the contract's verifier account, and
   * when the contract's verifier cannot accept this deployment's seals.
   */
  static async open(opts: ProofSenderOptions): Promise<ProofSender> {
    const { l1 } = opts;
    const me = l1.address;
    if (!me) {
      throw new Error(
        "settlement needs the verifier account's key (PROVER_SERVER_VERIFIER_PRIVATE_KEY)",
      );
    }
    const proposer = new Proposer(l1, opts.proposer);
    const [committer, verifierAccount, verifier] = await Promise.all([
      proposer.committer(),
      proposer.verifierAccount(),
      proposer.verifier(),
    ]);
    if (committer.toLowerCase() === me.toLowerCase()) {
      throw new Error(
        `the verifier key's account ${me} is the OnChainProposer's committer: ` +
          "use a different account for PROVER_SERVER_VERIFIER_PRIVATE_KEY",
      );
    }
    if (verifierAccount.toLowerCase() !== me.toLowerCase()) {
      throw new Error(
        `the verifier key's account ${me} is not the OnChainProposer's verifier account ` +
          `${verifierAccount}: set PROVER_SERVER_VERIFIER_PRIVATE_KEY to that account's key`,
      );
    }
    await checkVerifierAccepts(l1, verifier, opts.sealKind);
    return new ProofSender(opts, proposer);
  }

  /**
   * One round: finishes a recorded transaction, else sends the next run of proved batches.
   * Resolves to what was verified, or null when there was nothing to send.
   */
  async step(signal?: AbortSignal): Promise<Verified | null> {
    const { l1, log } = this.opts;
    const lastVerified = await this.proposer.lastVerifiedBatch();
    this.health.resume(lastVerified);
    const recorded = await this.pending.load();
    if (recorded) {
      if (recorded.lastBatch <= lastVerified) {
        await this.pending.clear();
      } else {
        log.info(
          `resuming verifyBatches(${recorded.firstBatch}..${recorded.lastBatch}) sent before a restart`,
          { nonce: recorded.txs[0]?.nonce, hashes: recorded.txs.map((t) => t.hash) },
        );
        const req = this.request(recorded.firstBatch, recorded.lastBatch, recorded.data);
        for (const tx of recorded.txs) await l1.broadcast(tx, req.label).catch(() => {});
        return await this.finish(
          req,
          recorded.firstBatch,
          recorded.lastBatch,
          () =>
            l1.waitFor(
              req,
              recorded.txs,
              this.recorder(recorded.firstBatch, recorded.lastBatch, req, [
                ...recorded.txs,
              ]),
              signal,
            ),
        );
      }
    }
    const seals = await this.collect(lastVerified + 1);
    if (!seals.length) return null;
    const first = lastVerified + 1;
    const last = first + seals.length - 1;
    const req = this.request(first, last, Proposer.verifyBatchesData(first, seals));
    return await this.finish(
      req,
      first,
      last,
      () => l1.send(req, this.recorder(first, last, req, []), signal),
    );
  }

  private request(first: number, last: number, data: Hex): TxRequest {
    const label = first === last ? `verifyBatches(${first})` : `verifyBatches(${first}..${last})`;
    return { to: this.opts.proposer, data, label };
  }

  // Records every signed version (first send and fee bumps) before its broadcast.
  private recorder(first: number, last: number, req: TxRequest, txs: SignedTx[]) {
    return async (tx: SignedTx) => {
      txs.push(tx);
      await this.pending.save({
        firstBatch: first,
        lastBatch: last,
        to: req.to!,
        data: req.data,
        txs,
      });
    };
  }

  private async finish(
    req: TxRequest,
    first: number,
    last: number,
    send: () => Promise<{ gasUsed: bigint; transactionHash: Hex }>,
  ): Promise<Verified | null> {
    const { log } = this.opts;
    try {
      const receipt = await send();
      await this.pending.clear();
      this.singles = false;
      this.health.verified(first, last, receipt.transactionHash);
      log.info(`verified batches ${first}..${last} on L1`, {
        gasUsed: Number(receipt.gasUsed),
        tx: receipt.transactionHash,
      });
      return {
        firstBatch: first,
        lastBatch: last,
        gasUsed: receipt.gasUsed,
        tx: receipt.transactionHash,
      };
    } catch (e) {
      if (!(e instanceof ContractRevertError)) throw e;
      await this.pending.clear(); // reverted or refused: nothing of it is in flight
      log.warn(`${req.label} refused: ${formatRevert(e.revert)}`);
      this.health.reverted(req.label, formatRevert(e.revert));
      if (e.revert.name === "InvalidProof" && e.revert.batch !== undefined) {
        const bad = Number(e.revert.batch);
        await this.opts.proofs.discard(bad, `L1 refused its seal: ${formatRevert(e.revert)}`);
        if (last > first) this.singles = true; // resend batch by batch
      }
      return null;
    }
  }

  /** Seals of consecutive batches from `from` that are stored and pass the off-chain check. */
  private async collect(from: number): Promise<Hex[]> {
    const { l1, proofs, log } = this.opts;
    const lastCommitted = await this.proposer.lastCommittedBatch();
    const cap = this.singles ? 1 : this.opts.maxBatchesPerTx;
    const upTo = Math.min(lastCommitted, from + cap - 1);
    const seals: Hex[] = [];
    if (upTo < from) return seals;
    const [verifier, imageId] = await Promise.all([
      this.proposer.verifier(),
      this.proposer.imageId(),
    ]);
    const want = selectorOf(this.opts.sealKind);
    for (let b = from; b <= upTo; b++) {
      const stored = await proofs.seal(b);
      if (stored === undefined) break;
      const { seal } = stored;
      const committed = (await this.proposer.batch(b)).lastBlockHash;
      if (stored.lastBlockHash.toLowerCase() !== committed.toLowerCase()) {
        const why = `its last block hash ${stored.lastBlockHash} is not the hash committed on L1 ` +
          `for batch ${b} (${committed}): it proves another chain than the one L1 settles`;
        log.error(
          `not sending the proof of batch ${b}: ${why}. Verification on L1 is halted at batch ` +
            `${b}; the proof is set aside and the batch proved again once the L2 serves the ` +
            "committed blocks (check --l2-rpc)",
        );
        this.health.halt(b, why);
        await proofs.discard(b, why);
        break;
      }
      this.health.resume(b);
      const selector = sealSelector(seal);
      if (selector !== want) {
        await proofs.discard(
          b,
          `its seal has selector ${selector ?? "(none)"}, but this deployment's verifier takes ` +
            `${this.opts.sealKind} seals (${want})`,
        );
        break;
      }
      const journal = await this.proposer.journalOf(b);
      const call = encodeFunctionData({
        abi: RiscZeroMockVerifier.abi,
        functionName: "verify",
        args: [seal, imageId, sha256(journal)],
      });
      try {
        await l1.call(verifier, call, `pre-check of batch ${b}'s seal`);
      } catch (e) {
        const why = e instanceof ContractRevertError
          ? formatRevert(e.revert)
          : (e as Error).message;
        if (!(e instanceof ContractRevertError)) throw e;
        log.warn(
          `the seal of batch ${b} fails the verifier off-chain (${why}): discarded, to be proved again`,
        );
        await proofs.discard(b, `the verifier refuses its seal off-chain: ${why}`);
        break;
      }
      seals.push(seal);
    }
    return seals;
  }
}
