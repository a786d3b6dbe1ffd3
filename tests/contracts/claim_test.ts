import assert from "node:assert/strict";
import { concat, sha256, stringToBytes } from "viem";
import { claimDigest, mockSeal, sealSelector } from "../../lib/host/seal.ts";

Deno.test("claim digest: the zero system state is risc0's constant, seals are 36 bytes", () => {
  // SystemStateLib.digest(SystemState(0, 0)) as risc0's IRiscZeroVerifier.sol hard-codes it.
  const zero = sha256(
    concat([
      sha256(stringToBytes("risc0.SystemState")),
      `0x${"00".repeat(32)}`,
      "0x00000000",
      "0x0100",
    ]),
  );
  assert.equal(zero, "0xa3acc27117418996340b84e5a90f3ef4c49d22c79e44aad822ec9c313e1eb8e2");
  const seal = mockSeal(`0x${"11".repeat(32)}`, "0x1234");
  assert.equal(seal.length, 2 + 72);
  assert.equal(sealSelector(seal), "0xffffffff");
  assert.notEqual(
    claimDigest(`0x${"11".repeat(32)}`, sha256("0x1234")),
    claimDigest(`0x${"12".repeat(32)}`, sha256("0x1234")),
  );
});
