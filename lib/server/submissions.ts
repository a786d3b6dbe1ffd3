/**
 * Checks a submitted proof before it is stored: the batch was handed out, the journal matches
 * the batch the server knows, the proof verifies for its backend. Only then is it stored
 * (durably) and acknowledged. A rejected submission changes nothing.
 */
import type { Logger } from "../log/logger.ts";
import type { UpstreamHealth } from "../metrics/health.ts";
import type { ErrorCode, SubmitMsg } from "../protocol/messages.ts";
import type { ProofPayload } from "../protocol/proof.ts";
import type { ProofStore } from "../store/proof_store.ts";
import type { BatchFacts } from "./facts.ts";
import type { JobBoard } from "./jobs.ts";
import { mockSeal } from "../host/seal.ts";
import { journalMismatch } from "../protocol/facts.ts";
import type { LeaseTable } from "./leases.ts";
import type { ServerMetrics } from "./metrics.ts";

/** The verdict of a proof verifier. */
export type VerifyOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Checks a risc0 receipt (seal, image id, journal digest); lib/host's `zkvm-host verify` in production. */
export type ReceiptVerifier = (proof: ProofPayload, facts: BatchFacts) => Promise<VerifyOutcome>;

/** The answer to a Submit. */
export type SubmitOutcome =
  | { readonly ok: true; readonly duplicate: boolean }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Policy knobs of the checker. */
export interface SubmissionPolicy {
  /** Accept `exec` results, whose seal is only a mock one (devnet/dev mode only). */
  readonly acceptExecProofs: boolean;
}

/** Checks, stores and acknowledges submissions; one at a time per batch. */
export class SubmissionDesk {
  private readonly inFlight = new Map<number, Promise<SubmitOutcome>>();

  constructor(
    private readonly deps: {
      readonly board: JobBoard;
      readonly leases: LeaseTable;
      readonly store: ProofStore;
      readonly verifyReceipt: ReceiptVerifier;
      readonly metrics: ServerMetrics;
      /** Writes to the data dir: a failed proof write shows in /status `health.store`. */
      readonly storeHealth?: UpstreamHealth;
      readonly log: Logger;
    },
    private readonly policy: SubmissionPolicy,
  ) {}

  /** Handles one Submit from `peer`; never throws. */
  async submit(msg: SubmitMsg, peer: string): Promise<SubmitOutcome> {
    // Two submissions of one batch are serialised so the second sees the first's result.
    for (;;) {
      const busy = this.inFlight.get(msg.batchNumber);
      if (!busy) break;
      await busy;
    }
    const p = this.check(msg, peer).catch((e): SubmitOutcome => ({
      ok: false,
      code: "internal",
      message: `server failed while checking the proof: ${(e as Error).message}; retry later`,
    }));
    this.inFlight.set(msg.batchNumber, p);
    try {
      const out = await p;
      this.record(msg, peer, out);
      return out;
    } finally {
      this.inFlight.delete(msg.batchNumber);
    }
  }

  private async check(msg: SubmitMsg, peer: string): Promise<SubmitOutcome> {
    const { board, leases, store, metrics } = this.deps;
    const n = msg.batchNumber;
    if (store.has(n)) return { ok: true, duplicate: true };
    if (!leases.wasHandedOut(n)) {
      if (!board.batchOf(n)) {
        return {
          ok: false,
          code: "not_handed_out",
          message: `batch ${n} was not handed out by this server; ask for work with Request`,
        };
      }
      // A batch to prove, with no lease on record (a lease journal that lost its tail, a lease
      // already released): a proof that checks out against the batch's facts is still valid.
      this.deps.log.info(
        `proof of batch ${n} comes without a lease on record; checking it like any other`,
        { peer },
      );
    }
    let facts: BatchFacts;
    try {
      facts = await board.factsOf(n);
    } catch (e) {
      return {
        ok: false,
        code: "unknown_batch",
        message: `cannot read batch ${n} from the L2 node to check the proof: ${
          (e as Error).message
        }; retry later`,
      };
    }
    const mismatch = journalMismatch(msg.proof.journal, facts);
    if (mismatch) return { ok: false, code: "journal_mismatch", message: mismatch };
    const committed = board.batchOf(n)?.lastBlockHash;
    if (committed && committed.toLowerCase() !== facts.lastBlockHash.toLowerCase()) {
      return {
        ok: false,
        code: "journal_mismatch",
        message: `block ${facts.lastBlock} (${facts.lastBlockHash}) is not the block committed ` +
          `on L1 for batch ${n} (${committed}): this proof is of another chain`,
      };
    }
    const verdict = await this.verify(msg.proof, facts);
    if (!verdict.ok) return verdict;
    // The facts may predate a reorg the board has not seen yet: a proof of replaced blocks is
    // never stored, nor acknowledged.
    let canonical: boolean | undefined;
    try {
      canonical = await board.isCanonical(facts);
    } catch (e) {
      return {
        ok: false,
        code: "unknown_batch",
        message: `cannot ask the L2 node whether block ${facts.lastBlock} is still canonical: ${
          (e as Error).message
        }; retry later`,
      };
    }
    if (canonical === false) {
      return {
        ok: false,
        code: "journal_mismatch",
        message: `block ${facts.lastBlock} (${facts.lastBlockHash}) was replaced by an L2 reorg: ` +
          "this proof is of blocks no longer on the chain",
      };
    }
    try {
      await store.put({
        batchNumber: n,
        firstBlock: facts.firstBlock,
        lastBlock: facts.lastBlock,
        storedAt: new Date().toISOString(),
        facts,
        proof: msg.proof,
      });
    } catch (e) {
      this.deps.storeHealth?.failed(e);
      return {
        ok: false,
        code: "store_failed",
        message: `proof of batch ${n} is valid but could not be stored: ${
          (e as Error).message
        }; the operator must fix the data dir, retry later`,
      };
    }
    this.deps.storeHealth?.ok();
    metrics.verified.inc({ backend: msg.proof.backend });
    board.complete(n);
    this.deps.log.info(
      `proof of batch ${n} (blocks ${facts.firstBlock}..${facts.lastBlock}) verified and stored`,
      {
        peer,
        backend: msg.proof.backend,
        mode: msg.proof.mode,
        provingMs: Math.round(msg.proof.provingMs),
      },
    );
    return { ok: true, duplicate: false };
  }

  private verify(proof: ProofPayload, facts: BatchFacts): Promise<VerifyOutcome> | VerifyOutcome {
    if (proof.backend === "exec") {
      return this.policy.acceptExecProofs ? mockSealVerdict(proof) : {
        ok: false,
        code: "exec_not_accepted",
        message:
          "exec results carry only a mock seal (no proof) and this server does not accept them " +
          "(start it with --accept-exec-proofs for dev/devnet, or prove with --backend risc0)",
      };
    }
    return this.deps.verifyReceipt(proof, facts);
  }

  private record(msg: SubmitMsg, peer: string, out: SubmitOutcome): void {
    const { metrics, store, log } = this.deps;
    if (out.ok && out.duplicate) {
      metrics.duplicates.inc();
      log.info(`duplicate proof of batch ${msg.batchNumber}: already stored, acknowledged again`, {
        peer,
      });
      return;
    }
    if (out.ok) {
      metrics.proved.inc();
      metrics.provingMs.observe(msg.proof.provingMs);
      metrics.lastVerified.set(store.highest() ?? NaN);
      metrics.storedProofs.set(store.size);
      return;
    }
    metrics.rejected.inc({ reason: out.code });
    log.warn(`rejected proof of batch ${msg.batchNumber}: ${out.message}`, {
      peer,
      reason: out.code,
    });
  }
}

/**
 * Checks a mock seal (`0xFFFFFFFF ‖ claimDigest(imageId, sha256(journal))`, exec results and
 * risc0 dev-mode receipts) by recomputing it: what RiscZeroMockVerifier will check on L1.
 */
export function mockSealVerdict(proof: ProofPayload): VerifyOutcome {
  if (proof.imageId === null) {
    return { ok: false, code: "verification_failed", message: "the proof names no image id" };
  }
  const want = mockSeal(proof.imageId, proof.journal);
  return proof.seal.toLowerCase() === want ? { ok: true } : {
    ok: false,
    code: "verification_failed",
    message: `seal ${proof.seal.slice(0, 20)}… is not the mock seal of this journal and image id ` +
      `(${want.slice(0, 20)}…)`,
  };
}

/** The receipt verifier to use where risc0 verification is not wired: refuses with a clear reason. */
export const noReceiptVerifier: ReceiptVerifier = () =>
  Promise.resolve({
    ok: false,
    code: "verifier_unavailable",
    message: "this server cannot verify risc0 receipts (zkvm-host verify is unavailable); " +
      "build zkvm-host with risc0 support or set --host-bin",
  });
