/**
 * risc0's RiscZeroGroth16Verifier (from the risc0-ethereum-contracts crate) on a real anvil with
 * the real Groth16 receipt risc0 ships (TestReceiptV3_0): accepted, a tampered copy refused, and
 * the gas of one verification printed for the settlement figures.
 */
import assert from "node:assert/strict";
import { encodeFunctionData, type Hex, sha256 } from "viem";
import { GROTH16_TEST_RECEIPT, RiscZeroGroth16Verifier } from "../../lib/l1/artifacts.ts";
import { deployGroth16Verifier } from "../../lib/l1/deploy.ts";
import { ContractRevertError } from "../../lib/l1/errors.ts";
import {
  checkVerifierAccepts,
  ETHREX_GUIDE_V1_1_VERIFIER,
  GROTH16_SELECTOR,
  VerifierMismatchError,
} from "../../lib/l1/verifier_check.ts";
import { startL1 } from "../helpers/l1.ts";

function verifyCall(seal: Hex, imageId: Hex, journal: Hex): Hex {
  return encodeFunctionData({
    abi: RiscZeroGroth16Verifier.abi,
    functionName: "verify",
    args: [seal, imageId, sha256(journal)],
  });
}

Deno.test("RiscZeroGroth16Verifier: risc0's real 3.0 receipt verifies on anvil, a tampered one does not", async () => {
  await using l1 = await startL1();
  const groth16 = await deployGroth16Verifier(l1.owner);
  const r = GROTH16_TEST_RECEIPT;
  const selector = await l1.stranger.call(
    groth16,
    encodeFunctionData({ abi: RiscZeroGroth16Verifier.abi, functionName: "SELECTOR" }),
    "SELECTOR",
  );
  assert.equal(
    selector.slice(0, 10),
    GROTH16_SELECTOR,
    "the deployed verifier's selector is the receipt's",
  );

  await l1.stranger.call(groth16, verifyCall(r.seal, r.imageId, r.journal), "verify(real receipt)");
  const gas = await l1.stranger.pub.estimateGas({
    account: l1.stranger.address,
    to: groth16,
    data: verifyCall(r.seal, r.imageId, r.journal),
  });
  console.log(`groth16 verify gas (estimate, incl. 21000 base + calldata): ${gas}`);
  assert.ok(gas > 200_000n && gas < 600_000n, `implausible gas ${gas}`);

  // One bit of the proof flipped; and the right proof for another journal.
  const at = 10 + 2 * 40;
  const flipped = (r.seal.slice(0, at) +
    ((parseInt(r.seal[at], 16) ^ 1).toString(16)) + r.seal.slice(at + 1)) as Hex;
  for (
    const [what, data] of [
      ["tampered seal", verifyCall(flipped, r.imageId, r.journal)],
      ["other journal", verifyCall(r.seal, r.imageId, "0x00")],
    ] as const
  ) {
    await assert.rejects(l1.stranger.call(groth16, data, what), (e: unknown) => {
      assert.ok(e instanceof ContractRevertError, `${what}: ${e}`);
      assert.equal(e.revert.name, "VerificationFailed", what);
      return true;
    });
  }

  // The selector check: a Groth16 verifier takes Groth16 seals, refuses mock ones; the mock
  // router refuses Groth16 seals, with the address to use in the message.
  await checkVerifierAccepts(l1.stranger, groth16, "groth16");
  await checkVerifierAccepts(l1.stranger, l1.router, "mock");
  await assert.rejects(
    checkVerifierAccepts(l1.stranger, groth16, "mock"),
    (e: unknown) => e instanceof VerifierMismatchError && /selector 0x73c457ba/.test(e.message),
  );
  await assert.rejects(
    checkVerifierAccepts(l1.stranger, l1.router, "groth16"),
    (e: unknown) => e instanceof VerifierMismatchError && /SelectorUnknown/.test(e.message),
  );
  await assert.rejects(
    checkVerifierAccepts(l1.stranger, ETHREX_GUIDE_V1_1_VERIFIER, "groth16"),
    (e: unknown) => e instanceof VerifierMismatchError && /no contract at verifier/.test(e.message),
  );
});
