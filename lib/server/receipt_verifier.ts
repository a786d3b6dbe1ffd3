/**
 * The server's check of risc0 receipts: proved with the guest this server trusts (its own
 * zkvm-host's image id, never the one a prover names) and valid for it (`zkvm-host verify`).
 */
import {
  BackendUnavailableError,
  type HostError,
  hostImageId,
  InvalidBlockError,
  verifyReceipt,
} from "../host/mod.ts";
import type { Logger } from "../log/logger.ts";
import type { ProofPayload } from "../protocol/proof.ts";
import { mockSealVerdict, type ReceiptVerifier, type VerifyOutcome } from "./submissions.ts";

/** Options of {@link hostReceiptVerifier}. */
export interface HostVerifierOptions {
  readonly hostBin?: string;
  /** RISC0_DEV_MODE=1: accept dev-mode (fake) receipts, as the mock verifier on a devnet does. */
  readonly devMode: boolean;
  readonly log: Logger;
}

/** A ReceiptVerifier backed by zkvm-host; the trusted image id is read once, on first use. */
export function hostReceiptVerifier(opts: HostVerifierOptions): ReceiptVerifier {
  let trusted: Promise<string> | undefined;
  return async (proof: ProofPayload): Promise<VerifyOutcome> => {
    let imageId: string;
    try {
      trusted ??= hostImageId(opts.hostBin);
      imageId = await trusted;
    } catch (e) {
      trusted = undefined; // a guest built later is picked up on the next submission
      return unavailable(e as Error);
    }
    if (proof.imageId?.toLowerCase() !== imageId) {
      return failed(`proved with image id ${proof.imageId}, but this server trusts ${imageId}`);
    }
    if (proof.mode === "dev" && !opts.devMode) {
      return failed("a dev-mode (fake) receipt, refused because RISC0_DEV_MODE=0");
    }
    // A dev-mode receipt proves nothing beyond its seal, which the mock verifier on L1 checks:
    // recompute that seal here instead of asking zkvm-host.
    if (proof.mode === "dev") return mockSealVerdict(proof);
    try {
      await verifyReceipt(
        {
          imageId: proof.imageId,
          journal: proof.journal,
          seal: proof.seal,
          receipt: proof.receipt,
        },
        { hostBin: opts.hostBin, devMode: opts.devMode },
      );
      return { ok: true };
    } catch (e) {
      if (e instanceof BackendUnavailableError) return unavailable(e);
      if (e instanceof InvalidBlockError) return failed(e.message);
      const err = e as HostError;
      opts.log.warn(`receipt check failed to run: ${err.message}`);
      return failed(err.message);
    }
  };
}

function failed(message: string): VerifyOutcome {
  return { ok: false, code: "verification_failed", message };
}

function unavailable(e: Error): VerifyOutcome {
  return {
    ok: false,
    code: "verifier_unavailable",
    message: `this server cannot verify risc0 receipts: ${e.message}`,
  };
}
