/**
 * Whether a verifier contract accepts the seals this host makes: a risc0 router must know their
 * selector (`getVerifier(bytes4)`), a single verifier must have it as its SELECTOR. Checked by
 * `deploy` and the server before anything else, so a wrong address stops at once with advice.
 */
import { type Address, encodeFunctionData, type Hex, parseAbi } from "viem";
import { RiscZeroMockVerifier } from "./artifacts.ts";
import { GROTH16_TEST_RECEIPT } from "./artifacts.ts";
import type { L1Client } from "./client.ts";
import { ContractRevertError, formatRevert } from "./errors.ts";
import { MOCK_SELECTOR } from "../host/seal.ts";

/** risc0's router on Sepolia (risc0-ethereum's deployment table). */
export const SEPOLIA_ROUTER: Address = "0x925d8331ddc0a1F0d96E68CF073DFE1d92b69187";
/** The address in ethrex's prover guide: risc0's v1.1 Groth16 verifier, which 3.x seals do not fit. */
export const ETHREX_GUIDE_V1_1_VERIFIER: Address = "0xd9b0d07CeCd808a8172F21fA7C97992168f045CA";

/** The selector of risc0 3.0's Groth16 seals (the first 4 bytes of risc0's own 3.0 test receipt). */
export const GROTH16_SELECTOR: Hex = GROTH16_TEST_RECEIPT.seal.slice(0, 10) as Hex;

/** Which seals a host makes: mock (dev mode, exec backend) or real Groth16. */
export type SealKind = "mock" | "groth16";

/** The selector of a seal kind. */
export function selectorOf(kind: SealKind): Hex {
  return kind === "mock" ? MOCK_SELECTOR : GROTH16_SELECTOR;
}

/** The verifier cannot accept the seals this host makes; the message says what to use. */
export class VerifierMismatchError extends Error {
  override name = "VerifierMismatchError";
}

/** Throws VerifierMismatchError unless `verifier` on `l1` routes or accepts seals of `kind`. */
export async function checkVerifierAccepts(
  l1: L1Client,
  verifier: Address,
  kind: SealKind,
): Promise<void> {
  const selector = selectorOf(kind);
  const code = await l1.pub.getCode({ address: verifier });
  if (!code || code === "0x") {
    throw new VerifierMismatchError(
      `no contract at verifier ${verifier} on L1 chain ${l1.chainId}; ${advice(l1.chainId, kind)}`,
    );
  }
  // The router overloads getVerifier(bytes4) and getVerifier(bytes): name the one meant.
  const routerCall = encodeFunctionData({
    abi: parseAbi(["function getVerifier(bytes4 selector) view returns (address)"]),
    functionName: "getVerifier",
    args: [selector],
  });
  try {
    await l1.call(verifier, routerCall, `getVerifier(${selector})`);
    return; // a router that knows the selector
  } catch (e) {
    if (
      e instanceof ContractRevertError && e.revert.name !== "empty revert" &&
      e.revert.name !== "unknown"
    ) {
      throw new VerifierMismatchError(
        `the verifier router ${verifier} refuses ${kind} seals (selector ${selector}): ` +
          `${formatRevert(e.revert)}; ${advice(l1.chainId, kind)}`,
      );
    }
  }
  // Not a router: a single verifier reports its selector.
  let own: Hex | undefined;
  try {
    const data = encodeFunctionData({ abi: RiscZeroMockVerifier.abi, functionName: "SELECTOR" });
    const r = await l1.call(verifier, data, "SELECTOR()");
    own = r.slice(0, 10).toLowerCase() as Hex;
  } catch { /* neither a router nor a risc0 verifier */ }
  if (own === selector.toLowerCase()) return;
  const what = own
    ? `a risc0 verifier for selector ${own}` +
      (verifier.toLowerCase() === ETHREX_GUIDE_V1_1_VERIFIER.toLowerCase()
        ? " (risc0's v1.1 Groth16 verifier from ethrex's guide, unroutable now)"
        : "")
    : "neither a risc0 router nor a risc0 verifier";
  throw new VerifierMismatchError(
    `verifier ${verifier} is ${what}, so it rejects the ${kind} seals this host makes ` +
      `(selector ${selector}); ${advice(l1.chainId, kind)}`,
  );
}

function advice(chainId: number, kind: SealKind): string {
  if (kind === "mock") {
    return "mock seals (RISC0_DEV_MODE=1, exec backend) need a RiscZeroMockVerifier(0xFFFFFFFF) " +
      "behind a router: on a local chain, run deploy without --verifier to deploy both";
  }
  if (chainId === 11155111) return `use risc0's router on Sepolia, ${SEPOLIA_ROUTER}`;
  return "use risc0's RiscZeroVerifierRouter of this chain (risc0-ethereum's deployment table)";
}
