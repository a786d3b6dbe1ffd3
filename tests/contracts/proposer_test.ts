/**
 * OnChainProposer on a real anvil, behind risc0's RiscZeroVerifierRouter with the
 * RiscZeroMockVerifier(0xFFFFFFFF): the right mock seal verifies; every wrong one, and every
 * caller or order the contract must refuse, reverts with a named error.
 */
import assert from "node:assert/strict";
import { encodeAbiParameters, encodeFunctionData, type Hex, sha256 } from "viem";
import { OnChainProposer } from "../../lib/l1/artifacts.ts";
import { claimDigest, mockSeal } from "../../lib/host/seal.ts";
import type { L1Client } from "../../lib/l1/client.ts";
import { ContractRevertError, formatRevert } from "../../lib/l1/errors.ts";
import { type CommittedBatch, Proposer } from "../../lib/l1/proposer.ts";
import { canonicalQuirks, rulesDigest } from "../../lib/input/rules.ts";
import journalFixture from "../fixtures/journal-v2.json" with { type: "json" };
import { startL1, word } from "../helpers/l1.ts";

const JOURNAL_V2 = [
  { type: "uint256" },
  { type: "uint256" },
  { type: "uint256" },
  { type: "bytes32" },
  { type: "bytes32" },
  { type: "bytes32" },
  { type: "bytes32" },
  { type: "bytes32" },
] as const;

function batch(number: number, firstBlock: number, lastBlock: number): CommittedBatch {
  return {
    number,
    firstBlock,
    lastBlock,
    lastBlockHash: word(`block ${lastBlock}`),
    stateRoot: word(`state ${lastBlock}`),
  };
}

/** The journal v2 of batch `b` after `prev`, as the guest would commit it. */
function journal(chainId: number, prev: CommittedBatch, b: CommittedBatch, rules: Hex): Hex {
  return encodeAbiParameters(JOURNAL_V2, [
    BigInt(chainId),
    BigInt(b.firstBlock),
    BigInt(b.lastBlock),
    prev.lastBlockHash,
    prev.stateRoot,
    b.stateRoot,
    b.lastBlockHash,
    rules,
  ]);
}

async function commit(l1: L1Client, proposer: `0x${string}`, b: CommittedBatch) {
  return await l1.send({
    to: proposer,
    data: Proposer.commitBatchData(b),
    label: `commitBatch(${b.number})`,
  });
}

async function verify(l1: L1Client, proposer: `0x${string}`, first: number, seals: Hex[]) {
  return await l1.send({
    to: proposer,
    data: Proposer.verifyBatchesData(first, seals),
    label: `verifyBatches(${first})`,
  });
}

/** Asserts `p` rejects with a ContractRevertError named `name` (and `inner` for InvalidProof). */
async function rejectsWith(p: Promise<unknown>, name: string, inner?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ContractRevertError, `not a decoded revert: ${e}`);
    assert.equal(e.revert.name, name, formatRevert(e.revert));
    if (inner) assert.equal(e.revert.inner?.name, inner, formatRevert(e.revert));
    return true;
  });
}

Deno.test("OnChainProposer: commit in order, verify mock seals, refuse every wrong seal and caller by name", async () => {
  await using l1 = await startL1();
  const { params, proposer } = l1;
  const view = new Proposer(l1.stranger, proposer);
  const genesis = await view.batch(0);
  assert.equal(genesis.lastBlockHash, params.genesisBlockHash);
  assert.equal(await view.lastCommittedBatch(), 0);

  const b1 = batch(1, 1, 3);
  const b2 = batch(2, 4, 4);
  const b3 = batch(3, 5, 9);
  await commit(l1.committer, proposer, b1);
  await commit(l1.committer, proposer, b2);
  assert.equal(await view.lastCommittedBatch(), 2);

  // commitBatch: role, order, contiguity, non-empty range
  await rejectsWith(commit(l1.stranger, proposer, b3), "NotCommitter");
  await rejectsWith(commit(l1.committer, proposer, batch(4, 5, 9)), "BatchOutOfOrder");
  await rejectsWith(commit(l1.committer, proposer, batch(3, 6, 9)), "BlocksNotContiguous");
  await rejectsWith(commit(l1.committer, proposer, batch(3, 5, 4)), "EmptyBlockRange");

  // The contract rebuilds exactly the journal v2 the guest commits.
  const j1 = journal(params.chainId, genesis, b1, params.rulesDigest);
  assert.equal(await view.journalOf(1), j1);
  const j2 = journal(params.chainId, b1, b2, params.rulesDigest);
  assert.equal(await view.journalOf(2), j2);
  const right1 = mockSeal(params.imageId, j1);
  const right2 = mockSeal(params.imageId, j2);

  // verifyBatches: role and order first
  await rejectsWith(verify(l1.stranger, proposer, 1, [right1]), "NotVerifierAccount");
  await rejectsWith(verify(l1.committer, proposer, 1, [right1]), "NotVerifierAccount");
  await rejectsWith(verify(l1.verifier, proposer, 2, [right2]), "VerifyOutOfOrder");
  await rejectsWith(verify(l1.verifier, proposer, 1, []), "NoSeals");
  await rejectsWith(
    verify(l1.verifier, proposer, 1, [right1, right2, right2]),
    "BatchNotCommitted",
  );

  // Wrong seals, each refused by risc0's mock behind the router, wrapped with the batch number.
  const otherJournal = journal(
    params.chainId,
    genesis,
    { ...b1, stateRoot: word("forged") },
    params.rulesDigest,
  );
  const otherRules = journal(params.chainId, genesis, b1, rulesDigest("prague", ["anvil"]));
  const otherChain = journal(params.chainId + 1, genesis, b1, params.rulesDigest);
  for (
    const [what, seal] of [
      ["another journal", mockSeal(params.imageId, otherJournal)],
      ["another image id", mockSeal(word("other image"), j1)],
      ["another rules digest", mockSeal(params.imageId, otherRules)],
      ["another chain id", mockSeal(params.imageId, otherChain)],
      ["the seal of batch 2", right2],
    ] as const
  ) {
    await rejectsWith(
      verify(l1.verifier, proposer, 1, [seal]),
      "InvalidProof",
      "VerificationFailed",
    )
      .catch((e) => {
        throw new Error(`${what}: ${e.message}`);
      });
  }
  const unrouted = `0x12345678${claimDigest(params.imageId, sha256(j1)).slice(2)}` as Hex;
  await rejectsWith(
    verify(l1.verifier, proposer, 1, [unrouted]),
    "InvalidProof",
    "SelectorUnknown",
  );
  // In a batch of two, the bad second seal is named with its batch.
  await assert.rejects(verify(l1.verifier, proposer, 1, [right1, right1]), (e: unknown) => {
    assert.ok(e instanceof ContractRevertError);
    assert.equal(e.revert.batch, 2n);
    return true;
  });
  assert.equal(await view.lastVerifiedBatch(), 0, "nothing verified by the refused calls");

  // The right seals verify, one transaction for two batches.
  const receipt = await verify(l1.verifier, proposer, 1, [right1, right2]);
  assert.equal(receipt.status, "success");
  assert.equal(await view.lastVerifiedBatch(), 2);
  await rejectsWith(verify(l1.verifier, proposer, 1, [right1]), "VerifyOutOfOrder");

  // The contract's own rules digest equals the pinned vectors Rust and TypeScript are tested
  // against (tests/fixtures/journal-v2.json); the fork name is taken as given (lowercase at the
  // edge), the quirks in canonical order (the contract does not sort).
  for (const c of journalFixture.rules) {
    const onChain = await l1.stranger.call(
      proposer,
      encodeFunctionData({
        abi: OnChainProposer.abi,
        functionName: "rulesDigestOf",
        args: [c.fork, canonicalQuirks(c.quirks)],
      }),
      "rulesDigestOf",
    );
    assert.equal(onChain, c.digest, JSON.stringify(c));
    assert.equal(rulesDigest(c.fork, c.quirks), c.digest);
  }
});

Deno.test("OnChainProposer: a wrong seal forced on chain (no pre-check) reverts and is decoded by name", async () => {
  await using l1 = await startL1();
  await commit(l1.committer, l1.proposer, batch(1, 1, 1));
  const bad = mockSeal(word("other image"), "0x00");
  await rejectsWith(
    l1.verifier.send({
      to: l1.proposer,
      data: Proposer.verifyBatchesData(1, [bad]),
      gas: 200_000n,
      label: "verifyBatches(1) forced",
    }),
    "InvalidProof",
    "VerificationFailed",
  );
  assert.equal(await new Proposer(l1.stranger, l1.proposer).lastVerifiedBatch(), 0);
});

Deno.test("OnChainProposer: refuses the same account as committer and verifier", async () => {
  await assert.rejects(
    startL1({ verifierAccount: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }),
    /committer and the verifier account are both/,
  );
});
