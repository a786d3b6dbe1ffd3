/**
 * The compiled settlement contracts (contracts/build/artifacts.ts, made by contracts/build.ts)
 * and the one ABI of every custom error they can revert with, for decoding reverts by name.
 */
import {
  OnChainProposer,
  RiscZeroGroth16Verifier,
  RiscZeroMockVerifier,
  RiscZeroVerifierRouter,
} from "../../contracts/build/artifacts.ts";

export {
  CONTROL_ID,
  GROTH16_TEST_RECEIPT,
  OnChainProposer,
  RiscZeroGroth16Verifier,
  RiscZeroMockVerifier,
  RiscZeroVerifierRouter,
} from "../../contracts/build/artifacts.ts";

type ErrorItem = { readonly type: "error"; readonly name: string };

function errorsOf(...abis: readonly (readonly { readonly type: string }[])[]): ErrorItem[] {
  const seen = new Map<string, ErrorItem>();
  for (const abi of abis) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const e = item as unknown as ErrorItem & { inputs: readonly { type: string }[] };
      seen.set(`${e.name}(${e.inputs.map((i) => i.type).join(",")})`, e);
    }
  }
  return [...seen.values()];
}

/** Every custom error of OnChainProposer and risc0's verifiers (router, Groth16, mock). */
export const SETTLEMENT_ERRORS_ABI = errorsOf(
  OnChainProposer.abi,
  RiscZeroVerifierRouter.abi,
  RiscZeroGroth16Verifier.abi,
  RiscZeroMockVerifier.abi,
);
