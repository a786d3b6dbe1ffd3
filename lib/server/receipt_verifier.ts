/**
 * The server's check of risc0 receipts: proved with a guest this server trusts (its own
 * zkvm-host's image id, or its dev guest's, which proves inputs with quirks; never the one a
 * prover names) and valid for it (`zkvm-host verify`). Trusting the dev guest is safe: its
 * journals carry the rules digest of their quirks, which the journal check compares with the
 * server's own input, and the contract on a spec chain accepts neither that digest nor that id.
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
  let trusted: Promise<Set<string>> | undefined;
  const ids = async () => {
    const spec = await hostImageId(opts.hostBin);
    // A host without the dev guest still serves spec chains.
    const dev = await hostImageId(opts.hostBin, { dev: true }).catch(() => undefined);
    return new Set(dev ? [spec, dev] : [spec]);
  };
  return async (proof: ProofPayload): Promise<VerifyOutcome> => {
    let imageIds: Set<string>;
    try {
      trusted ??= ids();
      imageIds = await trusted;
    } catch (e) {
      trusted = undefined; // a guest built later is picked up on the next submission
      return unavailable(e as Error);
    }
    if (proof.imageId === null || !imageIds.has(proof.imageId.toLowerCase())) {
      return failed(
        `proved with image id ${proof.imageId}, but this server trusts ${[...imageIds].join(", ")}`,
      );
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
